#include "weights/merged_adapter.h"

#include <ATen/ATen.h>

#include <map>
#include <numeric>

#include "weights/adapter_weights.h"
#include "io/atomic_folder.h"
#include "io/peft_adapter.h"
#include "ops/knots_merge.h"
#include "ops/lora_ops.h"
#include "ops/method_schemas.h"
#include "tensor/torch_convert.h"

namespace mg::engine {
namespace {

// The weight of each adapter's B·A in the result, when the result is exactly Σ c_i·s_i·B_i·A_i;
// nullopt when it is not (sparsification, consensus, per-tensor rules, full checkpoints, DoRA ...).
std::optional<std::vector<double>> exactCoefficients(const MergedWeights& merged,
                                                     std::vector<const AdapterWeights*>& adapters) {
  const MergeRecipe& r = merged.recipe();
  if ((r.method != "task_arithmetic" && r.method != "linear") || !r.take.empty() || r.inputs.empty())
    return std::nullopt;
  for (const auto& p : r.params)
    if (!p.filter.empty() || p.values.size() != 1) return std::nullopt;
  const ops::MergeParams params = ops::parseMergeParams(r.method, [&] {
    std::vector<std::string> a;
    for (const auto& p : r.params)
      a.push_back(p.name + "=" + p.values[0]);
    return a;
  }());
  const WeightSet* base = nullptr;
  for (const auto& in : r.inputs) {
    const auto* a = dynamic_cast<const AdapterWeights*>(in.weights.get());
    if (!a || a->adapter().config().useDora || a->adapter().isIa3() || !a->adapter().replacements().empty())
      return std::nullopt;
    if (base && &a->base() != base) return std::nullopt; // adapters on different bases
    if (r.base && &a->base() != r.base.get()) return std::nullopt;
    base = &a->base();
    adapters.push_back(a);
  }
  if (adapters.front()->adapter().config().fanInFanOut != adapters.back()->adapter().config().fanInFanOut)
    return std::nullopt;
  double sum = 0;
  for (const auto& in : r.inputs)
    sum += in.weight;
  std::vector<double> c;
  if (r.method == "linear") {
    // Σ w_i (θ0 + δ_i) / Σ w_i = θ0 + Σ (w_i / Σ w) δ_i; unnormalized it is not base-relative.
    if (params.normalize.has_value() && !*params.normalize) return std::nullopt;
    for (const auto& in : r.inputs)
      c.push_back(in.weight / sum);
  } else {
    const bool normalize = params.normalize.value_or(false);
    for (const auto& in : r.inputs)
      c.push_back(params.lambda * in.weight / (normalize ? sum : 1.0));
  }
  return c;
}

// One module's factors in the output adapter.
struct ModuleFactors {
  std::string module;
  bool embedding = false;
  ops::LowRank factors;
};

// Writes exact factors (scaling 1: alpha = rank per module, rank_pattern for modules of another rank than
// the largest) as a PEFT adapter, atomically at `outFolder`.
MergedAdapterReport writeFactorsAdapter(const std::vector<ModuleFactors>& modules, io::LoraConfig config,
                                        const std::string& outFolder, const std::string& how) {
  std::vector<io::TensorData> tensors;
  MergedAdapterReport report;
  report.exact = true;
  std::int64_t maxRank = 0;
  for (const auto& m : modules) {
    const std::int64_t rank = m.factors.A.size(0);
    maxRank = std::max(maxRank, rank);
    tensors.push_back(tensor::fromTorch(
        m.factors.A, io::peftKey(m.module, m.embedding ? "lora_embedding_A" : "lora_A"), io::DType::F32));
    tensors.push_back(tensor::fromTorch(
        m.factors.B, io::peftKey(m.module, m.embedding ? "lora_embedding_B" : "lora_B"), io::DType::F32));
    config.targetModules.push_back(m.module);
    report.modules.modules.push_back({m.module, rank, 0.0});
  }
  config.r = static_cast<int>(maxRank);
  config.loraAlpha = static_cast<double>(maxRank); // scaling 1: the coefficients live in the factors
  for (const auto& m : report.modules.modules)
    if (m.rank != maxRank) {
      config.rankPattern.emplace_back(m.module, static_cast<int>(m.rank));
      config.alphaPattern.emplace_back(m.module, static_cast<double>(m.rank));
    }
  io::AtomicFolder folder(outFolder);
  io::writePeftAdapter(folder.stagingPath(), config, tensors, {{"merganser_merged", how}});
  folder.commit();
  return report;
}

// KnOTS as an adapter (spec, "knots"): per adapted weight B = U·S^½, A = S^−½·C, with the parameters and
// weights the merge uses on that tensor. Modules whose merged update is 0 are left out (PEFT has no rank 0).
MergedAdapterReport writeKnotsAdapter(const MergedWeights& merged, const std::string& outFolder) {
  const MergeRecipe& r = merged.recipe();
  std::vector<const AdapterWeights*> adapters; // every input is one (MergedWeights checked)
  for (const auto& in : r.inputs)
    adapters.push_back(&dynamic_cast<const AdapterWeights&>(*in.weights));
  std::map<std::string, const io::LoraModule*> modules; // by base tensor, from the first adapter adapting it
  for (const auto* a : adapters)
    for (const auto& m : a->adapter().modules())
      modules.emplace(m.baseTensor, &m);
  std::vector<std::size_t> all(adapters.size());
  std::iota(all.begin(), all.end(), std::size_t{0});
  std::vector<ModuleFactors> factors;
  for (const auto& [tensorName, module] : modules) {
    ops::LoraInputs lora;
    for (const auto* a : adapters)
      lora.inputs.push_back(a->factors(tensorName));
    std::vector<double> weights;
    const ops::MergeParams params = merged.paramsFor(tensorName, all, weights);
    const auto update = ops::knotsUpdateOf(lora, weights, params, tensorName);
    if (!update || update->s.numel() == 0) continue;
    const auto* info = merged.find(tensorName);
    const auto layout =
        std::find_if(lora.inputs.begin(), lora.inputs.end(), [](const auto& f) { return f.has_value(); })
            ->value()
            .layout;
    factors.push_back({module->module, module->embedding, ops::knotsFactors(*update, info->shape, layout)});
  }
  io::LoraConfig config;
  config.fanInFanOut = adapters.front()->adapter().config().fanInFanOut;
  config.baseModelNameOrPath = adapters.front()->adapter().config().baseModelNameOrPath;
  return writeFactorsAdapter(factors, std::move(config), outFolder, "KnOTS (" + r.method + ")");
}

} // namespace

MergedAdapterReport writeConcatenatedAdapter(const std::vector<const io::PeftAdapter*>& adapters,
                                             const std::vector<double>& coefficients,
                                             const std::string& outFolder) {
  if (adapters.empty()) throw std::invalid_argument("no adapter to concatenate");
  for (const auto* a : adapters)
    a->requireLora("a LoRA concatenation (IA³ adapters combine by the weighted IA³ merge)");
  // Module → (A_i, B_i, c_i·s_i) over the adapters that adapt it.
  struct Parts {
    std::vector<at::Tensor> as, bs;
    std::vector<double> cs;
    bool embedding = false;
  };
  std::map<std::string, Parts> modules;
  for (std::size_t i = 0; i < adapters.size(); ++i) {
    const io::PeftAdapter& a = *adapters[i];
    for (const io::LoraModule& m : a.modules()) {
      Parts& p = modules[m.module];
      p.as.push_back(tensor::toTorchFloat32(a.load(m.loraA)));
      p.bs.push_back(tensor::toTorchFloat32(a.load(m.loraB)));
      p.cs.push_back(coefficients[i] * m.scaling);
      p.embedding = m.embedding;
    }
  }
  io::LoraConfig config;
  config.fanInFanOut = adapters.front()->config().fanInFanOut;
  config.baseModelNameOrPath = adapters.front()->config().baseModelNameOrPath;
  std::vector<ModuleFactors> factors;
  for (const auto& [module, p] : modules)
    factors.push_back({module, p.embedding, ops::catLoras(p.as, p.bs, p.cs)});
  return writeFactorsAdapter(factors, std::move(config), outFolder, "exact concatenation");
}

MergedAdapterReport writeMergedAdapter(const MergedWeights& merged, const std::string& outFolder,
                                       std::optional<std::int64_t> rank) {
  if (ops::mergeMethod(merged.recipe().method).mergesLoraFactors) return writeKnotsAdapter(merged, outFolder);
  std::vector<const AdapterWeights*> adapters;
  if (const auto c = exactCoefficients(merged, adapters)) {
    std::vector<const io::PeftAdapter*> peft;
    for (const auto* a : adapters)
      peft.push_back(&a->adapter());
    return writeConcatenatedAdapter(peft, *c, outFolder);
  }
  if (!rank)
    throw std::invalid_argument(
        "the " + merged.recipe().method +
        " merge is not low-rank by construction; give --adapter-rank R to truncate it by SVD");
  const WeightSet* base = merged.recipe().base.get();
  if (!base && !adapters.empty()) base = &adapters.front()->base();
  if (!base) throw std::invalid_argument("an adapter needs a base model: give --base");
  LoraExtractionOptions options;
  options.maxRank = *rank;
  options.baseModelName = merged.recipe().baseLabel;
  MergedAdapterReport report;
  report.modules = extractLoraAdapter(*base, merged, outFolder, options);
  return report;
}

} // namespace mg::engine
