#include "io/source_summary.h"

#include <nlohmann/json.hpp>

#include "io/hf_model_folder.h"
#include "io/peft_adapter.h"

namespace mg::io {
namespace {

AdapterSummary summarizeAdapter(const PeftAdapter& adapter) {
  const LoraConfig& c = adapter.config();
  AdapterSummary s;
  s.peftType = adapter.peftType();
  s.rank = c.r;
  s.alpha = c.loraAlpha;
  // The config's default; rank/alpha patterns may differ per module. IA³ has no scaling.
  s.scaling = adapter.isIa3() ? 0 : c.scalingFor("");
  s.useRslora = c.useRslora;
  s.useDora = c.useDora;
  s.fanInFanOut = c.fanInFanOut;
  s.targetModules = c.targetModules;
  s.moduleCount = adapter.isIa3() ? adapter.ia3Modules().size() : adapter.modules().size();
  s.replacementCount = adapter.replacements().size();
  s.baseModel = c.baseModelNameOrPath;
  return s;
}

} // namespace

SourceSummary summarize(const TensorSource& source) {
  SourceSummary s;
  s.path = source.path();
  s.kind = source.kind();
  s.tensors = source.tensors();
  s.metadata = source.metadata();
  for (const TensorInfo& t : s.tensors) {
    ++s.tensorCount;
    s.parameterCount += t.numel();
    s.bytes += t.nbytes();
    ++s.dtypeCounts[std::string(dtypeName(t.dtype))];
  }
  if (const auto* hf = dynamic_cast<const HfModelFolder*>(&source)) {
    s.modelType = hf->modelType();
    s.architecture = hf->architecture();
  }
  if (const auto* adapter = dynamic_cast<const PeftAdapter*>(&source)) s.adapter = summarizeAdapter(*adapter);
  return s;
}

std::string SourceSummary::toJson(int indent) const {
  nlohmann::ordered_json j;
  j["path"] = path;
  j["kind"] = sourceKindName(kind);
  j["tensor_count"] = tensorCount;
  j["parameter_count"] = parameterCount;
  j["bytes"] = bytes;
  j["dtypes"] = dtypeCounts;
  j["metadata"] = metadata;
  if (!modelType.empty()) j["model_type"] = modelType;
  if (!architecture.empty()) j["architecture"] = architecture;
  if (adapter) {
    j["adapter"] = {{"peft_type", adapter->peftType},
                    {"rank", adapter->rank},
                    {"alpha", adapter->alpha},
                    {"scaling", adapter->scaling},
                    {"use_rslora", adapter->useRslora},
                    {"use_dora", adapter->useDora},
                    {"fan_in_fan_out", adapter->fanInFanOut},
                    {"target_modules", adapter->targetModules},
                    {"module_count", adapter->moduleCount},
                    {"replacement_count", adapter->replacementCount},
                    {"base_model_name_or_path", adapter->baseModel}};
  }
  auto list = nlohmann::ordered_json::array();
  for (const TensorInfo& t : tensors)
    list.push_back({{"name", t.name}, {"dtype", std::string(dtypeName(t.dtype))}, {"shape", t.shape}});
  j["tensors"] = std::move(list);
  return j.dump(indent);
}

} // namespace mg::io
