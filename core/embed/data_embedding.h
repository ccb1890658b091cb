#pragma once
// Data embeddings: the mean representation a model gives a task's inputs (the features its head reads,
// eval::Classifier::features). With the base model as the probe, tasks whose inputs look alike land close;
// routing compares a new input's representation with these means.
#include <cstdint>
#include <vector>

#include "weights/cancel.h"

namespace mg::eval {
class Classifier;
}
namespace mg::io {
struct TaskData;
}

namespace mg::embed {

struct DataEmbeddingOptions {
  std::int64_t batchSize = 512;
  std::int64_t maxExamples = 0; // 0: every example; else that many, evenly spaced over the file
  const engine::CancelToken* cancel = nullptr;
};

// Throws std::runtime_error naming the task when its examples do not fit the model or the model does not
// expose its features (TorchScript); engine::Cancelled when cancelled.
std::vector<float> dataEmbedding(const eval::Classifier& model, const io::TaskData& task,
                                 const DataEmbeddingOptions& options = {});

} // namespace mg::embed
