#include "weights/adapter_delta.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <stdexcept>

#include "weights/adapter_weights.h"

namespace mg::engine {

AdapterDelta::AdapterDelta(std::shared_ptr<const io::PeftAdapter> adapter) : adapter_(std::move(adapter)) {
  if (adapter_->isIa3())
    throw std::runtime_error(
        adapter_->path() +
        " is an IA³ adapter: it scales the base weights (W ⊙ l), so it is no delta without "
        "the base; apply it to its base and Subtract the base first");
  for (const auto& m : adapter_->modules()) {
    if (adapter_->config().useDora || m.magnitude) {
      throw std::runtime_error(adapter_->path() + " is a DoRA adapter: its update of '" + m.module +
                               "' rescales the base weight, so it is no delta without the base; apply it to "
                               "its base and Subtract the base first");
    }
    tensors_.push_back({m.baseTensor, adapter_->find(m.loraB)->dtype, adapter_->weightShape(m)});
    byTensor_[m.baseTensor] = &m;
  }
  std::sort(tensors_.begin(), tensors_.end(),
            [](const io::TensorInfo& a, const io::TensorInfo& b) { return a.name < b.name; });
}

std::string AdapterDelta::describe() const {
  return "the update of " + adapter_->path();
}

const io::LoraModule& AdapterDelta::moduleFor(const std::string& name) const {
  const auto it = byTensor_.find(name);
  if (it == byTensor_.end())
    throw std::runtime_error("tensor '" + name + "' is not a weight adapted by " + adapter_->path());
  return *it->second;
}

at::Tensor AdapterDelta::load(const std::string& name) const {
  return loraUpdateOf(*adapter_, moduleFor(name));
}

ops::LoraLayout AdapterDelta::layoutOf(const std::string& name) const {
  return loraLayoutOf(*adapter_, moduleFor(name));
}

} // namespace mg::engine
