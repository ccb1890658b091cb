#include "weights/export.h"

#include <ATen/ATen.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <thread>

#include "weights/ordered_pipeline.h"
#include "io/atomic_file.h"
#include "io/atomic_folder.h"
#include "weights/layer_slices.h"
#include "weights/merged_weights.h"
#include "io/hdf5_checkpoint.h"
#include "io/hf_model_folder.h"
#include "tensor/intra_op_threads.h"
#include "tensor/tensor_memory.h"
#include "tensor/torch_convert.h"

namespace fs = std::filesystem;

namespace mg::engine {
namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int defaultWorkers() {
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

std::vector<io::TensorInfo> outputInfos(const WeightSet& weights, const ExportOptions& options) {
  std::vector<io::TensorInfo> infos = weights.tensors();
  if (options.dtype)
    for (auto& info : infos)
      if (io::isFloatingPoint(info.dtype)) info.dtype = *options.dtype;
  return infos;
}

// The streaming heart of every export: computes tensors in parallel, checks them for NaN/Inf,
// converts them to the output dtype, and hands them to a writer in order.
class TensorFeed {
public:
  TensorFeed(const WeightSet& weights, std::vector<io::TensorInfo> infos, const ExportOptions& options)
      : weights_(weights), infos_(std::move(infos)), options_(options) {
    std::uint64_t total = 0;
    for (const auto& i : infos_)
      total += i.nbytes();
    meter_ = std::make_unique<ProgressMeter>(infos_.size(), total, options.progress);
    const int workers = options.workers > 0 ? options.workers : defaultWorkers();
    // Tensors in flight × intra-op threads = cores: more would oversubscribe the CPU.
    threads_ = std::make_unique<tensor::ScopedIntraOpThreads>(std::max(1, defaultWorkers() / workers));
    pipeline_ = std::make_unique<OrderedPipeline<io::TensorData>>(
        infos_.size(), workers, static_cast<std::size_t>(workers),
        [this](std::size_t i) { return compute(infos_[i]); }, options.cancel);
  }

  const std::vector<io::TensorInfo>& infos() const { return infos_; }

  io::TensorData next(const io::TensorInfo& expected) {
    io::TensorData data = pipeline_->next();
    if (data.info.name != expected.name)
      throw std::logic_error("export feed out of order at " + expected.name);
    if (++handed_ == infos_.size() && !nonFinite_.empty() && !options_.allowNonFinite)
      throw NonFiniteError(nonFinite_); // before the writer commits: nothing is left behind
    return data;
  }

  std::vector<NonFiniteTensor> nonFinite() const {
    std::lock_guard lock(mutex_);
    return nonFinite_;
  }

private:
  io::TensorData compute(const io::TensorInfo& info) {
    at::Tensor t = weights_.load(info.name);
    if (t.sizes().vec() != info.shape)
      throw std::runtime_error(info.name + ": computed shape " + io::shapeToString(t.sizes().vec()) +
                               " differs from the declared " + io::shapeToString(info.shape));
    if (io::isFloatingPoint(info.dtype)) {
      const std::uint64_t bad = tensor::countNonFinite(t);
      if (bad) {
        std::lock_guard lock(mutex_);
        nonFinite_.push_back({info.name, bad});
        std::sort(nonFinite_.begin(), nonFinite_.end(),
                  [](const auto& a, const auto& b) { return a.name < b.name; });
      }
    }
    io::TensorData data = tensor::fromTorch(t, info.name, info.dtype);
    meter_->tensorDone(info.name, data.bytes.size());
    return data;
  }

  const WeightSet& weights_;
  std::vector<io::TensorInfo> infos_;
  const ExportOptions& options_;
  std::unique_ptr<ProgressMeter> meter_;
  mutable std::mutex mutex_;
  std::vector<NonFiniteTensor> nonFinite_;
  std::size_t handed_ = 0;
  std::unique_ptr<tensor::ScopedIntraOpThreads> threads_;     // restored after the pipeline's workers stop
  std::unique_ptr<OrderedPipeline<io::TensorData>> pipeline_; // last: its workers use the members above
};

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

ExportReport exportWeights(const WeightSet& weights, const std::string& outPath,
                           const ExportOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  // Every tensor of the stream has the same few sizes: their memory is reused instead of mapped anew.
  const tensor::TensorMemoryReuse reuse;
  TensorFeed feed(weights, outputInfos(weights, options), options);
  const io::TensorProducer produce = [&](const io::TensorInfo& info) { return feed.next(info); };
  std::map<std::string, std::string> metadata = options.metadata;

  ExportReport report;
  if (endsWith(outPath, ".safetensors")) {
    io::writeSafetensors(outPath, feed.infos(), produce, metadata);
    report.files = {fs::path(outPath).filename().string()};
  } else if (endsWith(outPath, ".h5") || endsWith(outPath, ".hdf5")) {
    io::writeHdf5Checkpoint(outPath, feed.infos(), produce, metadata);
    report.files = {fs::path(outPath).filename().string()};
  } else {
    io::AtomicFolder folder(outPath);
    const auto written = io::writeShardedSafetensors(folder.stagingPath(), feed.infos(), produce, metadata,
                                                     options.shardBytes);
    report.files = written.files;
    if (options.hfConfigFrom) {
      const fs::path from(options.hfConfigFrom->path());
      const TokenizerFiles* tok = options.tokenizer;
      for (const auto& name : options.hfConfigFrom->companionFiles()) {
        if (name == "config.json") continue;
        if (tok && (tok->write.count(name) ||
                    std::find(tok->omit.begin(), tok->omit.end(), name) != tok->omit.end()))
          continue;
        folder.copyFile((from / name).string(), name);
        report.files.push_back(name);
      }
      if (tok)
        for (const auto& [name, content] : tok->write) {
          io::writeFileAtomically((fs::path(folder.stagingPath()) / name).string(), content);
          report.files.push_back(name);
        }
      const std::string dtype = torchDtypeName(options.dtype.value_or(dominantFloatDtype(weights.tensors())));
      io::writeFileAtomically((fs::path(folder.stagingPath()) / "config.json").string(),
                              exportedConfig(*options.hfConfigFrom, dtype, tiedTensorsEqual(weights),
                                             tok ? tok->vocabSize : std::nullopt, stackedLayers(weights)));
      report.files.push_back("config.json");
    }
    folder.commit();
  }
  for (const auto& info : feed.infos())
    report.bytes += info.nbytes();
  report.tensors = feed.infos().size();
  report.nonFinite = feed.nonFinite();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

} // namespace mg::engine
