#include "text/bpe_trainer.h"

#include <cstdint>
#include <map>
#include <queue>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "text/byte_level.h"
#include "text/regex.h"

namespace mg::text {

namespace {

using PairKey = std::uint64_t;

PairKey trainerPair(std::int32_t a, std::int32_t b) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b);
}

// The distinct words of the texts with their counts, as byte values.
std::map<std::string, std::int64_t> countWords(const std::vector<std::string>& texts,
                                               const std::vector<std::string>& specialTokens) {
  const Regex words(kGpt2Pattern);
  std::map<std::string, std::int64_t> counts;
  const auto countPart = [&](std::string_view part) {
    for (const auto& [begin, end] : words.findAll(part))
      ++counts[std::string(part.substr(begin, end - begin))];
  };
  for (const std::string& text : texts) {
    // Cut the special tokens out first: the text between two of them is pre-tokenized on its own.
    std::size_t from = 0;
    while (from < text.size()) {
      std::size_t next = std::string::npos, length = 0;
      for (const std::string& special : specialTokens) {
        const std::size_t at = special.empty() ? std::string::npos : text.find(special, from);
        if (at < next || (at == next && at != std::string::npos && special.size() > length))
          next = at, length = special.size();
      }
      countPart(
          std::string_view(text).substr(from, next == std::string::npos ? std::string::npos : next - from));
      if (next == std::string::npos) break;
      from = next + length;
    }
  }
  return counts;
}

struct TrainerCandidate {
  std::int64_t count;
  PairKey pair;
  bool operator<(const TrainerCandidate& o) const { // max-heap: highest count, then smallest pair
    return count != o.count ? count < o.count : pair > o.pair;
  }
};

} // namespace

ByteLevelBpe trainByteLevelBpe(const std::vector<std::string>& texts, std::size_t vocabSize,
                               const std::vector<std::string>& specialTokens) {
  if (vocabSize < 256 + specialTokens.size())
    throw std::invalid_argument("vocabulary size " + std::to_string(vocabSize) +
                                " is smaller than the 256 bytes and " + std::to_string(specialTokens.size()) +
                                " special tokens");
  ByteLevelBpe bpe;
  bpe.specialTokens = specialTokens;
  for (int b = 0; b < 256; ++b)
    bpe.tokens.push_back(byteToChars()[b]);

  std::vector<std::vector<std::int32_t>> words;
  std::vector<std::int64_t> counts;
  for (const auto& [word, count] : countWords(texts, specialTokens)) {
    std::vector<std::int32_t> symbols;
    for (const char c : word)
      symbols.push_back(static_cast<unsigned char>(c));
    words.push_back(std::move(symbols));
    counts.push_back(count);
  }
  std::unordered_map<PairKey, std::int64_t> pairCounts;
  std::unordered_map<PairKey, std::unordered_set<std::size_t>> pairWords;
  for (std::size_t w = 0; w < words.size(); ++w)
    for (std::size_t i = 0; i + 1 < words[w].size(); ++i) {
      const PairKey key = trainerPair(words[w][i], words[w][i + 1]);
      pairCounts[key] += counts[w];
      pairWords[key].insert(w);
    }
  std::priority_queue<TrainerCandidate> queue;
  for (const auto& [key, count] : pairCounts)
    queue.push({count, key});

  std::unordered_map<std::string, std::int32_t> idOf;
  for (std::size_t id = 0; id < bpe.tokens.size(); ++id)
    idOf.emplace(bpe.tokens[id], static_cast<std::int32_t>(id));
  while (bpe.tokens.size() + specialTokens.size() < vocabSize && !queue.empty()) {
    const TrainerCandidate top = queue.top();
    queue.pop();
    const auto current = pairCounts.find(top.pair);
    const std::int64_t count = current == pairCounts.end() ? 0 : current->second;
    if (count != top.count) { // stale: the count changed since it was queued
      if (count > 0) queue.push({count, top.pair});
      continue;
    }
    if (count < 2) break; // a pair seen once does not generalise
    const auto left = static_cast<std::int32_t>(top.pair >> 32);
    const auto right = static_cast<std::int32_t>(top.pair & 0xFFFFFFFFu);
    // Two merges may spell the same token ("ab"+"c", "a"+"bc"): it keeps its first id, as the library's
    // trainer.
    const std::string spelled =
        bpe.tokens[static_cast<std::size_t>(left)] + bpe.tokens[static_cast<std::size_t>(right)];
    const auto [known, added] = idOf.emplace(spelled, static_cast<std::int32_t>(bpe.tokens.size()));
    const std::int32_t merged = known->second;
    if (added) bpe.tokens.push_back(spelled);
    bpe.merges.emplace_back(bpe.tokens[static_cast<std::size_t>(left)],
                            bpe.tokens[static_cast<std::size_t>(right)]);

    std::unordered_map<PairKey, std::int64_t> changed; // pairs whose count moved, re-queued once each
    const std::unordered_set<std::size_t> affected = std::move(pairWords[top.pair]);
    pairWords.erase(top.pair);
    for (const std::size_t w : affected) {
      std::vector<std::int32_t>& symbols = words[w];
      const std::int64_t c = counts[w];
      // Remove the word's pairs, merge left to right, add its pairs back: simple, and words are short.
      for (std::size_t i = 0; i + 1 < symbols.size(); ++i) {
        const PairKey key = trainerPair(symbols[i], symbols[i + 1]);
        pairCounts[key] -= c;
        changed[key];
      }
      std::vector<std::int32_t> next;
      for (std::size_t i = 0; i < symbols.size(); ++i) {
        if (i + 1 < symbols.size() && symbols[i] == left && symbols[i + 1] == right) {
          next.push_back(merged);
          ++i;
        } else {
          next.push_back(symbols[i]);
        }
      }
      symbols = std::move(next);
      for (std::size_t i = 0; i + 1 < symbols.size(); ++i) {
        const PairKey key = trainerPair(symbols[i], symbols[i + 1]);
        pairCounts[key] += c;
        pairWords[key].insert(w);
        changed[key];
      }
    }
    for (const auto& [key, unused] : changed) {
      const std::int64_t now = pairCounts[key];
      if (now > 0 && key != top.pair) queue.push({now, key});
      if (now <= 0) pairCounts.erase(key);
    }
  }
  return bpe;
}

} // namespace mg::text
