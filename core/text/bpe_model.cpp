#include "text/bpe_model.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <utility>
#include <queue>

#include "text/unicode_text.h"

namespace mg::text {

namespace {

constexpr std::size_t kCacheCapacity = 10000; // as the tokenizers library
constexpr std::size_t kCacheWordBytes = 256;  // longer words (whole lines without a pre-tokenizer) not cached

std::uint64_t pairKey(std::int32_t left, std::int32_t right) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) |
         static_cast<std::uint32_t>(right);
}

// A symbol of the word being merged, in a doubly linked list over a vector.
struct BpeSymbol {
  std::int32_t id;
  std::int32_t prev, next;
  bool removed;
};

struct BpeCandidate {
  std::int32_t rank, pos, newId;
  bool operator<(const BpeCandidate& o) const { // priority_queue is a max-heap: lowest rank, then leftmost
    return rank != o.rank ? rank > o.rank : pos > o.pos;
  }
};

} // namespace

BpeModel::BpeModel(const Json& model) {
  const std::string what = "model BPE";
  const Json& vocab = member(model, "vocab", what);
  if (!vocab.is_object()) throw FormatError(what + ": \"vocab\" is not an object of token: id");
  vocab_.reserve(vocab.size());
  std::int32_t largest = -1;
  for (auto it = vocab.begin(); it != vocab.end(); ++it) {
    if (!it.value().is_number_integer() || it.value().get<std::int64_t>() < 0 ||
        it.value().get<std::int64_t>() > INT32_MAX)
      throw FormatError(what + ": the id of vocab token " + Json(it.key()).dump() +
                        " is not a non-negative integer");
    const auto id = it.value().get<std::int32_t>();
    vocab_.emplace(it.key(), id);
    largest = std::max(largest, id);
  }
  // The id -> token table is as long as the largest id: ids far beyond the vocabulary's size (real ones are
  // dense, a few gaps at most) would make a kilobyte of JSON allocate gigabytes.
  const std::int64_t idLimit = 2 * static_cast<std::int64_t>(vocab.size()) + kIdSlack;
  if (largest >= idLimit)
    throw FormatError(what + ": vocab id " + std::to_string(largest) + " is far beyond its " +
                      std::to_string(vocab.size()) + " tokens (ids must be below " + std::to_string(idLimit) +
                      ")");
  tokens_.resize(static_cast<std::size_t>(largest + 1));
  hasToken_.assign(tokens_.size(), false);
  for (const auto& [token, id] : vocab_) {
    tokens_[static_cast<std::size_t>(id)] = token;
    hasToken_[static_cast<std::size_t>(id)] = true;
  }

  if (const Json* dropout = optionalMember(model, "dropout");
      dropout && !(dropout->is_number() && dropout->get<double>() == 0))
    throw FormatError(what + ": unsupported dropout " + dropout->dump() +
                      " (only null: encoding is deterministic)");
  for (const char* option : {"continuing_subword_prefix", "end_of_word_suffix"})
    if (const Json* value = optionalMember(model, option);
        value && !(value->is_string() && value->get<std::string>().empty()))
      throw FormatError(what + ": unsupported " + option + " " + value->dump());
  fuseUnk_ = boolMember(model, "fuse_unk", false, what);
  byteFallback_ = boolMember(model, "byte_fallback", false, what);
  ignoreMerges_ = boolMember(model, "ignore_merges", false, what);
  if (const Json* unk = optionalMember(model, "unk_token")) {
    if (!unk->is_string()) throw FormatError(what + ": \"unk_token\" is not a string");
    const auto found = vocab_.find(unk->get<std::string>());
    if (found == vocab_.end())
      throw FormatError(what + ": unk_token " + unk->dump() + " is not in the vocabulary");
    unkId_ = found->second;
  }
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    const auto found = vocab_.find(name);
    byteIds_[b] = found == vocab_.end() ? -1 : found->second;
  }

  const Json& merges = member(model, "merges", what);
  if (!merges.is_array()) throw FormatError(what + ": \"merges\" is not a list");
  merges_.reserve(merges.size());
  for (std::size_t rank = 0; rank < merges.size(); ++rank) {
    const Json& merge = merges[rank];
    std::string left, right;
    if (merge.is_string()) { // "a b", the format of tokenizers < 0.20
      const std::string line = merge.get<std::string>();
      const auto space = line.find(' ');
      if (space == std::string::npos)
        throw FormatError(what + ": merge " + std::to_string(rank) + " " + merge.dump() + " is not \"a b\"");
      left = line.substr(0, space);
      right = line.substr(space + 1);
    } else if (merge.is_array() && merge.size() == 2 && merge[0].is_string() && merge[1].is_string()) {
      left = merge[0].get<std::string>();
      right = merge[1].get<std::string>();
    } else {
      throw FormatError(what + ": merge " + std::to_string(rank) + " " + merge.dump() +
                        " is neither \"a b\" nor [a, b]");
    }
    const auto l = vocab_.find(left), r = vocab_.find(right), m = vocab_.find(left + right);
    if (l == vocab_.end() || r == vocab_.end() || m == vocab_.end())
      throw FormatError(what + ": merge " + std::to_string(rank) + " " + merge.dump() +
                        " uses a token the vocabulary lacks");
    merges_[pairKey(l->second, r->second)] = {static_cast<std::int32_t>(rank), m->second};
  }
}

std::optional<std::int32_t> BpeModel::tokenToId(const std::string& token) const {
  const auto found = vocab_.find(token);
  if (found == vocab_.end()) return std::nullopt;
  return found->second;
}

const std::string* BpeModel::idToToken(std::int32_t id) const {
  if (id < 0 || static_cast<std::size_t>(id) >= tokens_.size() || !hasToken_[static_cast<std::size_t>(id)])
    return nullptr;
  return &tokens_[static_cast<std::size_t>(id)];
}

void BpeModel::encodeWord(const std::string& word, std::vector<std::int32_t>& out) const {
  if (word.empty()) return;
  if (ignoreMerges_) { // Llama 3: a word in the vocabulary is its token, whatever the merges would make
    if (const auto found = vocab_.find(word); found != vocab_.end()) {
      out.push_back(found->second);
      return;
    }
  }
  const bool cacheable = word.size() <= kCacheWordBytes;
  if (cacheable) {
    std::shared_lock lock(cacheMutex_);
    if (const auto hit = cache_.find(word); hit != cache_.end()) {
      out.insert(out.end(), hit->second.begin(), hit->second.end());
      return;
    }
  }
  std::vector<std::int32_t> ids;
  mergeWord(word, ids);
  out.insert(out.end(), ids.begin(), ids.end());
  if (cacheable) {
    std::unique_lock lock(cacheMutex_);
    if (cache_.size() >= kCacheCapacity) cache_.clear();
    cache_.emplace(word, std::move(ids));
  }
}

// The library's Word::merge_all: merge the lowest-ranked adjacent pair (leftmost on ties) until none is left.
void BpeModel::mergeWord(const std::string& word, std::vector<std::int32_t>& out) const {
  std::vector<BpeSymbol> symbols;
  symbols.reserve(word.size());
  const auto add = [&](std::int32_t id) {
    const auto n = static_cast<std::int32_t>(symbols.size());
    symbols.push_back({id, n - 1, n + 1, false});
  };
  std::optional<std::int32_t> pendingUnk;
  std::string character;
  for (std::size_t pos = 0; pos < word.size();) {
    const std::size_t begin = pos;
    pos = std::min(word.size(), pos + utf8Length(static_cast<unsigned char>(word[pos])));
    character.assign(word, begin, pos - begin);
    if (const auto found = vocab_.find(character); found != vocab_.end()) {
      if (pendingUnk) add(*std::exchange(pendingUnk, std::nullopt));
      add(found->second);
      continue;
    }
    if (byteFallback_) {
      bool all = true;
      for (const char b : character)
        all = all && byteIds_[static_cast<unsigned char>(b)] >= 0;
      if (all) {
        for (const char b : character)
          add(byteIds_[static_cast<unsigned char>(b)]);
        continue;
      }
    }
    if (unkId_) {
      if (pendingUnk && !fuseUnk_) add(*pendingUnk);
      pendingUnk = *unkId_; // fused: one unknown token for a run of unknown characters
    }
    // No unk_token: the character is dropped, as the library does.
  }
  if (pendingUnk) add(*pendingUnk);
  if (symbols.empty()) return;
  symbols.back().next = -1;

  std::priority_queue<BpeCandidate> queue;
  const auto consider = [&](std::int32_t pos) {
    const BpeSymbol& s = symbols[static_cast<std::size_t>(pos)];
    if (s.next < 0) return;
    const auto found = merges_.find(pairKey(s.id, symbols[static_cast<std::size_t>(s.next)].id));
    if (found != merges_.end()) queue.push({found->second.rank, pos, found->second.newId});
  };
  for (std::int32_t i = 0; i + 1 < static_cast<std::int32_t>(symbols.size()); ++i)
    consider(i);
  while (!queue.empty()) {
    const BpeCandidate top = queue.top();
    queue.pop();
    BpeSymbol& left = symbols[static_cast<std::size_t>(top.pos)];
    if (left.removed || left.next < 0) continue;
    const BpeSymbol& right = symbols[static_cast<std::size_t>(left.next)];
    const auto found = merges_.find(pairKey(left.id, right.id));
    if (found == merges_.end() || found->second.newId != top.newId) continue; // stale: a neighbour merged
    left.id = top.newId;
    symbols[static_cast<std::size_t>(left.next)].removed = true;
    left.next = right.next;
    if (left.next >= 0) symbols[static_cast<std::size_t>(left.next)].prev = top.pos;
    if (left.prev >= 0) consider(left.prev);
    consider(top.pos);
  }
  for (std::int32_t i = 0; i >= 0; i = symbols[static_cast<std::size_t>(i)].next)
    out.push_back(symbols[static_cast<std::size_t>(i)].id);
}

} // namespace mg::text
