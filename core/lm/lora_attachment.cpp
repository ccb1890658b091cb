#include "lm/lora_attachment.h"

#include <ATen/ATen.h>

#include <map>

#include "io/io_error.h"
#include "io/peft_adapter.h"
#include "tensor/torch_convert.h"

namespace mg::lm::detail {

void attachAdapters(const std::vector<std::string>& folders, const std::vector<Projection*>& projections,
                    at::ScalarType dtype, const std::string& modelDescription) {
  std::map<std::string, Projection*> byModule;
  for (auto* p : projections)
    byModule[p->module] = p;
  for (std::size_t k = 0; k < folders.size(); ++k) {
    const io::PeftAdapter adapter(folders[k]);
    const auto fail = [&](const std::string& problem) { throw io::IoError(adapter.path(), problem); };
    const auto projectionOf = [&](const std::string& module) -> Projection& {
      auto it = byModule.find(module);
      if (it == byModule.end()) it = byModule.find("transformer." + module);
      if (it == byModule.end()) fail("module " + module + " is not a linear module of " + modelDescription);
      return *it->second;
    };
    if (!adapter.replacements().empty())
      fail("replaces whole tensors (" + adapter.replacements().begin()->first +
           ", modules_to_save or trained biases), which an unmerged adapter cannot apply");
    for (const auto& m : adapter.ia3Modules()) {
      Projection& p = projectionOf(m.module);
      const std::int64_t expected = m.feedforward ? p.inFeatures() : p.outFeatures();
      if (m.shape.size() != 2 || m.length != expected)
        fail("IA³ vector " + m.key + " " + io::shapeToString(m.shape) + " does not fit its module (" +
             (m.feedforward ? "feed-forward: " + std::to_string(expected) + " inputs"
                            : std::to_string(expected) + " outputs") +
             ")");
      if (!p.ia3.empty() && p.ia3.front().feedforward != m.feedforward)
        fail("module " + m.module + " scales its " + (m.feedforward ? "input" : "output") + " here but its " +
             (m.feedforward ? "output" : "input") +
             " in an adapter loaded before it (feedforward_modules differ)");
      auto l = tensor::toTorchFloat32(adapter.load(m.key)).to(dtype).contiguous();
      p.ia3.push_back({k, std::move(l), m.feedforward});
    }
    if (adapter.config().useDora) fail("DoRA adapters cannot be applied unmerged (merge them instead)");
    for (const auto& m : adapter.modules()) {
      if (m.embedding) fail("module " + m.module + " is an embedding LoRA, which is not supported unmerged");
      Projection& p = projectionOf(m.module);
      auto a = tensor::toTorchFloat32(adapter.load(m.loraA));
      auto b = tensor::toTorchFloat32(adapter.load(m.loraB));
      if (a.dim() != 2 || b.dim() != 2 || a.size(1) != p.inFeatures() || b.size(0) != p.outFeatures() ||
          a.size(0) != b.size(1))
        fail("module " + m.module + ": factors " + m.loraA + " " + io::shapeToString(a.sizes().vec()) +
             " and " + m.loraB + " " + io::shapeToString(b.sizes().vec()) + " do not fit its weight (in " +
             std::to_string(p.inFeatures()) + ", out " + std::to_string(p.outFeatures()) + ")");
      p.adapters.push_back({k, a.to(dtype).contiguous(), b.to(dtype).contiguous(), m.scaling});
    }
  }
}

} // namespace mg::lm::detail
