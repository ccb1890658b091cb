#include "weights/merged_weights.h"

#include <ATen/ATen.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "weights/adapter_weights.h"
#include "weights/compute_dtype.h"
#include "weights/layer_slices.h"
#include "weights/tensor_resolution.h"
#include "weights/vocabulary_alignment.h"
#include "ops/knots_merge.h"
#include "ops/merge_method.h"
#include "ops/precision.h"
#include "util/version.h"

namespace mg::engine {
namespace {

std::string inputName(const MergeRecipe& r, int index) {
  if (index < 0) return "the base (" + r.baseLabel + ")";
  return "input " + std::to_string(index + 1) + " (" + r.inputs[static_cast<std::size_t>(index)].label + ")";
}

} // namespace

MergedWeights::MergedWeights(MergeRecipe recipe, RuleNaming naming)
    : recipe_(std::move(recipe)), naming_(std::move(naming)) {
  if (!recipe_.slices.empty()) {
    const auto sliced = std::make_shared<const SlicedMerge>(recipe_);
    outputs_ = sliced->tensors();
    warnings_ = sliced->warnings();
    tokenizerFiles_ = sliced->first().tokenizerFiles();
    for (std::size_t i = 0; i < sliced->sliceCount(); ++i)
      computedIn_.insert(sliced->slice(i).computedIn().begin(), sliced->slice(i).computedIn().end());
    sliced_ = sliced;
    return;
  }
  for (const auto& rule : recipe_.take) {
    if (rule.input >= static_cast<int>(recipe_.inputs.size()) || (rule.input < 0 && !recipe_.base))
      throw std::invalid_argument("take rule '" + rule.filter + "' names an input that does not exist");
    try {
      takeFilters_.emplace_back(rule.filter);
    } catch (const std::regex_error&) {
      throw std::invalid_argument("take rule filter '" + rule.filter + "' is not a valid regex");
    }
  }
  plan();
}

const WeightSet& MergedWeights::inputAt(int index) const {
  return index < 0 ? *recipe_.base : *recipe_.inputs[static_cast<std::size_t>(index)].weights;
}

std::optional<int> MergedWeights::takenFrom(const std::string& name) const {
  for (std::size_t i = 0; i < takeFilters_.size(); ++i)
    if (std::regex_search(name, takeFilters_[i])) return recipe_.take[i].input;
  return std::nullopt;
}

std::vector<std::string> MergedWeights::assignmentsFor(const std::string& tensorName) const {
  return rules_.assignments(tensorName, positionOf(tensorName));
}

double MergedWeights::positionOf(const std::string& tensorName) const {
  return gradientPosition(layerIndexOf(tensorName), layerCount_);
}

void MergedWeights::plan() {
  const ops::MethodInfo& method = ops::mergeMethod(recipe_.method);
  if (method.needsData)
    for (int i = 0; i < static_cast<int>(recipe_.inputs.size()); ++i)
      if (!recipe_.inputs[std::size_t(i)].statistics)
        throw std::invalid_argument("method " + method.name + " needs task data: " + inputName(recipe_, i) +
                                    " has no statistics (give the merge a Tasks input, or --tasks)");
  if (method.base == ops::BaseUse::Required && !recipe_.base)
    throw std::invalid_argument("method " + method.name + " needs a base model (--base)");
  if (method.base == ops::BaseUse::Unused && recipe_.base)
    throw std::invalid_argument("method " + method.name + " takes no base model; add it as a weighted input");
  const std::size_t counted = recipe_.inputs.size() + (method.baseCountsAsInput && recipe_.base ? 1 : 0);
  if (counted < method.minInputs || (method.maxInputs && counted > method.maxInputs)) {
    std::string want = method.maxInputs == method.minInputs ? "exactly " + std::to_string(method.minInputs)
                       : method.maxInputs
                           ? std::to_string(method.minInputs) + " to " + std::to_string(method.maxInputs)
                           : "at least " + std::to_string(method.minInputs);
    throw std::invalid_argument("method " + method.name + " needs " + want + " input(s)" +
                                (method.baseCountsAsInput ? " (a base counts as one)" : "") + ", got " +
                                std::to_string(counted));
  }
  for (const auto& in : recipe_.inputs)
    if (!in.weights) throw std::invalid_argument("a merge input is empty");
  if (method.mergesLoraFactors) // KnOTS works on the adapters' factors: a full model has none
    for (int i = 0; i < static_cast<int>(recipe_.inputs.size()); ++i) {
      const auto* adapter = dynamic_cast<const AdapterWeights*>(recipe_.inputs[std::size_t(i)].weights.get());
      if (!adapter)
        throw std::invalid_argument(method.name + " merges LoRA adapters: " + inputName(recipe_, i) +
                                    " is not a PEFT LoRA adapter");
      if (adapter->adapter().config().useDora)
        throw std::invalid_argument(method.name + " merges LoRA factors: " + inputName(recipe_, i) +
                                    " is a DoRA adapter");
      if (adapter->adapter().isIa3())
        throw std::invalid_argument(method.name + " merges LoRA factors: " + inputName(recipe_, i) +
                                    " is an IA³ adapter (it has scaling vectors, no factors)");
    }
  rules_ = RecipeRules(recipe_, method, warnings_, naming_);

  const WeightSet& reference = recipe_.base ? *recipe_.base : *recipe_.inputs.at(0).weights;
  const int referenceIndex = recipe_.base ? -1 : 0;
  for (const auto& info : reference.tensors())
    layerCount_ = std::max(layerCount_, layerIndexOf(info.name) + 1);

  // The output tokenizer (tokenizer source, chat template) and how embedding rows follow it.
  TokenizerOutput tokenizer = planTokenizer(recipe_);
  warnings_.insert(warnings_.end(), tokenizer.warnings.begin(), tokenizer.warnings.end());
  tokenizerFiles_ = std::move(tokenizer.files);
  vocabulary_ = std::make_shared<const VocabularyAlignment>(
      std::move(tokenizer.plan), VocabularyAlignment::alignsToBase(method, recipe_.base != nullptr));

  std::set<std::vector<std::string>> checkedAssignments;
  const int inputCount = static_cast<int>(recipe_.inputs.size());
  for (const io::TensorInfo& ref : outputCandidates(reference)) {
    if (const auto from = takenFrom(ref.name)) {
      const auto held = resolveTensorName(inputAt(*from), ref.name);
      if (!held)
        throw std::runtime_error("tensor '" + ref.name + "' is missing from " + inputName(recipe_, *from));
      io::TensorInfo out = *inputAt(*from).find(*held);
      out.name = ref.name;
      if (recipe_.outputDtype && io::isFloatingPoint(out.dtype)) out.dtype = *recipe_.outputDtype;
      outputs_.push_back(out);
      continue;
    }
    io::TensorInfo out = ref;
    if (io::isFloatingPoint(ref.dtype)) {
      const TensorPlan tensorPlan = planSources(method, ref.name);
      if (tensorPlan.partial.outcome == PartialOutcome::Drop) continue;
      std::vector<std::optional<std::int64_t>> modelRows;
      std::vector<io::DType> stored; // of the models holding the tensor, the base first
      for (int i = (recipe_.base ? -1 : 0); i < inputCount; ++i) {
        const auto& held = i < 0 ? tensorPlan.sources.base : tensorPlan.sources.inputs[std::size_t(i)];
        const io::TensorInfo* heldInfo = held ? inputAt(i).find(*held) : nullptr;
        modelRows.push_back(heldInfo && !heldInfo->shape.empty() ? std::optional(heldInfo->shape[0])
                                                                 : std::nullopt);
        if (held) stored.push_back(inputAt(i).find(*held)->dtype);
        if (!held || i == referenceIndex) continue;
        const io::TensorInfo* t = inputAt(i).find(*held);
        if (!io::isFloatingPoint(t->dtype))
          throw std::runtime_error("tensor '" + ref.name + "' is " + std::string(io::dtypeName(t->dtype)) +
                                   " in " + inputName(recipe_, i) + " but " +
                                   std::string(io::dtypeName(ref.dtype)) + " in " +
                                   inputName(recipe_, referenceIndex));
        if (t->shape == out.shape) continue;
        const bool sameTail = t->shape.size() == out.shape.size() && !out.shape.empty() &&
                              std::equal(t->shape.begin() + 1, t->shape.end(), out.shape.begin() + 1);
        if (!(VocabularyAlignment::hasVocabularyRows(ref.name, ref.shape) && sameTail))
          throw std::runtime_error("tensor '" + ref.name + "' has shape " + io::shapeToString(t->shape) +
                                   " in " + inputName(recipe_, i) + " but " + io::shapeToString(ref.shape) +
                                   " in " + inputName(recipe_, referenceIndex));
      }
      if (VocabularyAlignment::hasVocabularyRows(ref.name, ref.shape))
        out.shape[0] = vocabulary_->outputRows(ref.name, recipe_.base != nullptr, modelRows, warnings_);
      plans_.emplace(ref.name, tensorPlan);
      const TensorCompute compute = tensorCompute(recipe_, stored, recipe_.base && tensorPlan.sources.base);
      out.dtype = compute.output;
      precisions_.emplace(ref.name, compute.precision);
      computedIn_.insert(ops::toString(compute.precision));
      const auto assignments = assignmentsFor(ref.name);
      if (checkedAssignments.insert(assignments).second) {
        const ops::MergeParams unused =
            ops::parseMergeParams(recipe_.method, assignments); // fail now, not mid-export
        (void)unused;
      }
    }
    outputs_.push_back(out);
  }
  // Tensors some inputs have beyond the reference are not part of the output: say so.
  for (int i = (recipe_.base ? -1 : 0); i < inputCount; ++i) {
    std::set<std::string> used; // under their own names, an alias or as a tied head's embedding
    for (const auto& o : outputs_)
      used.insert(o.name);
    for (const auto& [name, tensorPlan] : plans_) {
      const auto& held = i < 0 ? tensorPlan.sources.base : tensorPlan.sources.inputs[std::size_t(i)];
      if (held) used.insert(*held);
    }
    std::size_t extra = 0;
    for (const auto& t : inputAt(i).tensors())
      extra += used.count(t.name) ? 0 : 1;
    if (extra)
      warnings_.push_back(std::to_string(extra) + " tensor(s) of " + inputName(recipe_, i) + " are not in " +
                          inputName(recipe_, referenceIndex) + " and are left out");
  }
}

at::Tensor MergedWeights::load(const std::string& name) const {
  const io::TensorInfo* out = find(name);
  if (!out) throw std::runtime_error("the merge has no tensor '" + name + "'");
  if (sliced_) return sliced_->load(name);
  if (const auto from = takenFrom(name)) return inputAt(*from).load(*resolveTensorName(inputAt(*from), name));
  const WeightSet& reference = recipe_.base ? *recipe_.base : *recipe_.inputs[0].weights;
  if (!io::isFloatingPoint(out->dtype)) return reference.load(name);

  // Each model's tensor (base first), nullopt where it lacks it; vocabulary rows brought to the output's.
  const TensorPlan& tensorPlan = plans_.at(name);
  std::vector<std::optional<at::Tensor>> models;
  if (recipe_.base)
    models.push_back(tensorPlan.sources.base ? std::optional(recipe_.base->load(*tensorPlan.sources.base))
                                             : std::nullopt);
  for (std::size_t i = 0; i < recipe_.inputs.size(); ++i) {
    const auto& held = tensorPlan.sources.inputs[i];
    models.push_back(held ? std::optional(recipe_.inputs[i].weights->load(*held)) : std::nullopt);
  }
  if (VocabularyAlignment::hasVocabularyRows(name, out->shape))
    vocabulary_->align(recipe_.base != nullptr, models, out->shape[0], precisions_.at(name));
  const std::size_t firstInput = recipe_.base ? 1 : 0;
  if (tensorPlan.partial.outcome == PartialOutcome::Copy)
    return *models[tensorPlan.partial.copyFrom < 0 ? 0
                                                   : firstInput + std::size_t(tensorPlan.partial.copyFrom)];

  // The inputs that hold the tensor (mergekit leaves the others out of this tensor's merge).
  std::vector<at::Tensor> inputs;
  std::vector<std::size_t> present;
  for (std::size_t i = 0; i < recipe_.inputs.size(); ++i) {
    if (!models[firstInput + i]) continue;
    inputs.push_back(std::move(*models[firstInput + i]));
    present.push_back(i);
  }
  std::optional<at::Tensor> base = recipe_.base ? models.front() : std::nullopt;
  std::vector<double> weights; // per model: a number, a gradient or filtered values
  const ops::MergeParams params = paramsFor(name, present, weights);
  std::vector<std::string> warnings;
  ops::TensorContext context(name, io::isVocabularyTensor(name), &warnings);
  ops::LoraInputs lora; // for a method that merges LoRA factors (checked to be adapters by plan())
  if (ops::mergeMethod(recipe_.method).mergesLoraFactors) {
    for (const std::size_t i : present)
      lora.inputs.push_back(static_cast<const AdapterWeights&>(*recipe_.inputs[i].weights).factors(name));
    context.lora = &lora;
  }
  std::vector<at::Tensor> statistics; // for a data-aware method (each input's, checked by plan())
  if (ops::mergeMethod(recipe_.method).needsData) {
    for (const std::size_t i : present) {
      const auto& own = *tensorPlan.sources.inputs[i]; // the input's name of the tensor
      const auto& stats = *recipe_.inputs[i].statistics;
      statistics.push_back(stats.find(own) ? stats.load(own) : at::Tensor());
    }
    context.statistics = &statistics;
  }
  // Handed over: the merge may reuse the loaded tensors' memory for its task vectors.
  auto merged = ops::merge(recipe_.method, std::move(inputs), base, weights, params, context);
  kernelWarnings_->add(warnings);
  return merged;
}

ops::MergeParams MergedWeights::paramsFor(const std::string& name, const std::vector<std::size_t>& present,
                                          std::vector<double>& weights) const {
  ops::MergeParams params = ops::parseMergeParams(recipe_.method, assignmentsFor(name));
  rules_.applyPerModel(present, name, positionOf(name), weights, params);
  params.seed = recipe_.seed;
  params.precision = precisions_.at(name);
  return params;
}

std::vector<std::string> MergedWeights::kernelWarnings() const {
  if (!sliced_) return kernelWarnings_->list();
  DistinctWarnings all; // each slice is a merge of its own
  for (std::size_t i = 0; i < sliced_->sliceCount(); ++i)
    all.add(sliced_->slice(i).kernelWarnings());
  return all.list();
}

std::vector<io::TensorInfo> MergedWeights::outputCandidates(const WeightSet& reference) const {
  std::vector<io::TensorInfo> out = reference.tensors();
  // An LM head the reference ties to its embedding (stores none) while another input stores one: mergekit
  // merges it, reading the tied embedding of the models without a head.
  std::set<std::string> added;
  for (int i = (recipe_.base ? -1 : 0); i < static_cast<int>(recipe_.inputs.size()); ++i)
    for (const auto& t : inputAt(i).tensors()) {
      if (reference.find(t.name) || added.count(t.name) || resolveTensorName(reference, t.name, false))
        continue;
      const auto tied = resolveTensorName(reference, t.name);
      if (!tied) continue;
      io::TensorInfo head = *reference.find(*tied);
      head.name = t.name;
      out.push_back(head);
      added.insert(t.name);
    }
  // Sorted by name, as WeightSet::find expects of tensors().
  std::sort(out.begin(), out.end(),
            [](const io::TensorInfo& a, const io::TensorInfo& b) { return a.name < b.name; });
  return out;
}

MergedWeights::TensorPlan MergedWeights::planSources(const ops::MethodInfo& method, const std::string& name) {
  TensorPlan p;
  std::vector<std::string> labels;
  if (recipe_.base) {
    p.sources.base = resolveTensorName(*recipe_.base, name);
    labels.push_back(inputName(recipe_, -1));
  }
  for (int i = 0; i < static_cast<int>(recipe_.inputs.size()); ++i) {
    p.sources.inputs.push_back(resolveTensorName(inputAt(i), name));
    labels.push_back(inputName(recipe_, i));
  }
  p.partial = planPartialTensor(method, name, recipe_.base != nullptr, p.sources, labels);
  if (!p.partial.note.empty()) warnings_.push_back(p.partial.note);
  return p;
}

std::string MergedWeights::provenanceJson() const {
  nlohmann::ordered_json j;
  j["tool"] = std::string("merganser ") + kVersion;
  j["method"] = recipe_.method;
  j["seed"] = recipe_.seed;
  if (recipe_.base) j["base"] = recipe_.baseLabel;
  // The requested compute dtype and the ones it resolved to (auto: the tensors' stored dtypes).
  j["compute_dtype"] = toString(recipe_.computeDtype);
  j["computed_in"] = std::vector<std::string>(computedIn_.begin(), computedIn_.end());
  if (recipe_.outputDtype) j["output_dtype"] = std::string(io::dtypeName(*recipe_.outputDtype));
  const auto rulesJson = [](const std::vector<ParamRule>& rules) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& p : rules) {
      out.push_back({{"name", p.name}, {"filter", p.filter}, {"values", p.values}});
      if (p.syntax == FilterSyntax::Mergekit) out.back()["filter_syntax"] = "mergekit";
    }
    return out;
  };
  auto inputs = nlohmann::ordered_json::array();
  for (const auto& in : recipe_.inputs) {
    inputs.push_back({{"path", in.label}, {"weight", in.weight}});
    if (!in.params.empty()) inputs.back()["parameters"] = rulesJson(in.params);
  }
  j["inputs"] = inputs;
  j["parameters"] = rulesJson(recipe_.params);
  if (!recipe_.slices.empty()) {
    auto slices = nlohmann::ordered_json::array();
    for (const auto& slice : recipe_.slices) {
      auto sources = nlohmann::ordered_json::array();
      for (const auto& src : slice.sources) {
        sources.push_back({{"input", src.input < 0 ? std::string("base") : std::to_string(src.input + 1)},
                           {"layer_range", {src.layerStart, src.layerEnd}}});
        if (!src.params.empty()) sources.back()["parameters"] = rulesJson(src.params);
      }
      slices.push_back({{"sources", sources}});
      if (!slice.params.empty()) slices.back()["parameters"] = rulesJson(slice.params);
    }
    j["slices"] = slices;
  }
  auto take = nlohmann::ordered_json::array();
  for (const auto& t : recipe_.take)
    take.push_back(
        {{"filter", t.filter}, {"input", t.input < 0 ? std::string("base") : std::to_string(t.input + 1)}});
  j["take"] = take;
  return j.dump();
}

} // namespace mg::engine
