#pragma once
// Tokenizers read from the tokenizer.json files the Hugging Face tokenizers library writes (spec
// docs/spec/tokenizers.md): BPE models (byte-level as GPT-2, Llama 3 and Qwen2; SentencePiece-style with
// Metaspace and byte fallback as Llama 2 and Mistral), their normalizers, pre-tokenizers, post-processors
// and decoders, added and special tokens. Token ids equal the tokenizers library's for the same file and
// text (tests/text compare them with fixtures made by Hugging Face's tokenizers.js).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mg::text {

struct TokenizerParts; // the pipeline's components (text/tokenizer_parts.h)

class Tokenizer {
public:
  explicit Tokenizer(std::unique_ptr<TokenizerParts> parts);
  ~Tokenizer();
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  // Immutable after load: encode and decode may run on many threads at once. Invalid UTF-8 in `text` is
  // read as U+FFFD, as Python reads bytes with errors="replace".
  std::vector<std::int32_t> encode(std::string_view text, bool addSpecialTokens = true) const;
  // Ids the tokenizer does not know are left out, as the tokenizers library does.
  std::string decode(const std::vector<std::int32_t>& ids, bool skipSpecialTokens = true) const;

  // One more than the largest id of the model's vocabulary and the added tokens.
  std::size_t vocabSize() const;
  std::optional<std::int32_t> tokenToId(std::string_view token) const;
  std::optional<std::string> idToToken(std::int32_t id) const;
  bool isSpecial(std::int32_t id) const;

  // From tokenizer_config.json (bos_token, eos_token, pad_token), when the token is in the vocabulary.
  std::optional<std::int32_t> bosId() const;
  std::optional<std::int32_t> eosId() const;
  std::optional<std::int32_t> padId() const;

  // Whether encode(text, true) adds the BOS / EOS token (the post-processor's template or, without one,
  // tokenizer_config.json's add_bos_token / add_eos_token).
  bool addsBos() const;
  bool addsEos() const;

private:
  std::unique_ptr<TokenizerParts> parts_;
};

// `path`: a folder with tokenizer.json (and optionally tokenizer_config.json beside it), or a tokenizer.json
// file. Throws io::IoError naming the file and what is wrong or unsupported, on one line.
std::shared_ptr<const Tokenizer> loadTokenizer(const std::string& path);

// Reads tokenizer.json from its text (and tokenizer_config.json's, empty when there is none); `file` names
// the file in errors.
std::shared_ptr<const Tokenizer> parseTokenizer(std::string_view tokenizerJson, std::string_view configJson,
                                                const std::string& file);

} // namespace mg::text
