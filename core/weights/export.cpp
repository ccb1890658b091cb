#include "weights/export.h"

#include <ATen/ATen.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <thread>

#include "weights/tensor_feed.h"
#include "weights/rank_export.h"
#include "cluster/communicator.h"
#include "io/atomic_file.h"
#include "io/atomic_folder.h"
#include "weights/layer_slices.h"
#include "weights/merged_weights.h"
#include "io/hdf5_checkpoint.h"
#include "io/hf_model_folder.h"
#include "tensor/tensor_memory.h"
#include "tensor/torch_convert.h"

namespace fs = std::filesystem;

namespace mg::engine {
namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

bool isFileOutput(const std::string& outPath) {
  return endsWith(outPath, ".safetensors") || endsWith(outPath, ".h5") || endsWith(outPath, ".hdf5");
}

namespace {

std::vector<io::TensorInfo> outputInfos(const WeightSet& weights, const ExportOptions& options) {
  std::vector<io::TensorInfo> infos = weights.tensors();
  if (options.dtype)
    for (auto& info : infos)
      if (io::isFloatingPoint(info.dtype)) info.dtype = *options.dtype;
  return infos;
}

// The dtype most of the floating-point bytes are stored in: what config.json should announce.
io::DType dominantFloatDtype(const std::vector<io::TensorInfo>& infos) {
  std::map<io::DType, std::uint64_t> bytes;
  for (const auto& i : infos)
    if (io::isFloatingPoint(i.dtype)) bytes[i.dtype] += i.nbytes();
  io::DType best = io::DType::F32;
  std::uint64_t most = 0;
  for (const auto& [dtype, n] : bytes)
    if (n > most) best = dtype, most = n;
  return best;
}

// config.json of the export: the base's, with dtype fields set to the output dtype and
// tie_word_embeddings kept true only while the tied tensors are still identical.
// The layer count of a merge made of slices (0 otherwise: the base's config stays right, and numbered tensors
// outside the decoder, e.g. a vision tower's, must not be counted).
int stackedLayers(const WeightSet& weights) {
  const auto* merged = dynamic_cast<const MergedWeights*>(&weights);
  return merged && !merged->recipe().slices.empty() ? layerCountOf(weights) : 0;
}

std::string exportedConfig(const io::HfModelFolder& base, const std::string& dtypeName, bool tiedStillEqual,
                           std::optional<std::int64_t> vocabSize, int layers) {
  auto config = nlohmann::ordered_json::parse(base.configJson());
  config["torch_dtype"] = dtypeName;
  config["dtype"] = dtypeName;
  if (config.value("tie_word_embeddings", false) && !tiedStillEqual) config["tie_word_embeddings"] = false;
  // Slices may stack more (or fewer) layers than the base has.
  auto& layerConfig = config.contains("text_config") && !config.contains("num_hidden_layers")
                          ? config["text_config"]
                          : config;
  if (layers > 0 && layerConfig.contains("num_hidden_layers")) layerConfig["num_hidden_layers"] = layers;
  if (vocabSize)
    (config.contains("text_config") && !config.contains("vocab_size") ? config["text_config"]
                                                                      : config)["vocab_size"] = *vocabSize;
  return config.dump(2) + "\n";
}

// When the output holds both an input embedding and lm_head.weight, are they still equal?
bool tiedTensorsEqual(const WeightSet& weights) {
  static const char* const embeddingNames[] = {"model.embed_tokens.weight", "transformer.wte.weight",
                                               "wte.weight", "embed_tokens.weight"};
  const io::TensorInfo* head = weights.find("lm_head.weight");
  if (!head) return true; // tied checkpoints store the embedding only
  for (const char* name : embeddingNames)
    if (weights.find(name)) return at::equal(weights.load(name), weights.load(head->name));
  return true;
}

} // namespace

NonFiniteError::NonFiniteError(std::vector<NonFiniteTensor> tensors)
    : std::runtime_error([&] {
        std::ostringstream s;
        std::uint64_t total = 0;
        for (const auto& t : tensors)
          total += t.count;
        s << total << " non-finite values (NaN/Inf) in " << tensors.size() << " tensor(s): ";
        for (std::size_t i = 0; i < tensors.size() && i < 5; ++i)
          s << (i ? ", " : "") << tensors[i].name << " (" << tensors[i].count << ")";
        if (tensors.size() > 5) s << ", ...";
        s << "; nothing was written (allow with --allow-non-finite)";
        return s.str();
      }()),
      tensors_(std::move(tensors)) {}

std::string torchDtypeName(io::DType dtype) {
  switch (dtype) {
  case io::DType::F32: return "float32";
  case io::DType::BF16: return "bfloat16";
  case io::DType::F16: return "float16";
  case io::DType::F64: return "float64";
  default: return std::string(io::dtypeName(dtype));
  }
}

io::DType parseOutputDtype(const std::string& text) {
  if (text == "f32" || text == "float32" || text == "F32") return io::DType::F32;
  if (text == "bf16" || text == "bfloat16" || text == "BF16") return io::DType::BF16;
  if (text == "f16" || text == "float16" || text == "F16") return io::DType::F16;
  throw std::invalid_argument("unknown output dtype '" + text + "' (use f32, bf16 or f16)");
}

namespace {

// Where a writer's tensors come from: this process's feed, or the ranks of an MPI job
// (weights/rank_export.h).
struct TensorSupply {
  io::TensorProducer produce; // the tensors in order, for files written here
  // Set when ranks write the shards of a folder export themselves: writes them all into the staging folder.
  std::function<void(const io::ShardPlan&, const std::string& staging)> writeShards;
};

// Writes the export in the format `outPath` names; returns the files written.
std::vector<std::string> writeOutputs(const WeightSet& weights, const std::vector<io::TensorInfo>& infos,
                                      const std::string& outPath, const ExportOptions& options,
                                      const TensorSupply& supply) {
  const std::map<std::string, std::string>& metadata = options.metadata;
  if (endsWith(outPath, ".safetensors")) {
    io::writeSafetensors(outPath, infos, supply.produce, metadata);
    return {fs::path(outPath).filename().string()};
  }
  if (endsWith(outPath, ".h5") || endsWith(outPath, ".hdf5")) {
    io::writeHdf5Checkpoint(outPath, infos, supply.produce, metadata);
    return {fs::path(outPath).filename().string()};
  }
  io::AtomicFolder folder(outPath);
  std::vector<std::string> files;
  if (supply.writeShards) {
    const auto plan = io::planShards(folder.stagingPath(), infos, options.shardBytes);
    supply.writeShards(plan, folder.stagingPath());
    io::finishShards(folder.stagingPath(), plan);
    files = plan.files;
  } else {
    files =
        io::writeShardedSafetensors(folder.stagingPath(), infos, supply.produce, metadata, options.shardBytes)
            .files;
  }
  if (options.hfConfigFrom) {
    const fs::path from(options.hfConfigFrom->path());
    const TokenizerFiles* tok = options.tokenizer;
    for (const auto& name : options.hfConfigFrom->companionFiles()) {
      if (name == "config.json") continue;
      if (tok &&
          (tok->write.count(name) || std::find(tok->omit.begin(), tok->omit.end(), name) != tok->omit.end()))
        continue;
      folder.copyFile((from / name).string(), name);
      files.push_back(name);
    }
    if (tok)
      for (const auto& [name, content] : tok->write) {
        io::writeFileAtomically((fs::path(folder.stagingPath()) / name).string(), content);
        files.push_back(name);
      }
    const std::string dtype = torchDtypeName(options.dtype.value_or(dominantFloatDtype(weights.tensors())));
    io::writeFileAtomically((fs::path(folder.stagingPath()) / "config.json").string(),
                            exportedConfig(*options.hfConfigFrom, dtype, tiedTensorsEqual(weights),
                                           tok ? tok->vocabSize : std::nullopt, stackedLayers(weights)));
    files.push_back("config.json");
  }
  folder.commit();
  return files;
}

// The root's side of an export over ranks: the files, and every rank's NaN/Inf counts.
std::pair<std::vector<std::string>, std::vector<NonFiniteTensor>>
writeAsRoot(const WeightSet& weights, const std::vector<io::TensorInfo>& infos, const std::string& outPath,
            const ExportOptions& options, cluster::Communicator& ranks) {
  return exportAsRoot(ranks, [&]() -> std::pair<std::vector<std::string>, std::vector<NonFiniteTensor>> {
    const auto plan = shardedExportPlan(outPath, infos, options.shardBytes);
    if (!plan) {
      RankGather gather(weights, infos, options, ranks);
      try {
        auto files = writeOutputs(weights, infos, outPath, options,
                                  {[&](const io::TensorInfo& info) { return gather.next(info); }, nullptr});
        return {files, gather.nonFinite()};
      } catch (...) {
        gather.drain(); // no rank stays blocked sending a tensor nobody takes
        throw;
      }
    }
    std::vector<NonFiniteTensor> nonFinite;
    bool stagingAnnounced = false;
    try {
      auto files = writeOutputs(weights, infos, outPath, options,
                                {nullptr, [&](const io::ShardPlan& shards, const std::string& staging) {
                                   stagingAnnounced = true;
                                   nonFinite = writeShardsAsRoot(weights, shards, staging, options, ranks);
                                   if (!nonFinite.empty() && !options.allowNonFinite)
                                     throw NonFiniteError(nonFinite);
                                 }});
      return {files, nonFinite};
    } catch (...) {
      if (!stagingAnnounced) ranks.broadcast(""); // the ranks wait for a staging folder: there is none
      throw;
    }
  });
}

} // namespace

ExportReport exportWeights(const WeightSet& weights, const std::string& outPath,
                           const ExportOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  // Every tensor of the stream has the same few sizes: their memory is reused instead of mapped anew.
  const tensor::TensorMemoryReuse reuse;
  const auto infos = outputInfos(weights, options);
  cluster::Communicator* ranks = options.ranks && options.ranks->spread() ? options.ranks : nullptr;
  if (ranks && !ranks->isRoot()) {
    exportAsRank(weights, infos, outPath, options, *ranks);
    return {};
  }

  ExportReport report;
  if (ranks) {
    std::tie(report.files, report.nonFinite) = writeAsRoot(weights, infos, outPath, options, *ranks);
  } else {
    TensorFeed feed(weights, infos, options);
    report.files = writeOutputs(weights, infos, outPath, options,
                                {[&](const io::TensorInfo& info) { return feed.next(info); }, nullptr});
    report.nonFinite = feed.nonFinite();
  }
  for (const auto& info : infos)
    report.bytes += info.nbytes();
  report.tensors = infos.size();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

} // namespace mg::engine
