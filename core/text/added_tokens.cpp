#include "text/added_tokens.h"

#include <algorithm>
#include <map>

#include "text/unicode_text.h"

namespace mg::text {

// A byte trie of the token contents: at each position of the text the longest token that starts there.
struct AddedVocabulary::Trie {
  struct Node {
    std::map<unsigned char, std::int32_t> next; // child node index
    std::int32_t token = -1;                    // index into tokens_ of the token ending here
  };
  std::vector<Node> nodes{Node{}};
  bool empty = true;

  void add(std::string_view pattern, std::int32_t token) {
    if (pattern.empty()) return;
    std::int32_t at = 0;
    for (const char c : pattern) {
      const auto b = static_cast<unsigned char>(c);
      const auto found = nodes[static_cast<std::size_t>(at)].next.find(b);
      if (found != nodes[static_cast<std::size_t>(at)].next.end()) {
        at = found->second;
      } else {
        nodes.push_back(Node{});
        const auto created = static_cast<std::int32_t>(nodes.size() - 1);
        nodes[static_cast<std::size_t>(at)].next[b] = created;
        at = created;
      }
    }
    if (nodes[static_cast<std::size_t>(at)].token < 0) nodes[static_cast<std::size_t>(at)].token = token;
    empty = false;
  }

  // The longest token starting at `pos`: (token index, end) or (-1, pos).
  std::pair<std::int32_t, std::size_t> longestAt(std::string_view text, std::size_t pos) const {
    std::pair<std::int32_t, std::size_t> best{-1, pos};
    std::int32_t at = 0;
    for (std::size_t i = pos; i < text.size(); ++i) {
      const auto& next = nodes[static_cast<std::size_t>(at)].next;
      const auto found = next.find(static_cast<unsigned char>(text[i]));
      if (found == next.end()) break;
      at = found->second;
      if (nodes[static_cast<std::size_t>(at)].token >= 0)
        best = {nodes[static_cast<std::size_t>(at)].token, i + 1};
    }
    return best;
  }
};

AddedVocabulary::AddedVocabulary(std::vector<AddedToken> tokens, const Normalizer* normalizer)
    : tokens_(std::move(tokens)), raw_(std::make_unique<Trie>()), normalized_(std::make_unique<Trie>()) {
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    const AddedToken& token = tokens_[i];
    byContent_[token.content] = token.id;
    byId_[token.id] = i;
    if (token.special) specialIds_.insert(token.id);
    if (token.normalized && normalizer) {
      std::string content = token.content;
      normalizer->normalize(content);
      normalized_->add(content, static_cast<std::int32_t>(i));
    } else if (token.normalized) {
      normalized_->add(token.content, static_cast<std::int32_t>(i));
    } else {
      raw_->add(token.content, static_cast<std::int32_t>(i));
    }
  }
}

AddedVocabulary::~AddedVocabulary() = default;

std::optional<std::int32_t> AddedVocabulary::tokenToId(const std::string& content) const {
  const auto found = byContent_.find(content);
  if (found == byContent_.end()) return std::nullopt;
  return found->second;
}

const std::string* AddedVocabulary::idToToken(std::int32_t id) const {
  const auto found = byId_.find(id);
  return found == byId_.end() ? nullptr : &tokens_[found->second].content;
}

std::vector<Segment> AddedVocabulary::splitRaw(std::string_view text) const {
  return split(text, *raw_);
}
std::vector<Segment> AddedVocabulary::splitNormalized(std::string_view text) const {
  return split(text, *normalized_);
}

namespace {

bool isWordCharacter(char32_t c) {
  return c == '_' || isAlphanumeric(c);
}

char32_t lastCodePoint(std::string_view s) {
  std::size_t begin = s.size() - 1;
  while (begin > 0 && (static_cast<unsigned char>(s[begin]) & 0xC0) == 0x80)
    --begin;
  return nextCodePoint(s, begin);
}

} // namespace

// AddedVocabulary::find_matches of the library: non-overlapping leftmost-longest matches; a single_word
// token only between non-word characters; lstrip / rstrip take the whitespace beside the token with it.
std::vector<Segment> AddedVocabulary::split(std::string_view text, const Trie& trie) const {
  std::vector<Segment> segments;
  if (trie.empty) {
    if (!text.empty()) segments.push_back({std::string(text), std::nullopt});
    return segments;
  }
  std::size_t done = 0; // end of the previous match
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto [index, stop0] = trie.longestAt(text, pos);
    if (index < 0) {
      ++pos;
      continue;
    }
    std::size_t start = pos, stop = stop0;
    pos = stop0; // the next match starts after this one, whether this one is kept or not
    const AddedToken& token = tokens_[static_cast<std::size_t>(index)];
    if (token.singleWord) {
      std::size_t after = stop;
      const bool wordBefore = start > 0 && isWordCharacter(lastCodePoint(text.substr(0, start)));
      const bool wordAfter = stop < text.size() && isWordCharacter(nextCodePoint(text, after));
      if (wordBefore || wordAfter) continue;
    }
    if (token.lstrip) start = std::max(done, trimWhitespaceRight(text.substr(0, start)).size());
    if (token.rstrip) stop = text.size() - trimWhitespaceLeft(text.substr(stop)).size();
    if (start > done) segments.push_back({std::string(text.substr(done, start - done)), std::nullopt});
    segments.push_back({std::string(text.substr(start, stop - start)), token.id});
    done = stop;
    pos = std::max(pos, stop);
  }
  if (done < text.size()) segments.push_back({std::string(text.substr(done)), std::nullopt});
  return segments;
}

} // namespace mg::text
