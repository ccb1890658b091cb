#include "weights/lora_extraction.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <functional>
#include <regex>
#include <stdexcept>

#include "io/atomic_folder.h"
#include "io/peft_adapter.h"
#include "ops/lora_ops.h"
#include "tensor/torch_convert.h"
#include "weights/adapter_delta.h"

namespace mg::engine {
namespace {

bool isTokenEmbedding(const std::string& name) {
  static const std::regex pattern(R"((^|\.)(embed_tokens|wte|word_embeddings|tok_embeddings)\.weight$)");
  return std::regex_search(name, pattern);
}

std::string moduleOf(const std::string& tensorName) {
  const auto dot = tensorName.rfind('.');
  return dot == std::string::npos ? tensorName : tensorName.substr(0, dot);
}

// Pattern keys are regexes matched as (.*\.)?(k)$: escape the dots of a full module name.
std::string exactPattern(const std::string& module) {
  return std::regex_replace(module, std::regex(R"(\.)"), R"(\.)");
}

} // namespace

double LoraExtractionReport::maxRelativeError() const {
  double worst = 0;
  for (const auto& m : modules)
    worst = std::max(worst, m.relativeError);
  return worst;
}

namespace {

// What an adapter is made of, tensor by tensor: the common ground of the extraction, task vectors and an
// adapter's own update.
struct Changes {
  const std::vector<io::TensorInfo>& tensors;
  std::function<at::Tensor(const std::string&)> delta; // the change of a tensor, float32
  // The changed tensor's new value, saved whole when it is not a weight matrix; empty when not known.
  std::function<at::Tensor(const std::string&)> changed;
  std::string source;         // what the adapter was made from, for its metadata
  std::string nothingChanged; // the error when no tensor changes
  // How a weight matrix's change lies on it; empty: by its name (token embeddings, else linear).
  std::function<ops::LoraLayout(const io::TensorInfo&)> layout = {};
  // Tensors written as they are, with their PEFT keys (an input adapter's modules_to_save and biases),
  // and the input config fields the written config keeps (fan_in_fan_out, bias, modules_to_save) as its
  // starting point.
  std::vector<io::TensorData> carried = {};
  io::LoraConfig config = {};
};

bool isWeightMatrix(const io::TensorInfo& info) {
  return info.shape.size() == 2 && info.name.size() > 7 &&
         info.name.compare(info.name.size() - 7, 7, ".weight") == 0;
}

LoraExtractionReport writeLoraAdapter(const Changes& changes, const std::string& outFolder,
                                      const LoraExtractionOptions& options) {
  LoraExtractionReport report;
  io::LoraConfig config = changes.config;
  config.r = static_cast<int>(options.maxRank);
  config.loraAlpha = static_cast<double>(options.maxRank); // scaling 1: the factors carry the delta
  config.baseModelNameOrPath = options.baseModelName;
  std::vector<io::TensorData> factors;
  std::vector<std::string> replacedModules;

  for (const io::TensorInfo& info : changes.tensors) {
    if (!io::isFloatingPoint(info.dtype)) continue;
    const at::Tensor delta = changes.delta(info.name);
    if (!delta.ne(0).any().item<bool>()) continue;
    const std::string module = moduleOf(info.name);
    if (!isWeightMatrix(info)) {
      if (!changes.changed) {
        report.dropped.push_back(info.name);
        continue;
      }
      factors.push_back(
          tensor::fromTorch(changes.changed(info.name), "base_model.model." + info.name, info.dtype));
      report.replaced.push_back(info.name);
      replacedModules.push_back(module);
      continue;
    }
    const auto layout = changes.layout                ? changes.layout(info)
                        : isTokenEmbedding(info.name) ? ops::LoraLayout::Embedding
                                                      : ops::LoraLayout::Linear;
    const bool embedding = layout == ops::LoraLayout::Embedding;
    const ops::LowRank lr = ops::lowRankOfDelta(delta, options.maxRank, options.epsilon, layout);
    const std::int64_t rank = lr.A.size(0);
    if (rank == 0) continue; // the difference is below epsilon everywhere
    factors.push_back(tensor::fromTorch(lr.A, io::peftKey(module, embedding ? "lora_embedding_A" : "lora_A"),
                                        io::DType::F32));
    factors.push_back(tensor::fromTorch(lr.B, io::peftKey(module, embedding ? "lora_embedding_B" : "lora_B"),
                                        io::DType::F32));
    config.targetModules.push_back(module);
    if (rank != options.maxRank) {
      config.rankPattern.emplace_back(exactPattern(module), static_cast<int>(rank));
      config.alphaPattern.emplace_back(exactPattern(module), static_cast<double>(rank));
    }
    report.modules.push_back({module, rank, lr.relativeError});
  }
  if (factors.empty()) throw std::runtime_error(changes.nothingChanged);
  for (const io::TensorData& t : changes.carried) {
    factors.push_back(t);
    report.replaced.push_back(t.info.name);
  }
  // A trained bias of a LoRA-adapted layer is saved as PEFT's bias="lora_only"; other changed tensors
  // make their module a modules_to_save entry.
  for (const auto& m : replacedModules) {
    const bool adapted =
        std::find(config.targetModules.begin(), config.targetModules.end(), m) != config.targetModules.end();
    if (adapted) {
      config.bias = "lora_only";
    } else if (std::find(config.modulesToSave.begin(), config.modulesToSave.end(), m) ==
               config.modulesToSave.end()) {
      config.modulesToSave.push_back(m);
    }
  }
  io::AtomicFolder folder(outFolder);
  io::writePeftAdapter(folder.stagingPath(), config, factors, {{"merganser_extracted_from", changes.source}});
  folder.commit();
  return report;
}

} // namespace

LoraExtractionReport extractLoraAdapter(const WeightSet& base, const WeightSet& finetuned,
                                        const std::string& outFolder, const LoraExtractionOptions& options) {
  for (const io::TensorInfo& info : base.tensors()) {
    const io::TensorInfo* ft = finetuned.find(info.name);
    if (!ft) throw std::runtime_error("tensor '" + info.name + "' is missing from " + finetuned.describe());
    if (ft->shape != info.shape)
      throw std::runtime_error("tensor '" + info.name + "' has shape " + io::shapeToString(ft->shape) +
                               " in " + finetuned.describe() + " but " + io::shapeToString(info.shape) +
                               " in the base");
  }
  const Changes changes{base.tensors(),
                        [&](const std::string& name) { return finetuned.load(name) - base.load(name); },
                        [&](const std::string& name) { return finetuned.load(name); }, finetuned.describe(),
                        finetuned.describe() + " does not differ from the base"};
  return writeLoraAdapter(changes, outFolder, options);
}

LoraExtractionReport adapterToLoraAdapter(std::shared_ptr<const io::PeftAdapter> adapter,
                                          const std::string& outFolder,
                                          const LoraExtractionOptions& options) {
  const AdapterDelta update(adapter); // refuses DoRA
  Changes changes{update.tensors(),
                  [&](const std::string& name) { return update.load(name); },
                  {},
                  adapter->path(),
                  adapter->path() + " changes nothing: every module's update is zero",
                  [&](const io::TensorInfo& info) { return update.layoutOf(info.name); }};
  for (const auto& [name, key] : adapter->replacements())
    changes.carried.push_back(adapter->load(key));
  const io::LoraConfig& input = adapter->config();
  changes.config.fanInFanOut = input.fanInFanOut;
  changes.config.bias = input.bias;
  changes.config.modulesToSave = input.modulesToSave;
  return writeLoraAdapter(changes, outFolder, options);
}

LoraExtractionReport deltaToLoraAdapter(const WeightSet& deltas, const std::string& outFolder,
                                        const LoraExtractionOptions& options) {
  const Changes changes{deltas.tensors(),
                        [&](const std::string& name) { return deltas.load(name); },
                        {},
                        deltas.describe(),
                        deltas.describe() + " changes no weight matrix: there is no adapter to make"};
  return writeLoraAdapter(changes, outFolder, options);
}

} // namespace mg::engine
