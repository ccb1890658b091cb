#include "lm/lm_config.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "io/io_error.h"
#include "io/strict_json.h"
#include "io/text_file.h"

namespace mg::lm {

namespace {

using nlohmann::json;

struct Supported {
  const char* name;
  Architecture architecture;
};
constexpr Supported kSupported[] = {{"LlamaForCausalLM", Architecture::Llama},
                                    {"MistralForCausalLM", Architecture::Mistral},
                                    {"Qwen2ForCausalLM", Architecture::Qwen2},
                                    {"GPT2LMHeadModel", Architecture::Gpt2}};

// Reads config keys with one-line errors naming the file and the key.
class ConfigReader {
public:
  ConfigReader(const json& j, const std::string& file) : j_(j), file_(file) {}

  bool has(const char* key) const { return j_.contains(key) && !j_.at(key).is_null(); }
  std::int64_t integer(const char* key) const {
    if (!has(key)) fail(std::string("has no \"") + key + "\"");
    return positiveInteger(j_.at(key), key);
  }
  std::int64_t integer(const char* key, std::int64_t fallback) const {
    return has(key) ? positiveInteger(j_.at(key), key) : fallback;
  }
  double number(const char* key, double fallback) const {
    return has(key) ? number(j_.at(key), key) : fallback;
  }
  bool boolean(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    if (!j_.at(key).is_boolean()) fail(std::string("\"") + key + "\" is not true or false");
    return j_.at(key).get<bool>();
  }
  std::string string(const char* key, const std::string& fallback) const {
    if (!has(key)) return fallback;
    if (!j_.at(key).is_string()) fail(std::string("\"") + key + "\" is not a string");
    return j_.at(key).get<std::string>();
  }
  std::int64_t positiveInteger(const json& v, const std::string& key) const {
    if (!v.is_number_integer() || v.get<std::int64_t>() <= 0)
      fail("\"" + key + "\" is not a positive integer");
    return v.get<std::int64_t>();
  }
  double number(const json& v, const std::string& key) const {
    if (!v.is_number() || !std::isfinite(v.get<double>())) fail("\"" + key + "\" is not a number");
    return v.get<double>();
  }
  // An id or a list of ids (eos_token_id may be either).
  std::vector<std::int64_t> ids(const char* key) const {
    std::vector<std::int64_t> out;
    if (!has(key)) return out;
    const auto& v = j_.at(key);
    const auto one = [&](const json& e) {
      if (!e.is_number_integer() || e.get<std::int64_t>() < 0)
        fail(std::string("\"") + key + "\" is not a token id or a list of them");
      out.push_back(e.get<std::int64_t>());
    };
    if (v.is_array())
      for (const auto& e : v)
        one(e);
    else
      one(v);
    return out;
  }
  [[noreturn]] void fail(const std::string& problem) const { throw io::IoError(file_, problem); }
  const json& at(const char* key) const { return j_.at(key); }

private:
  const json& j_;
  const std::string& file_;
};

RopeScaling readRopeScaling(const ConfigReader& config) {
  RopeScaling scaling;
  if (!config.has("rope_scaling")) return scaling;
  const auto& r = config.at("rope_scaling");
  if (!r.is_object()) config.fail("\"rope_scaling\" is not an object");
  const ConfigReader sub(r, "");
  // Older configs call the key "type", newer ones "rope_type".
  std::string type;
  if (r.contains("rope_type") && r.at("rope_type").is_string())
    type = r.at("rope_type").get<std::string>();
  else if (r.contains("type") && r.at("type").is_string())
    type = r.at("type").get<std::string>();
  if (type == "default") return scaling;
  const auto number = [&](const char* key, double fallback) {
    if (!r.contains(key) || r.at(key).is_null()) return fallback;
    return config.number(r.at(key), std::string("rope_scaling.") + key);
  };
  if (type == "linear") {
    scaling.kind = RopeScaling::Kind::Linear;
  } else if (type == "llama3") {
    scaling.kind = RopeScaling::Kind::Llama3;
    scaling.lowFreqFactor = number("low_freq_factor", scaling.lowFreqFactor);
    scaling.highFreqFactor = number("high_freq_factor", scaling.highFreqFactor);
    scaling.originalMaxPositionEmbeddings =
        number("original_max_position_embeddings", scaling.originalMaxPositionEmbeddings);
    if (scaling.highFreqFactor <= scaling.lowFreqFactor)
      config.fail("rope_scaling: high_freq_factor must exceed low_freq_factor");
  } else {
    config.fail("rope_scaling type \"" + type + "\" is not supported (supported: linear, llama3)");
  }
  scaling.factor = number("factor", 0.0);
  if (scaling.factor <= 0) config.fail("rope_scaling has no positive \"factor\"");
  return scaling;
}

void readGpt2(const ConfigReader& c, LmConfig& m) {
  m.vocabSize = c.integer("vocab_size");
  m.hiddenSize = c.integer("n_embd");
  m.layers = c.integer("n_layer");
  m.heads = c.integer("n_head");
  m.kvHeads = m.heads;
  m.intermediateSize = c.integer("n_inner", 4 * m.hiddenSize);
  m.maxPositions = c.integer("n_positions");
  m.normEps = c.number("layer_norm_epsilon", 1e-5);
  m.activation = c.string("activation_function", "gelu_new");
  if (m.activation == "gelu_pytorch_tanh") m.activation = "gelu_new";
  if (m.activation != "gelu_new" && m.activation != "gelu")
    c.fail("activation_function \"" + m.activation + "\" is not supported (supported: gelu_new, gelu)");
  m.tieWordEmbeddings = c.boolean("tie_word_embeddings", true);
  m.scaleAttnByInverseLayerIdx = c.boolean("scale_attn_by_inverse_layer_idx", false);
  if (!c.boolean("scale_attn_weights", true)) c.fail("scale_attn_weights false is not supported");
  if (m.hiddenSize % m.heads != 0) c.fail("n_embd is not a multiple of n_head");
  m.headDim = m.hiddenSize / m.heads;
}

void readLlamaFamily(const ConfigReader& c, LmConfig& m) {
  m.vocabSize = c.integer("vocab_size");
  m.hiddenSize = c.integer("hidden_size");
  m.intermediateSize = c.integer("intermediate_size");
  m.layers = c.integer("num_hidden_layers");
  m.heads = c.integer("num_attention_heads");
  m.kvHeads = c.integer("num_key_value_heads", m.heads);
  if (m.heads % m.kvHeads != 0) c.fail("num_attention_heads is not a multiple of num_key_value_heads");
  if (!c.has("head_dim") && m.hiddenSize % m.heads != 0)
    c.fail("hidden_size is not a multiple of num_attention_heads");
  m.headDim = c.integer("head_dim", m.hiddenSize / m.heads);
  if (m.headDim % 2 != 0) c.fail("head_dim is odd: RoPE rotates pairs");
  m.maxPositions = c.integer("max_position_embeddings", 4096);
  m.normEps = c.number("rms_norm_eps", 1e-6);
  m.ropeTheta = c.number("rope_theta", 10000.0);
  m.ropeScaling = readRopeScaling(c);
  m.tieWordEmbeddings = c.boolean("tie_word_embeddings", false);
  m.activation = c.string("hidden_act", "silu");
  if (m.activation != "silu")
    c.fail("hidden_act \"" + m.activation + "\" is not supported (supported: silu)");
  switch (m.architecture) {
  case Architecture::Llama:
    m.qkvBias = m.outputBias = c.boolean("attention_bias", false);
    m.mlpBias = c.boolean("mlp_bias", false);
    break;
  case Architecture::Mistral:
    if (c.has("sliding_window")) m.slidingWindow = c.integer("sliding_window");
    break;
  case Architecture::Qwen2:
    m.qkvBias = true;
    // Qwen2 slides only when asked to, and then on the layers from max_window_layers on.
    if (c.boolean("use_sliding_window", false) && c.has("sliding_window")) {
      m.slidingWindow = c.integer("sliding_window");
      m.slidingFromLayer = 28; // Qwen2Config's default
      if (c.has("max_window_layers")) {
        const auto& v = c.at("max_window_layers");
        if (!v.is_number_integer() || v.get<std::int64_t>() < 0)
          c.fail("\"max_window_layers\" is not a non-negative integer");
        m.slidingFromLayer = v.get<std::int64_t>();
      }
    }
    break;
  case Architecture::Gpt2: break;
  }
}

} // namespace

std::string supportedArchitectures() {
  std::string out;
  for (const auto& s : kSupported)
    out += (out.empty() ? "" : ", ") + std::string(s.name);
  return out;
}

std::string LmConfig::describe() const {
  std::string out = architectureName + " (" + std::to_string(layers) + " layers, hidden " +
                    std::to_string(hiddenSize) + ", " + std::to_string(heads) + " heads";
  if (kvHeads != heads) out += " / " + std::to_string(kvHeads) + " kv heads";
  return out + ", vocab " + std::to_string(vocabSize) + ")";
}

LmConfig LmConfig::fromJson(const std::string& jsonText, const std::string& file) {
  const json j = io::parseStrictJson(jsonText, file, "config");
  if (!j.is_object()) throw io::IoError(file, "config is not a JSON object");
  const ConfigReader c(j, file);
  LmConfig m;
  if (!c.has("architectures") || !c.at("architectures").is_array() || c.at("architectures").empty() ||
      !c.at("architectures")[0].is_string())
    c.fail("names no \"architectures\" (supported: " + supportedArchitectures() + ")");
  m.architectureName = c.at("architectures")[0].get<std::string>();
  const auto found = std::find_if(std::begin(kSupported), std::end(kSupported),
                                  [&](const Supported& s) { return m.architectureName == s.name; });
  if (found == std::end(kSupported))
    c.fail("architecture \"" + m.architectureName +
           "\" is not supported (supported: " + supportedArchitectures() + ")");
  m.architecture = found->architecture;
  if (m.architecture == Architecture::Gpt2)
    readGpt2(c, m);
  else
    readLlamaFamily(c, m);
  m.eosTokenIds = c.ids("eos_token_id");
  if (const auto bos = c.ids("bos_token_id"); !bos.empty()) m.bosTokenId = bos.front();
  return m;
}

LmConfig LmConfig::fromFolder(const std::string& folder) {
  const auto path = (std::filesystem::path(folder) / "config.json").string();
  auto config = fromJson(io::readTextFile(path), path);
  const auto generation = (std::filesystem::path(folder) / "generation_config.json").string();
  if (std::filesystem::is_regular_file(generation)) {
    const json j = io::parseStrictJson(io::readTextFile(generation), generation, "generation config");
    if (j.is_object())
      for (const auto id : ConfigReader(j, generation).ids("eos_token_id"))
        if (std::find(config.eosTokenIds.begin(), config.eosTokenIds.end(), id) == config.eosTokenIds.end())
          config.eosTokenIds.push_back(id);
  }
  return config;
}

} // namespace mg::lm
