// The method table: each method's schema, built from the shared parameter definitions (ops/merge_params.h)
// and, for the task arithmetic family, from its rows (ops/family_methods.h).
#include "ops/method_schemas.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "ops/family_methods.h"

namespace mg::ops {

namespace {

ParamSpec spec(const std::string& name, std::optional<std::string> defaultValue = std::nullopt) {
  auto s = paramSpec(name);
  if (defaultValue) {
    s.defaultValue = *defaultValue;
  }
  return s;
}

// The same parameter with the meaning it has for one method (epsilon is DELLA's spread and RAM's threshold).
ParamSpec withHelp(ParamSpec s, std::string help) {
  s.help = std::move(help);
  return s;
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
  // mergekit takes rescale on every method of the family (without pruning it changes nothing).
  params.push_back(spec("rescale", toString(m.rescale)));
  if (m.sparsifier == Sparsifier::Random || m.sparsifier == Sparsifier::DellaMagprune) {
    params.push_back(spec("seed"));
  }
  if (m.consensus) {
    params.push_back(spec("consensus", toString(Consensus::Sum)));
  }
  params.push_back(spec("normalize", m.normalize ? "true" : "false"));
  params.push_back(spec("int8_mask"));
  return methodInfo(m.name, std::move(title), std::move(description), BaseUse::Required, 1, 0,
                    std::move(params));
}

// mergekit's nearswap has no default t: a recipe must give it. A new node in the editor starts at the value
// of the model the method comes from (QuartetAnemoi-70B-t0.0001).
ParamSpec nearswapT() {
  auto t = withHelp(spec("t", "0.0001"),
                    "Distance below which the input's value replaces the base's; farther entries move "
                    "towards it by t / distance");
  t.required = true;
  return t;
}

ParamSpec ramEpsilon() {
  return withHelp(spec("epsilon", "1e-05"),
                  "RAM: a task vector entry counts as changed when its magnitude is above epsilon");
}

std::vector<MethodInfo> buildSchemas() {
  const auto family = [](const char* name, const char* title, const char* description) {
    return familyInfo(*findFamilyMethod(name), title, description);
  };
  auto slerpInfo = withoutWeights(methodInfo(
      "slerp", "SLERP", "Spherical interpolation between two models (the base, when given, is the first)",
      BaseUse::Optional, 2, 2, {spec("t")}));
  slerpInfo.baseCountsAsInput = true;
  // The data-aware merges take a Tasks input (graph) or --tasks (CLI); the base only applies adapters.
  auto fisherInfo = methodInfo(
      "fisher", "Fisher merging",
      "Average weighted per parameter by each model's diagonal Fisher information on its own task's inputs",
      BaseUse::Optional, 1, 0,
      {withHelp(spec("epsilon", "1e-06"), "Fisher: floor of every Fisher value (per input), so parameters "
                                          "no task informs are the weighted average"),
       spec("examples")});
  fisherInfo.needsData = true;
  auto regmeanInfo = withoutWeights(methodInfo(
      "regmean", "RegMean",
      "Each dense layer solved for the least-squares fit of every model's outputs on its task's inputs "
      "(Gram matrices); other tensors averaged",
      BaseUse::Optional, 1, 0,
      {withHelp(spec("alpha", "0.9"), "RegMean: scale of the Gram matrices' off-diagonal entries, in [0, 1] "
                                      "(1: exact least squares)"),
       spec("examples")}));
  regmeanInfo.needsData = true;

  auto knotsInfo = methodInfo(
      "knots", "KnOTS",
      "LoRA adapters aligned by a joint SVD of their updates, the aligned coefficients "
      "merged by TIES or task arithmetic",
      BaseUse::Required, 1, 0,
      {spec("merge"), spec("lambda"),
       withHelp(spec("density", "0.2"), "TIES (merge=ties): fraction of each adapter's aligned coefficients "
                                        "kept; one value, or one per input separated by commas")});
  knotsInfo.mergesLoraFactors = true;

  return {
      methodInfo("linear", "Linear", "Weighted average of the inputs", BaseUse::Unused, 1, 0,
                 {spec("normalize", "true")}),
      family("task_arithmetic", "Task arithmetic", "Base plus the weighted sum of task vectors"),
      family("ties", "TIES", "Magnitude-pruned task vectors with sign consensus"),
      family("dare_ties", "DARE-TIES", "Randomly pruned, rescaled task vectors with sign consensus"),
      family("dare_linear", "DARE (linear)", "Randomly pruned, rescaled task vectors, summed"),
      family("breadcrumbs", "Model Breadcrumbs", "Task vectors without their smallest and largest entries"),
      family("breadcrumbs_ties", "Breadcrumbs-TIES", "Breadcrumbs pruning with sign consensus"),
      family("della", "DELLA", "Magnitude-rank sampled task vectors with sign consensus"),
      family("della_linear", "DELLA (linear)", "Magnitude-rank sampled task vectors, summed"),
      family("magnitude_prune", "Magnitude prune", "Magnitude-pruned task vectors, summed (PEFT)"),
      slerpInfo,
      methodInfo("nuslerp", "NuSLERP",
                 "Spherical interpolation of two models at t = w2/(w1+w2); of their task vectors with a base",
                 BaseUse::Optional, 2, 2, {spec("nuslerp_row_wise"), spec("nuslerp_flatten")}),
      methodInfo("multislerp", "Multi-SLERP",
                 "Spherical weighted mean of N models (tangent-space barycenter)", BaseUse::Optional, 1, 0,
                 {spec("normalize_weights"), spec("eps")}),
      methodInfo("karcher", "Karcher mean",
                 "Spherical (Karcher) mean of the models, the base included, with equal weights; weighted: "
                 "the weighted mean of the task vectors",
                 BaseUse::Optional, 1, 0,
                 {spec("max_iter"), spec("tol"), spec("weighted"), spec("normalize_weights")}),
      withoutWeights(
          methodInfo("model_stock", "Model Stock",
                     "Moves the average of the inputs towards the base by their task vectors' angle",
                     BaseUse::Required, 2, 0, {spec("filter_wise")})),
      withoutWeights(methodInfo(
          "sce", "SCE", "Variance-selected task vectors, weighted by their energy, with sign consensus",
          BaseUse::Required, 1, 0, {spec("select_topk"), spec("int8_mask")})),
      withoutWeights(methodInfo("nearswap", "NearSwap",
                                "The base, moved to the input's value where the two are closer than t",
                                BaseUse::Required, 1, 1, {nearswapT()})),
      withoutWeights(methodInfo("arcee_fusion", "Arcee Fusion",
                                "The base plus the input's changes of outlying importance (|change| times "
                                "the KL divergence of the rows)",
                                BaseUse::Required, 1, 1, {})),
      withoutWeights(methodInfo("ram", "RAM",
                                "Reinforced Agent Merging: task vector entries changed by one input kept, "
                                "those changed by several averaged",
                                BaseUse::Required, 1, 0, {ramEpsilon()})),
      withoutWeights(methodInfo("ramplus_tl", "RAM+ (tensor-local)",
                                "RAM with the entries only one input changed scaled up by the input's "
                                "shared-to-unique ratio",
                                BaseUse::Required, 1, 0, {spec("r"), spec("alpha"), ramEpsilon()})),
      methodInfo("iso_c", "Iso-C",
                 "Isotropic merging: the summed task vectors' singular vectors with a flat spectrum (their "
                 "mean singular value)",
                 BaseUse::Required, 1, 0, {spec("lambda")}),
      methodInfo("iso_cts", "Iso-CTS",
                 "Isotropic merging in the tasks' common subspace plus each task's own directions, "
                 "orthogonalised",
                 BaseUse::Required, 1, 0, {spec("lambda"), spec("common_fraction")}),
      methodInfo("tsv", "TSV-M",
                 "Task Singular Vectors: each task vector's top singular vectors (1/T of the rank), "
                 "decorrelated by orthogonal Procrustes",
                 BaseUse::Required, 1, 0,
                 {spec("lambda"), spec("randomized_svd"),
                  withHelp(spec("seed"), "With randomized_svd: seed of the random test matrices; the same "
                                         "seed gives bit-identical results")}),
      methodInfo(
          "wudi", "WUDI",
          "Task vectors optimised (Adam, from task arithmetic's sum) to interfere least with the inputs "
          "each task vector spans",
          BaseUse::Required, 1, 0, {spec("lambda"), spec("steps"), spec("learning_rate")}),
      knotsInfo,
      withoutWeights(methodInfo("passthrough", "Passthrough",
                                "One input, optionally scaled (layer stacking and slices)", BaseUse::Unused,
                                1, 1, {spec("scale")})),
      fisherInfo,
      regmeanInfo,
  };
}

const std::vector<MethodInfo>& schemas() {
  static const std::vector<MethodInfo> table = buildSchemas();
  return table;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

} // namespace

const ParamSpec* MethodInfo::param(const std::string& paramName) const {
  const auto it =
      std::find_if(params.begin(), params.end(), [&](const auto& p) { return p.name == paramName; });
  return it == params.end() ? nullptr : &*it;
}

const ParamSpec* MethodInfo::findParam(const std::string& nameOrAlias) const {
  if (const auto* exact = param(nameOrAlias)) {
    return exact;
  }
  const auto it = std::find_if(params.begin(), params.end(), [&](const auto& p) {
    return std::find(p.aliases.begin(), p.aliases.end(), nameOrAlias) != p.aliases.end();
  });
  return it == params.end() ? nullptr : &*it;
}

const std::vector<MethodInfo>& mergeMethods() {
  return schemas();
}

const std::vector<std::string>& perModelParamNames() {
  static const std::vector<std::string> names = {"weight", "density", "gamma", "epsilon", "scale"};
  return names;
}

std::vector<std::string> perModelParamsOf(const std::string& method) {
  const auto& info = mergeMethod(method);
  std::vector<std::string> names;
  for (const auto& name : perModelParamNames()) {
    if (name == "weight" ? info.usesWeights : info.param(name) != nullptr) names.push_back(name);
  }
  return names;
}

std::vector<std::string> mergeMethodNames() {
  std::vector<std::string> names;
  for (const auto& info : schemas()) {
    names.push_back(info.name);
  }
  return names;
}

const MethodInfo& mergeMethod(const std::string& name) {
  for (const auto& info : schemas()) {
    if (info.name == name) {
      return info;
    }
  }
  std::string known;
  for (const auto& info : schemas()) {
    known += (known.empty() ? "" : ", ") + info.name;
  }
  throw std::invalid_argument("unknown merge method '" + name + "' (known: " + known + ")");
}

MergeParams parseMergeParams(const std::string& method, const std::vector<std::string>& assignments) {
  const auto& info = mergeMethod(method);
  MergeParams params;
  // A method's own default of a number (ram's epsilon 1e-5, DELLA's 0.15, knots' density 0.2) is the value
  // when not given; the optional ones (normalize, rescale, consensus) stay unset and the kernel applies the
  // method's default.
  for (const auto& p : info.params) {
    if ((p.type == ParamType::Real || p.type == ParamType::Int || p.type == ParamType::RealList) &&
        p.defaultValue != paramSpec(p.name).defaultValue) {
      setParam(params, p.name, p.defaultValue);
    }
  }
  std::set<std::string> seen;
  for (const auto& assignment : assignments) {
    const auto eq = assignment.find('=');
    const auto name = trim(assignment.substr(0, eq));
    if (eq == std::string::npos || name.empty()) {
      throw std::invalid_argument("expected NAME=VALUE, got '" + assignment + "'");
    }
    const ParamSpec* known = info.findParam(name);
    if (known == nullptr) {
      std::string takes;
      for (const auto& p : info.params) {
        takes += (takes.empty() ? "" : ", ") + p.name;
      }
      throw std::invalid_argument("unknown parameter '" + name + "' for method " + method +
                                  " (takes: " + (takes.empty() ? "none" : takes) + ")");
    }
    if (!seen.insert(known->name).second) { // an old and a new name of one parameter count as the same
      throw std::invalid_argument("parameter '" + known->name + "' given twice");
    }
    setParam(params, known->name, trim(assignment.substr(eq + 1)));
  }
  for (const auto& p : info.params) {
    if (p.required && seen.count(p.name) == 0) {
      throw std::invalid_argument(method + " needs parameter " + p.name + " (it has no default)");
    }
  }
  return params;
}

void validateMergeParams(const std::string& method, const MergeParams& params) {
  for (const auto& p : mergeMethod(method).params) {
    checkParam(params, p.name);
  }
}

} // namespace mg::ops
