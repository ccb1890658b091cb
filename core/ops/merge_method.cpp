// The method table: schemas built from the shared parameter definitions, and adapters from the uniform
// merge() call to each operator.
#include "ops/merge_method.h"

#include <algorithm>
#include <functional>
#include <set>
#include <stdexcept>

#include "ops/linear.h"
#include "ops/model_stock.h"
#include "ops/sce.h"
#include "ops/slerp.h"
#include "ops/spherical_mean.h"
#include "ops/task_arithmetic_family.h"

namespace mg::ops {

namespace {

// One merge() call after validation: float32 tensors of one shape, one weight per input.
struct Call {
  const MethodInfo& info;
  std::vector<at::Tensor>& inputs; // the method may take them over (see taskArithmeticMerge)
  const std::optional<at::Tensor>& base;
  const std::vector<double>& weights;
  const MergeParams& params;
  const TensorContext& context;
};

using MergeFn = at::Tensor (*)(const Call&);

struct Entry {
  MethodInfo info;
  MergeFn run;
};

ParamSpec spec(const std::string& name, std::optional<std::string> defaultValue = std::nullopt) {
  auto s = paramSpec(name);
  if (defaultValue) {
    s.defaultValue = *defaultValue;
  }
  return s;
}

// A boolean default from the method's schema, so the default is stated once (in the table below).
bool boolDefault(const MethodInfo& info, const std::string& name) {
  const auto* p = info.param(name);
  return p != nullptr && p->defaultValue == "true";
}

bool normalizeOf(const Call& call) {
  return call.params.normalize.value_or(boolDefault(call.info, "normalize"));
}

// Runs `f` on the inputs, or, with a base, on the task vectors θ_i − θ0 and adds θ0 back.
at::Tensor onTaskVectors(const Call& call,
                         const std::function<at::Tensor(const std::vector<at::Tensor>&)>& f) {
  if (!call.base) {
    return f(call.inputs);
  }
  std::vector<at::Tensor> deltas;
  for (const auto& input : call.inputs) {
    deltas.push_back(input - *call.base);
  }
  return *call.base + f(deltas);
}

MethodInfo methodInfo(std::string name, std::string title, std::string description, BaseUse base,
                      std::size_t minInputs, std::size_t maxInputs, std::vector<ParamSpec> params) {
  MethodInfo info;
  info.name = std::move(name);
  info.title = std::move(title);
  info.description = std::move(description);
  info.base = base;
  info.minInputs = minInputs;
  info.maxInputs = maxInputs;
  info.params = std::move(params);
  return info;
}

MethodInfo withoutWeights(MethodInfo info) {
  info.usesWeights = false;
  return info;
}

MethodInfo familyInfo(const FamilyMethod& m, std::string title, std::string description) {
  std::vector<ParamSpec> params = {spec("lambda")};
  if (m.sparsifier != Sparsifier::None) {
    params.push_back(spec("density"));
  }
  if (m.sparsifier == Sparsifier::MagnitudeOutliers) {
    params.push_back(spec("gamma"));
  }
  if (m.sparsifier == Sparsifier::DellaMagprune) {
    params.push_back(spec("epsilon"));
  }
  if (m.sparsifier == Sparsifier::Random || m.sparsifier == Sparsifier::DellaMagprune) {
    params.push_back(spec("rescale", toString(m.rescale)));
    params.push_back(spec("seed"));
  }
  if (m.consensus) {
    params.push_back(spec("consensus", toString(Consensus::Sum)));
  }
  params.push_back(spec("normalize", m.normalize ? "true" : "false"));
  return methodInfo(m.name, std::move(title), std::move(description), BaseUse::Required, 1, 0,
                    std::move(params));
}

at::Tensor runFamily(const Call& call) {
  return taskArithmeticMerge(*findFamilyMethod(call.info.name), std::move(call.inputs), *call.base,
                             call.weights, call.params, call.context.name);
}

at::Tensor runLinear(const Call& c) {
  return linearMerge(c.inputs, c.weights, normalizeOf(c));
}

at::Tensor runSlerp(const Call& c) {
  const auto& v0 = c.base ? *c.base : c.inputs[0]; // spec: t = 0 gives the first input, or the base
  const auto& v1 = c.base ? c.inputs[0] : c.inputs[1];
  return slerp(v0, v1, c.params.t);
}

at::Tensor runNuslerp(const Call& c) {
  const double t = nuslerpFactor(c.weights[0], c.weights[1]);
  return onTaskVectors(c, [&](const std::vector<at::Tensor>& v) {
    return nuslerp(v[0], v[1], t, c.params.rowWise, c.params.flatten);
  });
}

at::Tensor runMultislerp(const Call& c) {
  return onTaskVectors(
      c, [&](const std::vector<at::Tensor>& v) { return multislerp(v, c.weights, normalizeOf(c)); });
}

at::Tensor runKarcher(const Call& c) {
  return onTaskVectors(c, [&](const std::vector<at::Tensor>& v) {
    return karcherMean(v, c.weights, normalizeOf(c), c.params.maxIter, c.params.tol);
  });
}

at::Tensor runModelStock(const Call& c) {
  return modelStock(c.inputs, *c.base, c.params.rowWise);
}

at::Tensor runSce(const Call& c) {
  return sceMerge(c.inputs, *c.base, c.params.selectTopK);
}

at::Tensor runPassthrough(const Call& c) {
  return passthrough(c.inputs[0], c.params.scale);
}

std::vector<Entry> buildEntries() {
  const auto family = [](const char* name, const char* title, const char* description) {
    return Entry{familyInfo(*findFamilyMethod(name), title, description), &runFamily};
  };
  auto slerpInfo = withoutWeights(methodInfo(
      "slerp", "SLERP", "Spherical interpolation between two models (the base, when given, is the first)",
      BaseUse::Optional, 2, 2, {spec("t")}));
  slerpInfo.baseCountsAsInput = true;
  auto fisherInfo = methodInfo("fisher", "Fisher merging", "Fisher-weighted average (needs evaluation data)",
                               BaseUse::Unused, 1, 0, {});
  fisherInfo.needsData = true;
  auto regmeanInfo =
      methodInfo("regmean", "RegMean", "Regression mean of linear layers (needs evaluation data)",
                 BaseUse::Unused, 1, 0, {});
  regmeanInfo.needsData = true;

  return {
      {methodInfo("linear", "Linear", "Weighted average of the inputs", BaseUse::Unused, 1, 0,
                  {spec("normalize", "true")}),
       &runLinear},
      family("task_arithmetic", "Task arithmetic", "Base plus the weighted sum of task vectors"),
      family("ties", "TIES", "Magnitude-pruned task vectors with sign consensus"),
      family("dare_ties", "DARE-TIES", "Randomly pruned, rescaled task vectors with sign consensus"),
      family("dare_linear", "DARE (linear)", "Randomly pruned, rescaled task vectors, summed"),
      family("breadcrumbs", "Model Breadcrumbs", "Task vectors without their smallest and largest entries"),
      family("breadcrumbs_ties", "Breadcrumbs-TIES", "Breadcrumbs pruning with sign consensus"),
      family("della", "DELLA", "Magnitude-rank sampled task vectors with sign consensus"),
      family("della_linear", "DELLA (linear)", "Magnitude-rank sampled task vectors, summed"),
      family("magnitude_prune", "Magnitude prune", "Magnitude-pruned task vectors, summed (PEFT)"),
      {slerpInfo, &runSlerp},
      {methodInfo(
           "nuslerp", "NuSLERP",
           "Spherical interpolation of two models at t = w2/(w1+w2); of their task vectors with a base",
           BaseUse::Optional, 2, 2, {spec("row_wise"), spec("flatten")}),
       &runNuslerp},
      {methodInfo("multislerp", "Multi-SLERP",
                  "Spherical weighted mean of N models (tangent-space barycenter)", BaseUse::Optional, 1, 0,
                  {spec("normalize", "true")}),
       &runMultislerp},
      {methodInfo("karcher", "Karcher mean", "Spherical weighted (Karcher) mean of N models",
                  BaseUse::Optional, 1, 0, {spec("normalize", "true"), spec("max_iter"), spec("tol")}),
       &runKarcher},
      {withoutWeights(
           methodInfo("model_stock", "Model Stock",
                      "Moves the average of the inputs towards the base by their task vectors' angle",
                      BaseUse::Required, 2, 0, {spec("row_wise")})),
       &runModelStock},
      {withoutWeights(methodInfo(
           "sce", "SCE", "Variance-selected task vectors, weighted by their energy, with sign consensus",
           BaseUse::Required, 1, 0, {spec("select_topk")})),
       &runSce},
      {withoutWeights(methodInfo("passthrough", "Passthrough",
                                 "One input, optionally scaled (layer stacking and slices)", BaseUse::Unused,
                                 1, 1, {spec("scale")})),
       &runPassthrough},
      {fisherInfo, nullptr}, // registered so the GUI can list them; merge() reports the missing data
      {regmeanInfo, nullptr},
  };
}

const std::vector<Entry>& entries() {
  static const std::vector<Entry> table = buildEntries();
  return table;
}

const Entry& entry(const std::string& name) {
  for (const auto& e : entries()) {
    if (e.info.name == name) {
      return e;
    }
  }
  std::string known;
  for (const auto& e : entries()) {
    known += (known.empty() ? "" : ", ") + e.info.name;
  }
  throw std::invalid_argument("unknown merge method '" + name + "' (known: " + known + ")");
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

void checkArity(const MethodInfo& info, std::size_t inputs, bool hasBase) {
  if (info.base == BaseUse::Required && !hasBase) {
    throw std::invalid_argument(info.name + " needs a base model");
  }
  if (info.base == BaseUse::Unused && hasBase) {
    throw std::invalid_argument(info.name + " does not use a base model (add it as a weighted input)");
  }
  const auto count = inputs + (info.baseCountsAsInput && hasBase ? 1 : 0);
  const std::string note = info.baseCountsAsInput ? " (a base counts as one)" : "";
  if (info.minInputs == info.maxInputs && count != info.minInputs) {
    throw std::invalid_argument(info.name + " needs exactly " + std::to_string(info.minInputs) + " input" +
                                (info.minInputs == 1 ? "" : "s") + note + ", got " + std::to_string(count));
  }
  if (count < info.minInputs) {
    throw std::invalid_argument(info.name + " needs at least " + std::to_string(info.minInputs) + " input" +
                                (info.minInputs == 1 ? "" : "s") + note + ", got " + std::to_string(count));
  }
  if (info.maxInputs != 0 && count > info.maxInputs) {
    throw std::invalid_argument(info.name + " takes at most " + std::to_string(info.maxInputs) + " inputs" +
                                note + ", got " + std::to_string(count));
  }
}

// The tensors in float32 and of one shape: embeddings of different vocabulary size are cropped to the
// common sub-matrix (spec, linear; mergekit's rectify_embed_sizes), other mismatches are errors.
void unifyShapes(std::vector<at::Tensor>& tensors, const std::vector<std::string>& labels,
                 const TensorContext& context) {
  for (auto& t : tensors) {
    t = t.to(torch::kFloat32);
  }
  auto common = tensors.front().sizes().vec();
  bool differ = false;
  for (std::size_t i = 1; i < tensors.size(); ++i) {
    if (tensors[i].sizes() == tensors.front().sizes()) {
      continue;
    }
    differ = true;
    if (!context.isEmbedding || tensors[i].dim() != tensors.front().dim()) {
      throw std::invalid_argument("shape mismatch: " + labels[i] + " has " + c10::str(tensors[i].sizes()) +
                                  ", " + labels.front() + " has " + c10::str(tensors.front().sizes()));
    }
    for (std::size_t d = 0; d < common.size(); ++d) {
      common[d] = std::min(common[d], tensors[i].size(static_cast<std::int64_t>(d)));
    }
  }
  if (!differ) {
    return;
  }
  for (auto& t : tensors) {
    for (std::size_t d = 0; d < common.size(); ++d) {
      t = t.narrow(static_cast<std::int64_t>(d), 0, common[d]);
    }
  }
  if (context.warnings != nullptr) {
    context.warnings->push_back("inputs of different vocabulary size: using the common sub-matrix " +
                                c10::str(at::IntArrayRef(common)));
  }
}

at::Tensor runChecked(const Entry& e, std::vector<at::Tensor> inputs, const std::optional<at::Tensor>& base,
                      const std::vector<double>& weights, const MergeParams& params,
                      const TensorContext& context) {
  const auto& info = e.info;
  if (info.needsData || e.run == nullptr) {
    throw std::runtime_error(info.name + " needs evaluation data (not available yet)");
  }
  checkArity(info, inputs.size(), base.has_value());
  if (!weights.empty() && weights.size() != inputs.size()) {
    throw std::invalid_argument(info.name + ": " + std::to_string(weights.size()) + " weights for " +
                                std::to_string(inputs.size()) + " inputs");
  }
  validateMergeParams(info.name, params);

  std::vector<at::Tensor> tensors;
  std::vector<std::string> labels;
  if (base) {
    tensors.push_back(*base);
    labels.emplace_back("the base");
  }
  const std::size_t count = inputs.size();
  for (std::size_t i = 0; i < count; ++i) {
    tensors.push_back(std::move(inputs[i])); // moved, so that a method may reuse memory nobody else holds
    labels.push_back("input " + std::to_string(i + 1));
  }
  inputs.clear();
  unifyShapes(tensors, labels, context);
  std::optional<at::Tensor> base32;
  if (base) {
    base32 = tensors.front();
    tensors.erase(tensors.begin());
  }
  const auto allWeights = weights.empty() ? std::vector<double>(count, 1.0) : weights;
  return e.run(Call{info, tensors, base32, allWeights, params, context});
}

} // namespace

const ParamSpec* MethodInfo::param(const std::string& paramName) const {
  const auto it =
      std::find_if(params.begin(), params.end(), [&](const auto& p) { return p.name == paramName; });
  return it == params.end() ? nullptr : &*it;
}

const std::vector<MethodInfo>& mergeMethods() {
  static const std::vector<MethodInfo> infos = [] {
    std::vector<MethodInfo> out;
    for (const auto& e : entries()) {
      out.push_back(e.info);
    }
    return out;
  }();
  return infos;
}

std::vector<std::string> mergeMethodNames() {
  std::vector<std::string> names;
  for (const auto& e : entries()) {
    names.push_back(e.info.name);
  }
  return names;
}

const MethodInfo& mergeMethod(const std::string& name) {
  return entry(name).info;
}

MergeParams parseMergeParams(const std::string& method, const std::vector<std::string>& assignments) {
  const auto& info = mergeMethod(method);
  MergeParams params;
  std::set<std::string> seen;
  for (const auto& assignment : assignments) {
    const auto eq = assignment.find('=');
    const auto name = trim(assignment.substr(0, eq));
    if (eq == std::string::npos || name.empty()) {
      throw std::invalid_argument("expected NAME=VALUE, got '" + assignment + "'");
    }
    if (info.param(name) == nullptr) {
      std::string takes;
      for (const auto& p : info.params) {
        takes += (takes.empty() ? "" : ", ") + p.name;
      }
      throw std::invalid_argument("unknown parameter '" + name + "' for method " + method +
                                  " (takes: " + (takes.empty() ? "none" : takes) + ")");
    }
    if (!seen.insert(name).second) {
      throw std::invalid_argument("parameter '" + name + "' given twice");
    }
    setParam(params, name, trim(assignment.substr(eq + 1)));
  }
  return params;
}

void validateMergeParams(const std::string& method, const MergeParams& params) {
  for (const auto& p : mergeMethod(method).params) {
    checkParam(params, p.name);
  }
}

at::Tensor merge(const std::string& method, std::vector<at::Tensor> inputs,
                 const std::optional<at::Tensor>& base, const std::vector<double>& weights,
                 const MergeParams& params, const TensorContext& context) {
  const auto& e = entry(method);
  const std::string where = context.name.empty() ? std::string() : "tensor '" + context.name + "': ";
  try {
    return runChecked(e, std::move(inputs), base, weights, params, context);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(where + error.what());
  } catch (const c10::Error& error) {
    throw std::runtime_error(where + method + ": " + error.what_without_backtrace());
  } catch (const std::runtime_error& error) {
    throw std::runtime_error(where + error.what());
  }
}

} // namespace mg::ops
