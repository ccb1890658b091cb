// Writing a trained byte-level BPE as tokenizer.json + tokenizer_config.json, in the layout the tokenizers
// library itself writes for GPT-2-style tokenizers.
#include <nlohmann/json.hpp>

#include <filesystem>

#include "io/atomic_file.h"
#include "io/io_error.h"
#include "text/bpe_trainer.h"

namespace mg::text {

namespace {

using Ordered = nlohmann::ordered_json;

Ordered byteLevel() {
  return Ordered{
      {"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}};
}

} // namespace

std::string tokenizerJson(const ByteLevelBpe& bpe, const TokenizerFileOptions& options) {
  Ordered added = Ordered::array();
  for (std::size_t i = 0; i < bpe.specialTokens.size(); ++i)
    added.push_back(Ordered{{"id", bpe.tokens.size() + i},
                            {"content", bpe.specialTokens[i]},
                            {"single_word", false},
                            {"lstrip", false},
                            {"rstrip", false},
                            {"normalized", false},
                            {"special", true}});
  Ordered vocab = Ordered::object();
  for (std::size_t id = 0; id < bpe.tokens.size(); ++id)
    vocab[bpe.tokens[id]] = id;
  Ordered merges = Ordered::array();
  for (const auto& [a, b] : bpe.merges)
    merges.push_back(Ordered::array({a, b}));
  Ordered post = byteLevel();
  if (options.addBos && options.bos) {
    std::size_t bosId = 0;
    for (std::size_t i = 0; i < bpe.specialTokens.size(); ++i)
      if (bpe.specialTokens[i] == *options.bos) bosId = bpe.tokens.size() + i;
    const Ordered special = {{"SpecialToken", {{"id", *options.bos}, {"type_id", 0}}}};
    post = Ordered{{"type", "TemplateProcessing"},
                   {"single", Ordered::array({special, {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}})},
                   {"pair", Ordered::array({special,
                                            {{"Sequence", {{"id", "A"}, {"type_id", 0}}}},
                                            {{"SpecialToken", {{"id", *options.bos}, {"type_id", 1}}}},
                                            {{"Sequence", {{"id", "B"}, {"type_id", 1}}}}})},
                   {"special_tokens",
                    {{*options.bos, {{"id", *options.bos}, {"ids", {bosId}}, {"tokens", {*options.bos}}}}}}};
  }
  const Ordered root = {{"version", "1.0"},
                        {"truncation", nullptr},
                        {"padding", nullptr},
                        {"added_tokens", added},
                        {"normalizer", nullptr},
                        {"pre_tokenizer", byteLevel()},
                        {"post_processor", post},
                        {"decoder", byteLevel()},
                        {"model",
                         {{"type", "BPE"},
                          {"dropout", nullptr},
                          {"unk_token", nullptr},
                          {"continuing_subword_prefix", nullptr},
                          {"end_of_word_suffix", nullptr},
                          {"fuse_unk", false},
                          {"byte_fallback", false},
                          {"ignore_merges", false},
                          {"vocab", vocab},
                          {"merges", merges}}}};
  return root.dump(1, ' ', false) + "\n";
}

std::string tokenizerConfigJson(const ByteLevelBpe& bpe, const TokenizerFileOptions& options) {
  Ordered config = Ordered::object();
  config["tokenizer_class"] = "PreTrainedTokenizerFast";
  const auto token = [](const std::optional<std::string>& t) { return t ? Ordered(*t) : Ordered(nullptr); };
  config["bos_token"] = token(options.bos);
  config["eos_token"] = token(options.eos);
  config["pad_token"] = token(options.pad);
  config["add_bos_token"] = options.addBos && options.bos.has_value();
  config["add_eos_token"] = false;
  config["clean_up_tokenization_spaces"] = false;
  if (options.modelMaxLength > 0) config["model_max_length"] = options.modelMaxLength;
  Ordered decoder = Ordered::object(); // transformers' view of the added tokens, keyed by id
  for (std::size_t i = 0; i < bpe.specialTokens.size(); ++i)
    decoder[std::to_string(bpe.tokens.size() + i)] = {{"content", bpe.specialTokens[i]},
                                                      {"lstrip", false},
                                                      {"normalized", false},
                                                      {"rstrip", false},
                                                      {"single_word", false},
                                                      {"special", true}};
  config["added_tokens_decoder"] = decoder;
  return config.dump(1, ' ', false) + "\n";
}

void writeTokenizerJson(const std::string& folder, const ByteLevelBpe& bpe,
                        const TokenizerFileOptions& options) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) throw io::IoError(folder, "cannot create the folder: " + error.message());
  io::writeFileAtomically((std::filesystem::path(folder) / "tokenizer.json").string(),
                          tokenizerJson(bpe, options));
  io::writeFileAtomically((std::filesystem::path(folder) / "tokenizer_config.json").string(),
                          tokenizerConfigJson(bpe, options));
}

} // namespace mg::text
