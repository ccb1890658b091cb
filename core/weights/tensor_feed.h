#pragma once
// The streaming heart of every export: computes tensors in parallel, checks them for NaN/Inf,
// converts them to the output dtype, and hands them to a writer in order.
#include <memory>
#include <mutex>
#include <vector>

#include "io/tensor.h"
#include "weights/export.h"
#include "weights/ordered_pipeline.h"

namespace mg::tensor {
class ScopedIntraOpThreads;
}

namespace mg::engine {

class TensorFeed {
public:
  // `infos`: the tensors to compute, in the order next() is asked for them (all of an export, or one rank's
  // part). `wholeExport`: the feed throws NonFiniteError after handing out the last tensor when any held
  // NaN/Inf (and options.allowNonFinite is false); a rank's part leaves that to the root, which sees them
  // all.
  TensorFeed(const WeightSet& weights, std::vector<io::TensorInfo> infos, const ExportOptions& options,
             bool wholeExport = true);
  ~TensorFeed();

  const std::vector<io::TensorInfo>& infos() const { return infos_; }
  io::TensorData next(const io::TensorInfo& expected);
  std::vector<NonFiniteTensor> nonFinite() const;

private:
  io::TensorData compute(const io::TensorInfo& info);

  const WeightSet& weights_;
  std::vector<io::TensorInfo> infos_;
  const ExportOptions& options_;
  bool wholeExport_;
  std::unique_ptr<ProgressMeter> meter_;
  mutable std::mutex mutex_;
  std::vector<NonFiniteTensor> nonFinite_;
  std::size_t handed_ = 0;
  std::unique_ptr<tensor::ScopedIntraOpThreads> threads_;     // restored after the pipeline's workers stop
  std::unique_ptr<OrderedPipeline<io::TensorData>> pipeline_; // last: its workers use the members above
};

// Adds `more` to `into`, sorted by tensor name (the order NonFiniteError lists them in).
void addNonFinite(std::vector<NonFiniteTensor>& into, const std::vector<NonFiniteTensor>& more);

} // namespace mg::engine
