#include "weights/tensor_resolution.h"

#include <stdexcept>

#include "ops/method_schemas.h"

namespace mg::engine {
namespace {

bool resolutionEndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool resolutionStartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// The LayerNorm spellings of TensorFlow-era checkpoints (BERT, DistilBERT): gamma/beta for weight/bias.
std::vector<std::string> layerNormSpellings(const std::string& name) {
  static const std::pair<const char*, const char*> pairs[] = {{".LayerNorm.weight", ".LayerNorm.gamma"},
                                                              {".LayerNorm.bias", ".LayerNorm.beta"},
                                                              {".LayerNorm.gamma", ".LayerNorm.weight"},
                                                              {".LayerNorm.beta", ".LayerNorm.bias"}};
  std::vector<std::string> out{name};
  for (const auto& [from, to] : pairs)
    if (resolutionEndsWith(name, from))
      out.push_back(name.substr(0, name.size() - std::string(from).size()) + to);
  return out;
}

// The model prefixes some checkpoints store and others omit (GPT-2 "transformer.", BERT "bert.").
const char* const kOptionalPrefixes[] = {"transformer.", "bert.", "distilbert."};

} // namespace

std::vector<std::string> tensorAliases(const std::string& name) {
  std::vector<std::string> stems{name};
  for (const char* prefix : kOptionalPrefixes) {
    if (resolutionStartsWith(name, prefix)) stems.push_back(name.substr(std::string(prefix).size()));
  }
  bool prefixed = stems.size() > 1;
  if (!prefixed)
    for (const char* prefix : kOptionalPrefixes)
      stems.push_back(prefix + name);
  std::vector<std::string> out;
  for (const auto& stem : stems)
    for (const auto& spelling : layerNormSpellings(stem))
      if (spelling != name) out.push_back(spelling);
  return out;
}

std::vector<std::string> tiedTensorNames(const std::string& name) {
  // mergekit's architecture tables: each LM head and the embeddings it may be tied to.
  if (name == "lm_head.weight")
    return {"model.embed_tokens.weight",
            "model.language_model.embed_tokens.weight",
            "transformer.wte.weight",
            "wte.weight",
            "shared.weight",
            "encoder.embed_tokens.weight",
            "decoder.embed_tokens.weight",
            "backbone.embeddings.weight",
            "transformer.word_embeddings.weight"};
  if (name == "output.weight") return {"model.tok_embeddings.weight", "tok_embeddings.weight"};
  if (name == "embed_out.weight") return {"gpt_neox.embed_in.weight"};
  if (name == "lm_head.decoder.weight") return {"roberta.embeddings.word_embeddings.weight"};
  if (name == "vocab_projector.weight") return {"distilbert.embeddings.word_embeddings.weight"};
  if (name == "cls.predictions.decoder.weight") return {"bert.embeddings.word_embeddings.weight"};
  return {};
}

std::optional<std::string> resolveTensorName(const WeightSet& weights, const std::string& name,
                                             bool allowTied) {
  if (weights.find(name)) return name;
  for (const auto& alias : tensorAliases(name))
    if (weights.find(alias)) return alias;
  if (allowTied)
    for (const auto& tied : tiedTensorNames(name))
      if (weights.find(tied)) return tied;
  return std::nullopt;
}

std::size_t TensorSources::inputsHolding() const {
  std::size_t n = 0;
  for (const auto& i : inputs)
    n += i ? 1 : 0;
  return n;
}

PartialPlan planPartialTensor(const ops::MethodInfo& method, const std::string& tensor, bool hasBase,
                              const TensorSources& sources, const std::vector<std::string>& labels) {
  PartialPlan plan;
  const std::size_t holding = sources.inputsHolding();
  const bool baseHolds = hasBase && sources.base.has_value();
  if (holding == sources.inputs.size() && (baseHolds || !hasBase)) return plan; // all hold it
  std::string lacking;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const bool holds =
        hasBase ? (i == 0 ? baseHolds : sources.inputs[i - 1].has_value()) : sources.inputs[i].has_value();
    if (!holds) lacking += (lacking.empty() ? "" : ", ") + labels[i];
  }
  const std::string what = "tensor '" + tensor + "'";
  if (holding == 0 && !baseHolds) {
    plan.outcome = PartialOutcome::Drop;
    plan.note = what + " is in no model; left out";
    return plan;
  }
  if (hasBase && !baseHolds && method.base == ops::BaseUse::Required)
    throw std::runtime_error(what + " is missing from the base (" + labels.front() + "), which " +
                             method.name + " needs");
  const std::size_t counted = holding + (baseHolds && method.baseCountsAsInput ? 1 : 0);
  if (counted >= method.minInputs && holding > 0) {
    plan.note = what + " is missing from " + lacking + "; merged from the other models";
    return plan;
  }
  if (holding + (baseHolds ? 1 : 0) == 1) {
    plan.outcome = PartialOutcome::Copy;
    if (!baseHolds)
      for (std::size_t i = 0; i < sources.inputs.size(); ++i)
        if (sources.inputs[i]) plan.copyFrom = static_cast<int>(i);
    plan.note = what + " is missing from " + lacking + "; copied from the one model that has it";
    return plan;
  }
  if (method.name == "model_stock") {
    plan.outcome = PartialOutcome::Drop;
    plan.note = what + " is missing from " + lacking + "; too few models left for model_stock, left out";
    return plan;
  }
  throw std::runtime_error(what + " is missing from " + lacking + "; " + method.name +
                           " cannot merge the models left");
}

} // namespace mg::engine
