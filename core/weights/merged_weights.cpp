#include "weights/merged_weights.h"

#include <ATen/ATen.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

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

  std::set<std::vector<std::string>> checkedAssignments;
  const int inputCount = static_cast<int>(recipe_.inputs.size());
  for (const io::TensorInfo& ref : reference.tensors()) {
    if (const auto from = takenFrom(ref.name)) {
      const io::TensorInfo* t = inputAt(*from).find(ref.name);
      if (!t)
        throw std::runtime_error("tensor '" + ref.name + "' is missing from " + inputName(recipe_, *from));
      outputs_.push_back(*t);
      continue;
    }
    io::TensorInfo out = ref;
    bool cropped = false;
    if (io::isFloatingPoint(ref.dtype)) {
      for (int i = (recipe_.base ? -1 : 0); i < inputCount; ++i) {
        if (i == referenceIndex) continue;
        const io::TensorInfo* t = inputAt(i).find(ref.name);
        if (!t)
          throw std::runtime_error("tensor '" + ref.name + "' is missing from " + inputName(recipe_, i));
        if (!io::isFloatingPoint(t->dtype))
          throw std::runtime_error("tensor '" + ref.name + "' is " + std::string(io::dtypeName(t->dtype)) +
                                   " in " + inputName(recipe_, i) + " but " +
                                   std::string(io::dtypeName(ref.dtype)) + " in " +
                                   inputName(recipe_, referenceIndex));
        if (t->shape == out.shape) continue;
        const bool sameTail = t->shape.size() == out.shape.size() && !out.shape.empty() &&
                              std::equal(t->shape.begin() + 1, t->shape.end(), out.shape.begin() + 1);
        if (!(io::isVocabularyTensor(ref.name) && sameTail))
          throw std::runtime_error("tensor '" + ref.name + "' has shape " + io::shapeToString(t->shape) +
                                   " in " + inputName(recipe_, i) + " but " + io::shapeToString(ref.shape) +
                                   " in " + inputName(recipe_, referenceIndex));
        out.shape[0] = std::min(out.shape[0], t->shape[0]);
        cropped = true;
      }
      if (cropped)
        warnings_.push_back("tensor '" + ref.name + "': vocabulary sizes differ; cropped to the common " +
                            std::to_string(out.shape[0]) + " rows");
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
    std::size_t extra = 0;
    for (const auto& t : inputAt(i).tensors())
      extra += reference.find(t.name) ? 0 : 1;
    if (extra)
      warnings_.push_back(std::to_string(extra) + " tensor(s) of " + inputName(recipe_, i) + " are not in " +
                          inputName(recipe_, referenceIndex) + " and are left out");
  }
}

at::Tensor MergedWeights::load(const std::string& name) const {
  const io::TensorInfo* out = find(name);
  if (!out) throw std::runtime_error("the merge has no tensor '" + name + "'");
  if (const auto from = takenFrom(name)) return inputAt(*from).load(name);
  const WeightSet& reference = recipe_.base ? *recipe_.base : *recipe_.inputs[0].weights;
  if (!io::isFloatingPoint(out->dtype)) return reference.load(name);

  // Inputs of a larger vocabulary are cropped to the output's rows (spec: linear, embeddings).
  auto fetch = [&](const WeightSet& w) {
    at::Tensor t = w.load(name);
    return out->shape.empty() || t.size(0) == out->shape[0] ? t : t.narrow(0, 0, out->shape[0]).contiguous();
  };
  std::vector<at::Tensor> inputs;
  std::vector<double> weights;
  for (const auto& in : recipe_.inputs) {
    inputs.push_back(fetch(*in.weights));
    weights.push_back(in.weight);
  }
  std::optional<at::Tensor> base;
  if (recipe_.base) base = fetch(*recipe_.base);
  ops::MergeParams params = ops::parseMergeParams(recipe_.method, assignmentsFor(name));
  params.seed = recipe_.seed;
  // Handed over: the merge may reuse the loaded tensors' memory for its task vectors.
  return ops::merge(recipe_.method, std::move(inputs), base, weights, params,
                    ops::TensorContext(name, io::isVocabularyTensor(name)));
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
