#include "demo/interference.h"

namespace mg::demo {

std::vector<double> featureInterference(const Parameters& base, const Lora& specialist,
                                        const std::vector<at::Tensor>& taskInputs) {
  torch::NoGradGuard noGrad;
  std::vector<double> values;
  for (const auto& inputs : taskInputs) {
    at::Tensor before, after;
    mlpForward(base, nullptr, inputs, &before);
    mlpForward(base, &specialist, inputs, &after);
    const double moved = (after - before).norm(2, {1}).mean().item<double>();
    const double size = before.norm(2, {1}).mean().item<double>();
    values.push_back(size > 0 ? moved / size : 0.0);
  }
  return values;
}

} // namespace mg::demo
