#pragma once
// Added tokens (special or not) as the tokenizers library's AddedVocabulary finds them: before normalization
// on the raw text (tokens with normalized false), then on the normalized pieces (normalized true), leftmost
// and longest first, with single_word, lstrip and rstrip.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "text/tokenizer_parts.h"

namespace mg::text {

struct AddedToken {
  std::string content;
  std::int32_t id = 0;
  bool special = false, lstrip = false, rstrip = false, singleWord = false, normalized = true;
};

// A piece of text: either an added token (`id`) or text for the rest of the pipeline.
struct Segment {
  std::string text;
  std::optional<std::int32_t> id;
};

class AddedVocabulary {
public:
  // `normalizer` (may be null) normalizes the contents of the tokens with normalized true.
  AddedVocabulary(std::vector<AddedToken> tokens, const Normalizer* normalizer);
  ~AddedVocabulary();

  // Splits `text` at the tokens that match without normalization (normalized false).
  std::vector<Segment> splitRaw(std::string_view text) const;
  // Splits already normalized text at the tokens with normalized true.
  std::vector<Segment> splitNormalized(std::string_view text) const;

  const std::vector<AddedToken>& tokens() const { return tokens_; }
  std::optional<std::int32_t> tokenToId(const std::string& content) const;
  const std::string* idToToken(std::int32_t id) const;
  bool isSpecial(std::int32_t id) const { return specialIds_.count(id) > 0; }

private:
  struct Trie;
  std::vector<Segment> split(std::string_view text, const Trie& trie) const;

  std::vector<AddedToken> tokens_;
  std::unordered_map<std::string, std::int32_t> byContent_;
  std::unordered_map<std::int32_t, std::size_t> byId_;
  std::unordered_set<std::int32_t> specialIds_;
  std::unique_ptr<Trie> raw_, normalized_;
};

} // namespace mg::text
