#include "weights/tensor_feed.h"

#include <ATen/ATen.h>

#include <algorithm>

#include "cluster/world.h"
#include "tensor/intra_op_threads.h"
#include "tensor/torch_convert.h"

namespace mg::engine {
namespace {

int coresForFeed() {
  return cluster::coresOfThisRank(); // all of them, or this rank's share when several ranks share the machine
}

} // namespace

void addNonFinite(std::vector<NonFiniteTensor>& into, const std::vector<NonFiniteTensor>& more) {
  into.insert(into.end(), more.begin(), more.end());
  std::sort(into.begin(), into.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
}

TensorFeed::TensorFeed(const WeightSet& weights, std::vector<io::TensorInfo> infos,
                       const ExportOptions& options, bool wholeExport)
    : weights_(weights), infos_(std::move(infos)), options_(options), wholeExport_(wholeExport) {
  std::uint64_t total = 0;
  for (const auto& i : infos_)
    total += i.nbytes();
  meter_ = std::make_unique<ProgressMeter>(infos_.size(), total, options.progress);
  const int workers = options.workers > 0 ? options.workers : coresForFeed();
  // Tensors in flight × intra-op threads = cores: more would oversubscribe the CPU.
  threads_ = std::make_unique<tensor::ScopedIntraOpThreads>(std::max(1, coresForFeed() / workers));
  pipeline_ = std::make_unique<OrderedPipeline<io::TensorData>>(
      infos_.size(), workers, static_cast<std::size_t>(workers),
      [this](std::size_t i) { return compute(infos_[i]); }, options.cancel);
}

TensorFeed::~TensorFeed() = default;

io::TensorData TensorFeed::next(const io::TensorInfo& expected) {
  io::TensorData data = pipeline_->next();
  if (data.info.name != expected.name) throw std::logic_error("export feed out of order at " + expected.name);
  if (++handed_ == infos_.size() && wholeExport_ && !nonFinite_.empty() && !options_.allowNonFinite)
    throw NonFiniteError(nonFinite()); // before the writer commits: nothing is left behind
  return data;
}

std::vector<NonFiniteTensor> TensorFeed::nonFinite() const {
  std::lock_guard lock(mutex_);
  return nonFinite_;
}

io::TensorData TensorFeed::compute(const io::TensorInfo& info) {
  at::Tensor t = weights_.load(info.name);
  if (t.sizes().vec() != info.shape)
    throw std::runtime_error(info.name + ": computed shape " + io::shapeToString(t.sizes().vec()) +
                             " differs from the declared " + io::shapeToString(info.shape));
  if (io::isFloatingPoint(info.dtype)) {
    const std::uint64_t bad = tensor::countNonFinite(t);
    if (bad) {
      std::lock_guard lock(mutex_);
      addNonFinite(nonFinite_, {{info.name, bad}});
    }
  }
  io::TensorData data = tensor::fromTorch(t, info.name, info.dtype);
  meter_->tensorDone(info.name, data.bytes.size());
  return data;
}

} // namespace mg::engine
