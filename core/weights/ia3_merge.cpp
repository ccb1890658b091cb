#include "weights/ia3_merge.h"

#include <ATen/ATen.h>

#include <map>
#include <set>
#include <stdexcept>

#include "io/atomic_folder.h"
#include "tensor/torch_convert.h"

namespace mg::engine {

namespace {

struct MergedVector {
  at::Tensor sum; // Σ w_i·l_i in the stored shape, float32
  bool feedforward = false;
  std::string firstAdapter;
};

} // namespace

Ia3MergeReport writeWeightedIa3Adapter(const std::vector<const io::PeftAdapter*>& adapters,
                                       const std::vector<double>& weights, const std::string& outFolder) {
  if (adapters.empty()) throw std::invalid_argument("no IA³ adapter to merge");
  if (weights.size() != adapters.size()) throw std::invalid_argument("one weight per IA³ adapter is needed");
  const io::PeftAdapter& first = *adapters.front();
  std::map<std::string, MergedVector> modules;              // by module name
  std::map<std::string, const io::PeftAdapter*> replacedBy; // base tensor -> the adapter replacing it
  for (std::size_t i = 0; i < adapters.size(); ++i) {
    const io::PeftAdapter& a = *adapters[i];
    if (!a.isIa3())
      throw std::invalid_argument("the weighted IA³ merge combines IA³ adapters only: " + a.path() + " is " +
                                  a.peftType() + (first.isIa3() ? " and " + first.path() + " is IA3" : ""));
    if (a.config().fanInFanOut != first.config().fanInFanOut)
      throw std::invalid_argument("IA³ adapters " + first.path() + " and " + a.path() +
                                  " differ in fan_in_fan_out: they are not adapters of one base");
    for (const auto& m : a.ia3Modules()) {
      const at::Tensor l = tensor::toTorchFloat32(a.load(m.key)) * weights[i];
      auto [it, fresh] = modules.try_emplace(m.module, MergedVector{l, m.feedforward, a.path()});
      if (fresh) continue;
      MergedVector& v = it->second;
      if (v.feedforward != m.feedforward)
        throw std::invalid_argument("module '" + m.module + "' scales its " +
                                    (v.feedforward ? "input" : "output") + " in " + v.firstAdapter +
                                    " but its " + (m.feedforward ? "input" : "output") + " in " + a.path() +
                                    " (feedforward_modules differ)");
      if (!v.sum.sizes().equals(l.sizes()))
        throw std::invalid_argument("module '" + m.module + "' has vectors of different shapes in " +
                                    v.firstAdapter + " and " + a.path());
      v.sum.add_(l);
    }
    for (const auto& [name, key] : a.replacements()) {
      if (const auto it = replacedBy.find(name); it != replacedBy.end())
        throw std::invalid_argument("IA³ adapters " + it->second->path() + " and " + a.path() +
                                    " both replace '" + name +
                                    "' (modules_to_save): a weighted merge cannot "
                                    "choose between them");
      replacedBy[name] = &a;
    }
  }
  io::Ia3Config config;
  config.fanInFanOut = first.config().fanInFanOut;
  config.baseModelNameOrPath = first.config().baseModelNameOrPath;
  std::vector<io::TensorData> tensors;
  for (const auto& [module, v] : modules) {
    config.targetModules.push_back(module);
    if (v.feedforward) config.feedforwardModules.push_back(module);
    tensors.push_back(tensor::fromTorch(v.sum, io::ia3Key(module), io::DType::F32));
  }
  std::set<std::string> saved; // modules_to_save names modules ("score"), the replacements tensors
  for (const auto& [name, a] : replacedBy) {
    tensors.push_back(a->load(a->replacements().at(name)));
    saved.insert(name.substr(0, name.rfind('.')));
  }
  config.modulesToSave.assign(saved.begin(), saved.end());
  io::AtomicFolder folder(outFolder);
  io::writeIa3Adapter(folder.stagingPath(), config, tensors, {{"merganser_merged", "weighted IA³ merge"}});
  folder.commit();
  return {modules.size(), replacedBy.size()};
}

} // namespace mg::engine
