#include "eval/feature_interference.h"

#include <ATen/ATen.h>

#include "eval/classifier.h"

namespace mg::eval {

double featureShift(const Classifier& base, const Classifier& model, const io::TaskData& task,
                    std::int64_t maxExamples, const engine::CancelToken* cancel) {
  at::NoGradGuard noGrad;
  const std::int64_t n = std::min(task.size(), maxExamples);
  if (n <= 0) return 0.0;
  const auto inputs = at::from_blob(const_cast<float*>(task.inputs.data()), task.inputShape, at::kFloat);
  double moved = 0, size = 0;
  constexpr std::int64_t kBatch = 256;
  for (std::int64_t begin = 0; begin < n; begin += kBatch) {
    if (cancel) cancel->throwIfCancelled();
    const auto batch = inputs.slice(0, begin, std::min(n, begin + kBatch));
    const auto before = base.features(batch), after = model.features(batch);
    moved += (after - before).norm(2, {1}).sum().item<double>();
    size += before.norm(2, {1}).sum().item<double>();
  }
  return size > 0 ? moved / size : 0.0;
}

} // namespace mg::eval
