#include "weights/merged_adapter.h"

#include <ATen/ATen.h>

#include <map>
#include <numeric>

#include "weights/adapter_weights.h"
#include "io/atomic_folder.h"
#include "io/peft_adapter.h"
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
    if (!a || a->adapter().config().useDora || !a->adapter().replacements().empty()) return std::nullopt;
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

} // namespace

MergedAdapterReport writeConcatenatedAdapter(const std::vector<const io::PeftAdapter*>& adapters,
                                             const std::vector<double>& coefficients,
                                             const std::string& outFolder) {
  if (adapters.empty()) throw std::invalid_argument("no adapter to concatenate");
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
  std::vector<io::TensorData> factors;
  MergedAdapterReport report;
  report.exact = true;
  std::int64_t maxRank = 0;
  for (const auto& [module, p] : modules) {
    const ops::LowRank lr = ops::catLoras(p.as, p.bs, p.cs);
    const std::int64_t rank = lr.A.size(0);
    maxRank = std::max(maxRank, rank);
    factors.push_back(tensor::fromTorch(
        lr.A, io::peftKey(module, p.embedding ? "lora_embedding_A" : "lora_A"), io::DType::F32));
    factors.push_back(tensor::fromTorch(
        lr.B, io::peftKey(module, p.embedding ? "lora_embedding_B" : "lora_B"), io::DType::F32));
    config.targetModules.push_back(module);
    report.modules.modules.push_back({module, rank, 0.0});
  }
  config.r = static_cast<int>(maxRank);
  config.loraAlpha = static_cast<double>(maxRank); // scaling 1: the coefficients live in A
  for (const auto& m : report.modules.modules)
    if (m.rank != maxRank) {
      config.rankPattern.emplace_back(m.module, static_cast<int>(m.rank));
      config.alphaPattern.emplace_back(m.module, static_cast<double>(m.rank));
    }
  io::AtomicFolder folder(outFolder);
  io::writePeftAdapter(folder.stagingPath(), config, factors, {{"merganser_merged", "exact concatenation"}});
  folder.commit();
  return report;
}

MergedAdapterReport writeMergedAdapter(const MergedWeights& merged, const std::string& outFolder,
                                       std::optional<std::int64_t> rank) {
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
