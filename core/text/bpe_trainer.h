#pragma once
// Training a GPT-2-style byte-level BPE tokenizer on texts, and writing it as the tokenizer.json and
// tokenizer_config.json the tokenizers library (and transformers) load with the same ids.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mg::text {

struct ByteLevelBpe {
  std::vector<std::string>
      tokens; // by id, in GPT-2's byte-level alphabet: the 256 bytes, then each merge's result
  std::vector<std::pair<std::string, std::string>> merges; // by rank
  std::vector<std::string> specialTokens;                  // ids tokens.size(), tokens.size() + 1, ...
};

// Learns merges until tokens + special tokens reach `vocabSize` or no pair occurs twice. Words are cut with
// GPT-2's pattern; the special tokens are cut out of the texts first (never learned). At each step the most
// frequent adjacent pair merges; ties go to the pair of smallest ids, so the result is deterministic.
// Throws std::invalid_argument when vocabSize leaves no room for the 256 bytes and the special tokens.
ByteLevelBpe trainByteLevelBpe(const std::vector<std::string>& texts, std::size_t vocabSize,
                               const std::vector<std::string>& specialTokens);

struct TokenizerFileOptions {
  std::optional<std::string> bos, eos, pad; // special tokens named in tokenizer_config.json
  bool addBos = false;                      // encode puts bos first (a TemplateProcessing post-processor)
  std::size_t modelMaxLength = 0;           // 0: not written
};

// tokenizer.json's text: model BPE (merges as [a, b] pairs), ByteLevel pre-tokenizer (GPT-2's regex, no
// prefix space) and decoder, the special tokens as added tokens.
std::string tokenizerJson(const ByteLevelBpe& bpe, const TokenizerFileOptions& options = {});
std::string tokenizerConfigJson(const ByteLevelBpe& bpe, const TokenizerFileOptions& options = {});

// Writes tokenizer.json and tokenizer_config.json into `folder` (created if missing), each atomically.
// Throws io::IoError.
void writeTokenizerJson(const std::string& folder, const ByteLevelBpe& bpe,
                        const TokenizerFileOptions& options = {});

} // namespace mg::text
