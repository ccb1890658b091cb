// merge(): the call checked against the method's schema (ops/method_schemas.h), then adapted to each
// method's kernel.
#include "ops/merge_method.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <functional>
#include <map>
#include <stdexcept>

#include "ops/arcee_fusion.h"
#include "ops/data_aware_merge.h"
#include "ops/iso_merge.h"
#include "ops/knots_merge.h"
#include "ops/linear.h"
#include "ops/model_stock.h"
#include "ops/nearswap.h"
#include "ops/precision.h"
#include "ops/ram.h"
#include "ops/sce.h"
#include "ops/slerp.h"
#include "ops/spherical_mean.h"
#include "ops/task_arithmetic_family.h"
#include "ops/tsv_merge.h"
#include "ops/wudi_merge.h"

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

// The kernel of each method (the data-aware ones, fisher and regmean, read TensorContext::statistics).
MergeFn kernelOf(const MethodInfo& info);

// A boolean default from the method's schema, so the default is stated once (in the table below).
bool boolDefault(const MethodInfo& info, const std::string& name) {
  const auto* p = info.param(name);
  return p != nullptr && p->defaultValue == "true";
}

// `normalize` (linear) or `normalize_weights` (multislerp, karcher): one switch under mergekit's two names.
bool normalizeOf(const Call& call) {
  return call.params.normalize.value_or(boolDefault(call.info, "normalize") ||
                                        boolDefault(call.info, "normalize_weights"));
}

// Runs `f` on the inputs, or, with a base, on the task vectors θ_i − θ0 and adds θ0 back (each difference
// and the sum rounded to the compute dtype, as mergekit's torch code computes them in it).
at::Tensor onTaskVectors(const Call& call,
                         const std::function<at::Tensor(const std::vector<at::Tensor>&)>& f) {
  if (!call.base) {
    return f(call.inputs);
  }
  const auto precision = call.params.precision;
  std::vector<at::Tensor> deltas;
  for (const auto& input : call.inputs) {
    deltas.push_back(rounded(input - *call.base, precision));
  }
  return rounded(*call.base + f(deltas), precision);
}

at::Tensor runFamily(const Call& call) {
  return taskArithmeticMerge(*findFamilyMethod(call.info.name), std::move(call.inputs), *call.base,
                             call.weights, call.params, call.context.name);
}

at::Tensor runLinear(const Call& c) {
  return linearMerge(c.inputs, c.weights, normalizeOf(c), c.params.precision);
}

at::Tensor runSlerp(const Call& c) {
  const auto& v0 = c.base ? *c.base : c.inputs[0]; // spec: t = 0 gives the first input, or the base
  const auto& v1 = c.base ? c.inputs[0] : c.inputs[1];
  return slerp(v0, v1, c.params.t);
}

at::Tensor runNuslerp(const Call& c) {
  const double t = nuslerpFactor(c.weights[0], c.weights[1]);
  return onTaskVectors(c, [&](const std::vector<at::Tensor>& v) {
    return nuslerp(v[0], v[1], t, c.params.nuslerpRowWise, c.params.nuslerpFlatten, c.params.precision);
  });
}

at::Tensor runMultislerp(const Call& c) {
  return onTaskVectors(c, [&](const std::vector<at::Tensor>& v) {
    return multislerp(v, c.weights, normalizeOf(c), c.params.eps, c.params.precision);
  });
}

// mergekit's karcher: the models themselves, the base being one more, as points of equal weight; the
// weights are not used (a warning says so when they differ). weighted=true: Merganser's weighted mean of
// the task vectors (of the inputs without a base).
at::Tensor runKarcher(const Call& c) {
  if (c.params.weighted) {
    return onTaskVectors(c, [&](const std::vector<at::Tensor>& v) {
      return karcherMean(v, c.weights, normalizeOf(c), c.params.maxIter, c.params.tol, c.params.precision);
    });
  }
  const bool weightsDiffer =
      std::adjacent_find(c.weights.begin(), c.weights.end(), std::not_equal_to<>()) != c.weights.end();
  if (weightsDiffer && c.context.warnings != nullptr) {
    c.context.warnings->push_back("karcher weighs every model equally (as mergekit) and ignores the input "
                                  "weights; set weighted=true to use them");
  }
  std::vector<at::Tensor> points;
  if (c.base) {
    points.push_back(*c.base);
  }
  points.insert(points.end(), c.inputs.begin(), c.inputs.end());
  const std::vector<double> equal(points.size(), 1.0 / static_cast<double>(points.size()));
  return karcherMean(points, equal, /*normalizeWeights=*/false, c.params.maxIter, c.params.tol,
                     c.params.precision);
}

at::Tensor runModelStock(const Call& c) {
  return modelStock(c.inputs, *c.base, c.params.filterWise, c.params.precision);
}

at::Tensor runSce(const Call& c) {
  return sceMerge(c.inputs, *c.base, c.params.selectTopK, c.params.precision);
}

at::Tensor runNearswap(const Call& c) {
  return nearswap(*c.base, c.inputs[0], c.params.t, c.params.precision);
}

at::Tensor runArceeFusion(const Call& c) {
  return arceeFusion(*c.base, c.inputs[0], c.params.precision);
}

at::Tensor runRam(const Call& c) {
  return ramMerge(c.inputs, *c.base, c.params.epsilon, std::nullopt, c.params.precision);
}

at::Tensor runRamPlus(const Call& c) {
  return ramMerge(c.inputs, *c.base, c.params.epsilon, RamPlus{c.params.r, c.params.alpha},
                  c.params.precision);
}

at::Tensor runIsoC(const Call& c) {
  return isoCMerge(c.inputs, *c.base, c.weights, c.params.lambda);
}

at::Tensor runIsoCts(const Call& c) {
  return isoCtsMerge(c.inputs, *c.base, c.weights, c.params.lambda, c.params.commonFraction);
}

at::Tensor runTsv(const Call& c) {
  return tsvMerge(c.inputs, *c.base, c.weights, c.params.lambda, c.params.randomizedSvd, c.params.seed);
}

at::Tensor runWudi(const Call& c) {
  return wudiMerge(c.inputs, *c.base, c.weights, c.params.lambda, c.params.steps, c.params.learningRate);
}

at::Tensor runKnots(const Call& c) {
  return knotsMerge(std::move(c.inputs), *c.base, c.weights, c.params, c.context.lora, c.context.name);
}

// The data-aware merges: runChecked made sure the statistics are there.
at::Tensor runFisher(const Call& c) {
  std::vector<double> floors;
  for (std::size_t i = 0; i < c.inputs.size(); ++i)
    floors.push_back(c.params.epsilonOf(i));
  return fisherMerge(c.inputs, c.weights, *c.context.statistics, floors);
}

at::Tensor runRegmean(const Call& c) {
  return regmeanMerge(c.inputs, *c.context.statistics, c.params.alpha);
}

at::Tensor runPassthrough(const Call& c) {
  return passthrough(c.inputs[0], c.params.scale);
}

MergeFn kernelOf(const MethodInfo& info) {
  if (findFamilyMethod(info.name) != nullptr) {
    return &runFamily;
  }
  static const std::map<std::string, MergeFn> kernels = {
      {"linear", &runLinear},     {"slerp", &runSlerp},
      {"nuslerp", &runNuslerp},   {"multislerp", &runMultislerp},
      {"karcher", &runKarcher},   {"model_stock", &runModelStock},
      {"sce", &runSce},           {"passthrough", &runPassthrough},
      {"nearswap", &runNearswap}, {"arcee_fusion", &runArceeFusion},
      {"ram", &runRam},           {"ramplus_tl", &runRamPlus},
      {"iso_c", &runIsoC},        {"iso_cts", &runIsoCts},
      {"tsv", &runTsv},           {"wudi", &runWudi},
      {"knots", &runKnots},       {"fisher", &runFisher},
      {"regmean", &runRegmean},
  };
  const auto it = kernels.find(info.name);
  return it == kernels.end() ? nullptr : it->second;
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
    t = t.to(at::kFloat);
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

at::Tensor runChecked(const MethodInfo& info, MergeFn run, std::vector<at::Tensor> inputs,
                      const std::optional<at::Tensor>& base, const std::vector<double>& weights,
                      const MergeParams& params, const TensorContext& context) {
  if (run == nullptr) throw std::logic_error(info.name + " has no kernel");
  if (info.needsData && (!context.statistics || context.statistics->size() != inputs.size()))
    throw std::invalid_argument(info.name + " needs each input's statistics from its task data (a Tasks "
                                            "input on the node, merganser-cli merge --tasks)");
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
  for (auto& t : tensors) { // the inputs as the compute dtype holds them (mergekit: loaded in it)
    t = rounded(t, params.precision);
  }
  std::optional<at::Tensor> base32;
  if (base) {
    base32 = tensors.front();
    tensors.erase(tensors.begin());
  }
  const auto allWeights = weights.empty() ? std::vector<double>(count, 1.0) : weights;
  return run(Call{info, tensors, base32, allWeights, params, context});
}

} // namespace

at::Tensor merge(const std::string& method, std::vector<at::Tensor> inputs,
                 const std::optional<at::Tensor>& base, const std::vector<double>& weights,
                 const MergeParams& params, const TensorContext& context) {
  const auto& info = mergeMethod(method);
  const std::string where = context.name.empty() ? std::string() : "tensor '" + context.name + "': ";
  try {
    return rounded(runChecked(info, kernelOf(info), std::move(inputs), base, weights, params, context),
                   params.precision);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(where + error.what());
  } catch (const c10::Error& error) {
    throw std::runtime_error(where + method + ": " + error.what_without_backtrace());
  } catch (const std::runtime_error& error) {
    throw std::runtime_error(where + error.what());
  }
}

} // namespace mg::ops
