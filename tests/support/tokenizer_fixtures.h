#pragma once
// Tiny Hugging Face model folders with a tokenizer (header-only), for the tests of tensors some models
// lack, tied heads, vocabularies and tokenizer_source: config.json (vocab_size, tie_word_embeddings),
// model.safetensors (embed_tokens, one layer, norm, lm_head unless tied) and a BPE tokenizer.json /
// tokenizer_config.json.
#include <QDir>
#include <ATen/ATen.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "io/safetensors_writer.h"
#include "io/text_file.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

namespace mg::test {

using Json = nlohmann::json;

constexpr std::int64_t kWidth = 3;

inline io::TensorData vtd(const std::string& name, const at::Tensor& t, io::DType dtype = io::DType::F32) {
  return tensor::fromTorch(t, name, dtype);
}

inline void writeText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

inline Json readJson(const std::string& path) {
  return Json::parse(io::readTextFile(path));
}

// Row r of model `id`'s embedding: id·100 + r + (0, 0.1, 0.2) — every row of every model tells where it is
// from.
inline at::Tensor embeddingRows(int id, std::int64_t rows) {
  return at::arange(rows, at::kFloat).unsqueeze(1) + id * 100.0f + at::arange(kWidth, at::kFloat) / 10;
}

// A tiny Hugging Face model folder: a BPE tokenizer with `tokens` (ids in order) and `added` tokens after
// them, config.json announcing `vocabSize` rows (default: all tokens), embed_tokens of those rows, one
// layer, and lm_head unless `tied`.
struct TinyModel {
  int id = 0;
  std::vector<std::string> tokens = {};
  std::vector<std::pair<std::string, bool>> added = {}; // content, special
  std::int64_t vocabSize = -1;
  bool tied = false;
  std::string chatTemplate = {};
  std::vector<std::string> merges = {};
  io::DType dtype = io::DType::F32; // of the stored tensors
};

inline std::string writeTinyModel(const TempDir& dir, const std::string& name, const TinyModel& m) {
  const std::string folder = dir.file(name);
  QDir().mkpath(QString::fromStdString(folder));
  const auto total = static_cast<std::int64_t>(m.tokens.size() + m.added.size());
  const std::int64_t rows = m.vocabSize < 0 ? total : m.vocabSize;
  Json vocab = Json::object();
  for (std::size_t i = 0; i < m.tokens.size(); ++i)
    vocab[m.tokens[i]] = i;
  Json added = Json::array(), decoder = Json::object();
  for (std::size_t i = 0; i < m.added.size(); ++i) {
    const auto id = m.tokens.size() + i;
    added.push_back({{"id", id},
                     {"content", m.added[i].first},
                     {"single_word", false},
                     {"lstrip", false},
                     {"rstrip", false},
                     {"normalized", !m.added[i].second},
                     {"special", m.added[i].second}});
    decoder[std::to_string(id)] = {{"content", m.added[i].first}, {"special", m.added[i].second}};
  }
  const Json tokenizer = {{"version", "1.0"},
                          {"added_tokens", added},
                          {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", m.merges}}}};
  writeText(folder + "/tokenizer.json", tokenizer.dump(1));
  Json tokenizerConfig = {{"added_tokens_decoder", decoder}, {"tokenizer_class", "PreTrainedTokenizerFast"}};
  if (!m.chatTemplate.empty()) tokenizerConfig["chat_template"] = m.chatTemplate;
  writeText(folder + "/tokenizer_config.json", tokenizerConfig.dump(1));
  writeText(folder + "/config.json", Json{{"model_type", "llama"},
                                          {"architectures", {"LlamaForCausalLM"}},
                                          {"vocab_size", rows},
                                          {"hidden_size", kWidth},
                                          {"tie_word_embeddings", m.tied}}
                                         .dump(1));
  std::vector<io::TensorData> tensors = {
      vtd("model.embed_tokens.weight", embeddingRows(m.id, rows), m.dtype),
      vtd("model.layers.0.mlp.weight", at::full({kWidth, kWidth}, float(m.id)), m.dtype),
      vtd("model.norm.weight", at::full({kWidth}, float(m.id)), m.dtype)};
  if (!m.tied) tensors.push_back(vtd("lm_head.weight", -embeddingRows(m.id, rows), m.dtype));
  io::writeSafetensors(folder + "/model.safetensors", tensors);
  return folder;
}

} // namespace mg::test
