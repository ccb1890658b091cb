#include "engine/runners/language_model_access.h"

#include "engine/runners/weight_set_source.h"
#include "io/hf_model_folder.h"

namespace mg::engine {

LanguageModel loadLanguageModel(const NodeRunContext& context, const ModelValue& model,
                                const std::string& input, const std::vector<std::string>& adapters,
                                bool writableWeights) {
  if (!model.config)
    throw std::runtime_error("input '" + input + "' of " + context.describe() +
                             ": a language model needs the config.json of a Hugging Face folder: connect its "
                             "base model's folder as a Model source");
  const std::string folder = model.config->path();
  lm::LoadOptions load;
  load.adapters = adapters;
  load.writableWeights = writableWeights;
  // A Model source's label is its folder: its own files, mapped. Anything else the engine computes.
  if (model.label != folder) load.weights = std::make_shared<WeightSetSource>(model.weights, model.label);
  context.progress(-1, "loading the language model");
  return {lm::CausalLm::load(folder, load), text::loadTokenizer(folder)};
}

LanguageModel loadInputLanguageModel(const NodeRunContext& context, const NodeValue& model,
                                     const std::string& input) {
  if (const auto* adapter = std::get_if<AdapterValue>(&model)) {
    const auto* base = std::get_if<ModelValue>(&context.input("base"));
    if (!base)
      throw std::runtime_error("input '" + input + "' of " + context.describe() +
                               ": an adapter runs on its base: connect the base model to 'base'");
    return loadLanguageModel(context, *base, "base", {adapter->folder});
  }
  if (const auto* full = std::get_if<ModelValue>(&model)) return loadLanguageModel(context, *full, input);
  throw std::runtime_error("input '" + input + "' of " + context.describe() +
                           ": expected a model or an adapter");
}

} // namespace mg::engine
