#include "weights/rank_export.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>

#include "cluster/communicator.h"
#include "cluster/work_split.h"
#include "io/staging_paths.h"

namespace fs = std::filesystem;

namespace mg::engine {
namespace {

// The tensors rank `rank` computes for a one-file export: every N-th, from its own index.
std::vector<io::TensorInfo> ownedTensors(const std::vector<io::TensorInfo>& infos, int rank, int ranks) {
  std::vector<io::TensorInfo> own;
  for (std::size_t i = 0; i < infos.size(); ++i)
    if (cluster::ownerOf(static_cast<std::int64_t>(i), ranks) == rank) own.push_back(infos[i]);
  return own;
}

std::string summaryFrame(const std::vector<NonFiniteTensor>& nonFinite) {
  auto list = nlohmann::json::array();
  for (const auto& n : nonFinite)
    list.push_back({n.name, n.count});
  return "S" + list.dump();
}

std::vector<NonFiniteTensor> parseSummary(const std::string& frame) {
  std::vector<NonFiniteTensor> out;
  for (const auto& item : nlohmann::json::parse(frame.substr(1)))
    out.push_back({item.at(0).get<std::string>(), item.at(1).get<std::uint64_t>()});
  return out;
}

// A rank's part never reports progress (only the root's terminal shows it) nor decides about NaN/Inf.
ExportOptions rankPartOptions(const ExportOptions& options) {
  ExportOptions part = options;
  part.progress = nullptr;
  return part;
}

// The shards rank `rank` writes: every N-th, from its own index. Returns its outcome as a frame.
std::string writeOwnShards(const WeightSet& weights, const io::ShardPlan& plan, const std::string& staging,
                           const ExportOptions& options, int rank, int ranks) {
  try {
    std::vector<io::TensorInfo> own;
    for (std::size_t k = 0; k < plan.shards.size(); ++k)
      if (cluster::ownerOf(static_cast<std::int64_t>(k), ranks) == rank)
        own.insert(own.end(), plan.shards[k].begin(), plan.shards[k].end());
    TensorFeed feed(weights, own, options, /*wholeExport=*/false);
    const io::TensorProducer produce = [&](const io::TensorInfo& info) { return feed.next(info); };
    for (std::size_t k = 0; k < plan.shards.size(); ++k)
      if (cluster::ownerOf(static_cast<std::int64_t>(k), ranks) == rank)
        io::writeSafetensors((fs::path(staging) / plan.files[k]).string(), plan.shards[k], produce,
                             options.metadata);
    return summaryFrame(feed.nonFinite());
  } catch (const std::exception& e) {
    return std::string("E") + e.what();
  }
}

void waitForOutcome(cluster::Communicator& ranks) {
  const std::string failure = ranks.broadcast("");
  if (!failure.empty()) throw cluster::RankFailure(0, failure);
}

} // namespace

std::optional<io::ShardPlan> shardedExportPlan(const std::string& outPath,
                                               const std::vector<io::TensorInfo>& infos,
                                               std::uint64_t shardBytes) {
  if (isFileOutput(outPath)) return std::nullopt;
  auto plan = io::planShards(outPath, infos, shardBytes);
  if (plan.shards.size() < 2) return std::nullopt;
  return plan;
}

void announceOutcome(cluster::Communicator& ranks, const std::string& failure) {
  ranks.broadcast(failure);
}

RankGather::RankGather(const WeightSet& weights, const std::vector<io::TensorInfo>& infos,
                       const ExportOptions& options, cluster::Communicator& ranks)
    : infos_(infos), options_(options), ranks_(ranks),
      finished_(static_cast<std::size_t>(ranks.size()), false) {
  finished_[0] = true; // the root's own summary is its feed's
  std::uint64_t total = 0;
  for (const auto& i : infos)
    total += i.nbytes();
  meter_ = std::make_unique<ProgressMeter>(infos.size(), total, options.progress);
  own_ = std::make_unique<TensorFeed>(weights, ownedTensors(infos, 0, ranks.size()), rankPartOptions(options),
                                      /*wholeExport=*/false);
}

RankGather::~RankGather() = default;

io::TensorData RankGather::next(const io::TensorInfo& info) {
  const int owner = cluster::ownerOf(static_cast<std::int64_t>(handed_), ranks_.size());
  io::TensorData data;
  if (owner == 0) {
    data = own_->next(info);
  } else {
    const std::string frame = ranks_.receive(owner);
    if (frame.empty() || frame[0] == 'E') {
      finished_[static_cast<std::size_t>(owner)] = true;
      throw std::runtime_error(frame.empty() ? "rank " + std::to_string(owner) + " sent nothing"
                                             : frame.substr(1));
    }
    if (frame[0] != 'T' || frame.size() - 1 != info.nbytes())
      throw std::logic_error("rank " + std::to_string(owner) + " sent an unexpected message for " +
                             info.name);
    data.info = info;
    data.bytes.resize(frame.size() - 1);
    std::memcpy(data.bytes.data(), frame.data() + 1, data.bytes.size());
  }
  meter_->tensorDone(info.name, data.bytes.size());
  if (++handed_ == infos_.size()) {
    receiveSummaries();
    addNonFinite(nonFinite_, own_->nonFinite());
    if (!nonFinite_.empty() && !options_.allowNonFinite)
      throw NonFiniteError(nonFinite_); // before the writer commits: nothing is left behind
  }
  return data;
}

void RankGather::receiveSummaries() {
  for (int r = 1; r < ranks_.size(); ++r) {
    const std::string frame = ranks_.receive(r);
    finished_[static_cast<std::size_t>(r)] = true;
    if (frame.empty() || frame[0] == 'E')
      throw std::runtime_error(frame.empty() ? "a rank failed" : frame.substr(1));
    if (frame[0] != 'S')
      throw std::logic_error("rank " + std::to_string(r) + " sent more tensors than it owns");
    addNonFinite(nonFinite_, parseSummary(frame));
  }
}

void RankGather::drain() {
  for (int r = 1; r < ranks_.size(); ++r)
    while (!finished_[static_cast<std::size_t>(r)]) {
      const std::string frame = ranks_.receive(r);
      if (frame.empty() || frame[0] != 'T') finished_[static_cast<std::size_t>(r)] = true;
    }
}

std::vector<NonFiniteTensor> writeShardsAsRoot(const WeightSet& weights, const io::ShardPlan& plan,
                                               const std::string& staging, const ExportOptions& options,
                                               cluster::Communicator& ranks) {
  ranks.broadcast(staging);
  const auto outcomes = ranks.gather(writeOwnShards(weights, plan, staging, options, 0, ranks.size()));
  std::vector<NonFiniteTensor> nonFinite;
  for (const auto& frame : outcomes) {
    if (frame.empty() || frame[0] != 'S')
      throw std::runtime_error(frame.empty() ? "a rank failed" : frame.substr(1));
    addNonFinite(nonFinite, parseSummary(frame));
  }
  return nonFinite;
}

void exportAsRank(const WeightSet& weights, const std::vector<io::TensorInfo>& infos,
                  const std::string& outPath, const ExportOptions& options, cluster::Communicator& ranks) {
  const ExportOptions part = rankPartOptions(options);
  std::optional<io::ShardPlan> plan;
  try {
    plan = shardedExportPlan(outPath, infos, options.shardBytes);
  } catch (const std::exception&) {
    waitForOutcome(ranks); // the root fails the same way, before anything else, and says so
    return;
  }
  if (plan) {
    const std::string staging = ranks.broadcast("");
    if (!staging.empty()) {
      io::registerStagingPath(staging, outPath); // errors name files as they will be called in place
      const std::string outcome = writeOwnShards(weights, *plan, staging, part, ranks.rank(), ranks.size());
      io::unregisterStagingPath(staging);
      ranks.gather(outcome);
    }
    waitForOutcome(ranks);
    return;
  }
  try {
    const auto own = ownedTensors(infos, ranks.rank(), ranks.size());
    TensorFeed feed(weights, own, part, /*wholeExport=*/false);
    for (const auto& info : own) {
      const io::TensorData data = feed.next(info);
      std::string frame(data.bytes.size() + 1, 'T');
      std::memcpy(frame.data() + 1, data.bytes.data(), data.bytes.size());
      ranks.send(0, frame);
    }
    ranks.send(0, summaryFrame(feed.nonFinite()));
  } catch (const std::exception& e) {
    ranks.send(0, std::string("E") + e.what());
  }
  waitForOutcome(ranks);
}

} // namespace mg::engine
