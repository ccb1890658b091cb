#pragma once
// The BPE model of tokenizer.json: a vocabulary, ranked merges, and what becomes of characters the
// vocabulary lacks (byte fallback to <0xNN> tokens, or the unknown token, fused or not).
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text/tokenizer_parts.h"

namespace mg::text {

class BpeModel {
public:
  // Vocab ids must stay below 2 × the vocabulary's size + this (docs/spec/formats.md "Limits").
  static constexpr std::int64_t kIdSlack = 65536;

  // Reads the "model" object; throws FormatError for another model type or an unsupported option.
  explicit BpeModel(const Json& model);

  // Appends the ids of one pre-tokenized word.
  void encodeWord(const std::string& word, std::vector<std::int32_t>& out) const;

  std::optional<std::int32_t> tokenToId(const std::string& token) const;
  const std::string* idToToken(std::int32_t id) const; // null for an id the vocabulary lacks
  std::size_t size() const { return tokens_.size(); }  // one more than the largest id

private:
  void mergeWord(const std::string& word, std::vector<std::int32_t>& out) const;

  std::unordered_map<std::string, std::int32_t> vocab_;
  std::vector<std::string> tokens_; // by id; empty where the ids have a gap
  std::vector<bool> hasToken_;
  struct Merge {
    std::int32_t rank, newId;
  };
  std::unordered_map<std::uint64_t, Merge> merges_; // (left id, right id) → rank and merged id
  std::optional<std::int32_t> unkId_;
  bool fuseUnk_ = false;
  bool byteFallback_ = false;
  bool ignoreMerges_ = false;
  std::int32_t byteIds_[256]; // <0xNN> tokens (byte fallback), -1 where missing

  // Words seen before: text is Zipfian, so most words are encoded once. Bounded; shared by threads.
  mutable std::shared_mutex cacheMutex_;
  mutable std::unordered_map<std::string, std::vector<std::int32_t>> cache_;
};

} // namespace mg::text
