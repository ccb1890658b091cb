#pragma once
// An export spread over the ranks of an MPI job (cluster/communicator.h): each rank computes a part of the
// tensors, so the output is byte-identical to a single process's and as atomic (any rank's failure leaves
// nothing at the path).
// - One output file (.safetensors, .h5, a folder whose tensors fit one shard): tensor i is computed by rank
//   i mod N and sent to the root, which writes the file in order.
// - Several shards: shard k is written by rank k mod N into the root's staging folder; the root then writes
//   the index and the folder's other files, and commits.
// Messages (rank -> root, in order): 'T' + a tensor's bytes, 'E' + an error, 'S' + the rank's summary (JSON:
// its NaN/Inf counts). After the export the root broadcasts its outcome: "" or the error every rank throws.
#include <optional>
#include <string>
#include <vector>

#include "io/safetensors_writer.h"
#include "weights/export.h"
#include "weights/tensor_feed.h"

namespace mg::cluster {
class Communicator;
}

namespace mg::engine {

// The shards of a folder export that has more than one, else nullopt (one file). Every rank gets the same.
std::optional<io::ShardPlan> shardedExportPlan(const std::string& outPath,
                                               const std::vector<io::TensorInfo>& infos,
                                               std::uint64_t shardBytes);

// The root's source of tensors for a one-file export: its own from a feed, the others' received in order.
class RankGather {
public:
  RankGather(const WeightSet& weights, const std::vector<io::TensorInfo>& infos, const ExportOptions& options,
             cluster::Communicator& ranks);
  ~RankGather();
  // Throws a rank's error; NonFiniteError after the last tensor (as a single process's feed does).
  io::TensorData next(const io::TensorInfo& info);
  std::vector<NonFiniteTensor> nonFinite() const { return nonFinite_; }
  // After the writer finished or failed: takes what the ranks still send, so that none stays blocked.
  void drain();

private:
  void receiveSummaries();

  const std::vector<io::TensorInfo>& infos_;
  const ExportOptions& options_;
  cluster::Communicator& ranks_;
  std::unique_ptr<TensorFeed> own_;
  std::unique_ptr<ProgressMeter> meter_;
  std::size_t handed_ = 0;
  std::vector<bool> finished_; // per rank: its summary or error has arrived
  std::vector<NonFiniteTensor> nonFinite_;
};

// The root's part of a sharded export: writes its own shards into `staging` (an empty string when the root
// could not create it: the ranks are told) and collects the other ranks' outcome. Returns the NaN/Inf counts
// of every rank; throws the first failure.
std::vector<NonFiniteTensor> writeShardsAsRoot(const WeightSet& weights, const io::ShardPlan& plan,
                                               const std::string& staging, const ExportOptions& options,
                                               cluster::Communicator& ranks);

// A non-root rank's whole part of an export to `outPath`. Returns when the root has finished; throws
// cluster::RankFailure with the root's error when the export failed.
void exportAsRank(const WeightSet& weights, const std::vector<io::TensorInfo>& infos,
                  const std::string& outPath, const ExportOptions& options, cluster::Communicator& ranks);

// Runs the root's export `body` and tells every rank how it ended (then rethrows its failure).
template <typename Body> auto exportAsRoot(cluster::Communicator& ranks, Body&& body) -> decltype(body());
void announceOutcome(cluster::Communicator& ranks, const std::string& failure);

template <typename Body> auto exportAsRoot(cluster::Communicator& ranks, Body&& body) -> decltype(body()) {
  try {
    auto result = body();
    announceOutcome(ranks, "");
    return result;
  } catch (const std::exception& e) {
    announceOutcome(ranks, e.what()[0] ? e.what() : "the export failed");
    throw;
  }
}

} // namespace mg::engine
