#pragma once
// A decoder-only language model's hyper-parameters, read from a Hugging Face config.json. Four
// architectures are supported (docs/spec/language-models.md): LlamaForCausalLM, MistralForCausalLM,
// Qwen2ForCausalLM and GPT2LMHeadModel. Plain C++, no LibTorch.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mg::lm {

enum class Architecture { Llama, Mistral, Qwen2, Gpt2 };

// How RoPE's inverse frequencies are rescaled for long contexts (config.json "rope_scaling").
struct RopeScaling {
  enum class Kind { None, Linear, Llama3 };
  Kind kind = Kind::None;
  double factor = 1.0;
  double lowFreqFactor = 1.0;                  // llama3
  double highFreqFactor = 4.0;                 // llama3
  double originalMaxPositionEmbeddings = 8192; // llama3
};

struct LmConfig {
  Architecture architecture = Architecture::Llama;
  std::string architectureName; // as config.json spells it, e.g. "LlamaForCausalLM"
  std::int64_t vocabSize = 0;
  std::int64_t hiddenSize = 0;
  std::int64_t intermediateSize = 0;
  std::int64_t layers = 0;
  std::int64_t heads = 0;
  std::int64_t kvHeads = 0; // grouped-query attention: heads share kvHeads key/value heads
  std::int64_t headDim = 0;
  std::int64_t maxPositions = 0; // GPT-2's learned positions bound the length; RoPE models only advise it
  double normEps = 1e-6;
  double ropeTheta = 10000.0;
  RopeScaling ropeScaling;
  bool tieWordEmbeddings = false;
  bool qkvBias = false;    // q/k/v projections (Qwen2; Llama's attention_bias)
  bool outputBias = false; // o_proj (Llama's attention_bias)
  bool mlpBias = false;    // Llama's mlp_bias
  std::string activation;  // "silu", "gelu_new" (tanh approximation) or "gelu"
  // Sliding-window attention: a token sees itself and the window - 1 tokens before it, on the layers
  // from slidingFromLayer on (Qwen2's max_window_layers; 0 for Mistral).
  std::optional<std::int64_t> slidingWindow;
  std::int64_t slidingFromLayer = 0;
  bool scaleAttnByInverseLayerIdx = false; // GPT-2
  std::vector<std::int64_t> eosTokenIds;   // config.json's, then generation_config.json's
  std::optional<std::int64_t> bosTokenId;

  bool slidingAt(std::int64_t layer) const { return slidingWindow && layer >= slidingFromLayer; }
  bool usesRope() const { return architecture != Architecture::Gpt2; }
  // "LlamaForCausalLM (4 layers, hidden 64, 8 heads / 2 kv heads, vocab 256)"
  std::string describe() const;

  // Parses config.json's text; `file` names it in errors. Throws io::IoError(file, ...) for an
  // unsupported architecture (listing the supported ones), a missing or invalid key, an unsupported
  // rope_scaling type or activation.
  static LmConfig fromJson(const std::string& jsonText, const std::string& file);
  // config.json of a model folder, with generation_config.json's eos_token_id added when present.
  static LmConfig fromFolder(const std::string& folder);
};

// "LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, GPT2LMHeadModel"
std::string supportedArchitectures();

} // namespace mg::lm
