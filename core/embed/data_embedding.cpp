#include "embed/data_embedding.h"

#include <ATen/ATen.h>

#include "embed/task_batches.h"
#include "eval/classifier.h"
#include "io/task_file.h"

namespace mg::embed {

std::vector<float> dataEmbedding(const eval::Classifier& model, const io::TaskData& task,
                                 const DataEmbeddingOptions& options) {
  at::NoGradGuard noGrad;
  at::Tensor sum;
  std::int64_t count = 0;
  detail::forEachBatch(model, task, options.batchSize, options.maxExamples, options.cancel,
                       [&](const at::Tensor&, const std::vector<at::Tensor>& states, const at::Tensor&) {
                         const at::Tensor batchSum = states.back().to(at::kDouble).sum(0);
                         sum = sum.defined() ? sum + batchSum : batchSum;
                         count += states.back().size(0);
                       });
  const at::Tensor mean = (sum / double(count)).to(at::kFloat).contiguous();
  return std::vector<float>(mean.data_ptr<float>(), mean.data_ptr<float>() + mean.numel());
}

} // namespace mg::embed
