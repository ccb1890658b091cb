#include "weights/lora_extraction.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <regex>

#include "io/atomic_folder.h"
#include "io/peft_adapter.h"
#include "ops/lora_ops.h"
#include "tensor/torch_convert.h"

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

LoraExtractionReport extractLoraAdapter(const WeightSet& base, const WeightSet& finetuned,
                                        const std::string& outFolder, const LoraExtractionOptions& options) {
  LoraExtractionReport report;
  io::LoraConfig config;
  config.r = static_cast<int>(options.maxRank);
  config.loraAlpha = static_cast<double>(options.maxRank); // scaling 1: the factors carry the delta
  config.baseModelNameOrPath = options.baseModelName;
  std::vector<io::TensorData> factors;
  std::vector<std::string> replacedModules;

  for (const io::TensorInfo& info : base.tensors()) {
    const io::TensorInfo* ft = finetuned.find(info.name);
    if (!ft) throw std::runtime_error("tensor '" + info.name + "' is missing from " + finetuned.describe());
    if (ft->shape != info.shape)
      throw std::runtime_error("tensor '" + info.name + "' has shape " + io::shapeToString(ft->shape) +
                               " in " + finetuned.describe() + " but " + io::shapeToString(info.shape) +
                               " in the base");
    if (!io::isFloatingPoint(info.dtype)) continue;
    const at::Tensor w0 = base.load(info.name);
    const at::Tensor w1 = finetuned.load(info.name);
    if (at::equal(w0, w1)) continue;
    const std::string module = moduleOf(info.name);
    const bool matrix = info.shape.size() == 2 && info.name.size() > 7 &&
                        info.name.compare(info.name.size() - 7, 7, ".weight") == 0;
    if (!matrix) {
      factors.push_back(tensor::fromTorch(w1, "base_model.model." + info.name, info.dtype));
      report.replaced.push_back(info.name);
      replacedModules.push_back(module);
      continue;
    }
    const bool embedding = isTokenEmbedding(info.name);
    const auto layout = embedding ? ops::LoraLayout::Embedding : ops::LoraLayout::Linear;
    const ops::LowRank lr = ops::extractLora(w1, w0, options.maxRank, options.epsilon, layout);
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
  if (factors.empty()) throw std::runtime_error(finetuned.describe() + " does not differ from the base");
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
  io::writePeftAdapter(folder.stagingPath(), config, factors,
                       {{"merganser_extracted_from", finetuned.describe()}});
  folder.commit();
  return report;
}

} // namespace mg::engine
