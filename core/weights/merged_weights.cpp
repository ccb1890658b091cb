#include "weights/merged_weights.h"

#include <ATen/ATen.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "weights/tensor_resolution.h"
#include "weights/vocabulary_alignment.h"
#include "ops/merge_method.h"
#include "util/version.h"

namespace mg::engine {
namespace {

std::string inputName(const MergeRecipe& r, int index) {
  if (index < 0) return "the base (" + r.baseLabel + ")";
  return "input " + std::to_string(index + 1) + " (" + r.inputs[static_cast<std::size_t>(index)].label + ")";
}

// Linear interpolation of a gradient list at t in [0, 1] (spec, per-layer gradients).
double interpolate(const std::vector<double>& values, double t) {
  if (values.size() == 1) return values[0];
  const double pos = t * double(values.size() - 1);
  const auto i = std::min(static_cast<std::size_t>(pos), values.size() - 2);
  const double frac = pos - double(i);
  return values[i] * (1 - frac) + values[i + 1] * frac;
}

std::string numberText(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

std::vector<double> numbers(const ParamRule& rule) {
  std::vector<double> out;
  for (const auto& v : rule.values) {
    std::size_t used = 0;
    double d = 0;
    try {
      d = std::stod(v, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != v.size())
      throw std::invalid_argument("parameter " + rule.name + ": gradient value '" + v + "' is not a number");
    out.push_back(d);
  }
  return out;
}

// The dtype mergekit averages permuted embedding rows in: the recipe's compute dtype, else the stored one.
ops::Precision vocabularyPrecision(const MergeRecipe& recipe, io::DType stored) {
  switch (recipe.computeDtype) {
  case ComputeDtype::F32: return ops::Precision::F32;
  case ComputeDtype::BF16: return ops::Precision::BF16;
  case ComputeDtype::F16: return ops::Precision::F16;
  case ComputeDtype::Auto: break;
  }
  return stored == io::DType::BF16  ? ops::Precision::BF16
         : stored == io::DType::F16 ? ops::Precision::F16
                                    : ops::Precision::F32;
}

} // namespace

MergedWeights::MergedWeights(MergeRecipe recipe) : recipe_(std::move(recipe)) {
  for (const auto& rule : recipe_.params) {
    try {
      paramFilters_.emplace_back(rule.filter);
    } catch (const std::regex_error&) {
      throw std::invalid_argument("parameter " + rule.name + ": filter '" + rule.filter +
                                  "' is not a valid regex");
    }
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
  std::vector<std::string> out;
  std::set<std::string> seen;
  const int layer = layerIndexOf(tensorName);
  for (std::size_t i = 0; i < recipe_.params.size(); ++i) {
    const ParamRule& rule = recipe_.params[i];
    if (seen.count(rule.name) || !std::regex_search(tensorName, paramFilters_[i])) continue;
    seen.insert(rule.name); // first match wins
    if (rule.values.size() == 1) {
      out.push_back(rule.name + "=" + rule.values[0]);
    } else {
      const double t = layer < 0 || layerCount_ < 2 ? 0.0 : double(layer) / double(layerCount_ - 1);
      out.push_back(rule.name + "=" + numberText(interpolate(numbers(rule), t)));
    }
  }
  return out;
}

void MergedWeights::plan() {
  const ops::MethodInfo& method = ops::mergeMethod(recipe_.method);
  if (method.needsData)
    throw std::invalid_argument("method " + method.name +
                                " needs evaluation data and cannot run on weights alone");
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
      outputs_.push_back(out);
      continue;
    }
    io::TensorInfo out = ref;
    if (io::isFloatingPoint(ref.dtype)) {
      const TensorPlan tensorPlan = planSources(method, ref.name);
      if (tensorPlan.partial.outcome == PartialOutcome::Drop) continue;
      std::vector<std::optional<std::int64_t>> modelRows;
      for (int i = (recipe_.base ? -1 : 0); i < inputCount; ++i) {
        const auto& held = i < 0 ? tensorPlan.sources.base : tensorPlan.sources.inputs[std::size_t(i)];
        const io::TensorInfo* heldInfo = held ? inputAt(i).find(*held) : nullptr;
        modelRows.push_back(heldInfo && !heldInfo->shape.empty() ? std::optional(heldInfo->shape[0])
                                                                 : std::nullopt);
        if (!held || i == referenceIndex) continue;
        const io::TensorInfo* t = heldInfo;
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
    vocabulary_->align(recipe_.base != nullptr, models, out->shape[0],
                       vocabularyPrecision(recipe_, out->dtype));
  const std::size_t firstInput = recipe_.base ? 1 : 0;
  if (tensorPlan.partial.outcome == PartialOutcome::Copy)
    return *models[tensorPlan.partial.copyFrom < 0 ? 0
                                                   : firstInput + std::size_t(tensorPlan.partial.copyFrom)];

  // The inputs that hold the tensor (mergekit leaves the others out of this tensor's merge).
  std::vector<at::Tensor> inputs;
  std::vector<double> weights;
  for (std::size_t i = 0; i < recipe_.inputs.size(); ++i) {
    if (!models[firstInput + i]) continue;
    inputs.push_back(std::move(*models[firstInput + i]));
    weights.push_back(recipe_.inputs[i].weight);
  }
  std::optional<at::Tensor> base = recipe_.base ? models.front() : std::nullopt;
  ops::MergeParams params = ops::parseMergeParams(recipe_.method, assignmentsFor(name));
  params.seed = recipe_.seed;
  // Handed over: the merge may reuse the loaded tensors' memory for its task vectors.
  return ops::merge(recipe_.method, std::move(inputs), base, weights, params,
                    ops::TensorContext(name, io::isVocabularyTensor(name)));
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
  auto inputs = nlohmann::ordered_json::array();
  for (const auto& in : recipe_.inputs)
    inputs.push_back({{"path", in.label}, {"weight", in.weight}});
  j["inputs"] = inputs;
  auto params = nlohmann::ordered_json::array();
  for (const auto& p : recipe_.params)
    params.push_back({{"name", p.name}, {"filter", p.filter}, {"values", p.values}});
  j["parameters"] = params;
  auto take = nlohmann::ordered_json::array();
  for (const auto& t : recipe_.take)
    take.push_back(
        {{"filter", t.filter}, {"input", t.input < 0 ? std::string("base") : std::to_string(t.input + 1)}});
  j["take"] = take;
  return j.dump();
}

} // namespace mg::engine
