#include "embed/merge_statistics.h"

#include <ATen/ATen.h>
#include <xxhash.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "eval/specialist_names.h"
#include "io/content_hash.h"
#include "io/hdf5_checkpoint.h"
#include "io/task_file.h"
#include "io/text_task_file.h"
#include "tensor/torch_convert.h"
#include "weights/tensor_map_weights.h"

namespace mg::embed {

namespace {

constexpr const char* kStatisticsFormat = "merganser-statistics";
constexpr const char* kStatisticsVersion = "1";

class Hasher {
public:
  Hasher() : state_(XXH3_createState(), &XXH3_freeState) { XXH3_128bits_reset(state_.get()); }
  void add(const void* data, std::size_t size) { XXH3_128bits_update(state_.get(), data, size); }
  // Length-prefixed, so that distinct sequences of fields never hash alike.
  void field(const std::string& text) {
    const std::uint64_t length = text.size();
    add(&length, sizeof length);
    add(text.data(), text.size());
  }
  std::string hex() const {
    const XXH128_hash_t h = XXH3_128bits_digest(state_.get());
    return io::hex128(h.high64, h.low64);
  }

private:
  std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state_;
};

std::string shapeText(const std::vector<std::int64_t>& shape) {
  std::string text;
  for (const auto d : shape)
    text += std::to_string(d) + ",";
  return text;
}

// The statistics in the file, or nullopt (with `problem`) when it does not read or is for another key.
std::optional<std::map<std::string, at::Tensor>>
readCached(const std::string& file, const std::map<std::string, std::string>& key, std::string& problem) {
  try {
    const io::Hdf5Checkpoint checkpoint(file);
    for (const auto& [name, value] : key) {
      const auto found = checkpoint.metadata().find(name);
      if (found == checkpoint.metadata().end() || found->second != value) {
        problem = "attribute '" + name + "' is not '" + value + "'";
        return std::nullopt;
      }
    }
    std::map<std::string, at::Tensor> out;
    for (const auto& info : checkpoint.tensors())
      out.emplace(info.name, tensor::toTorchFloat32(checkpoint.load(info.name)));
    return out;
  } catch (const std::exception& e) {
    problem = e.what();
    return std::nullopt;
  }
}

void writeCached(const std::string& file, const std::map<std::string, at::Tensor>& statistics,
                 const std::map<std::string, std::string>& key) {
  std::filesystem::create_directories(std::filesystem::path(file).parent_path());
  std::vector<io::TensorInfo> infos;
  for (const auto& [name, t] : statistics)
    infos.push_back({name, io::DType::F32, std::vector<std::int64_t>(t.sizes().begin(), t.sizes().end())});
  io::writeHdf5Checkpoint(
      file, infos,
      [&](const io::TensorInfo& info) {
        return tensor::fromTorch(statistics.at(info.name), info.name, io::DType::F32);
      },
      key);
}

} // namespace

const char* statisticsKindName(StatisticsKind kind) {
  return kind == StatisticsKind::Fisher ? "fisher" : "regmean_gram";
}

std::optional<StatisticsKind> statisticsKindOf(const std::string& method) {
  if (method == "fisher") return StatisticsKind::Fisher;
  if (method == "regmean") return StatisticsKind::Grams;
  return std::nullopt;
}

std::vector<std::size_t> assignTasks(const std::vector<std::vector<std::string>>& inputNames,
                                     const std::vector<std::string>& tasks) {
  std::vector<std::size_t> named;
  std::optional<std::size_t> unnamed;
  for (std::size_t i = 0; i < inputNames.size(); ++i) {
    std::optional<std::size_t> task;
    for (const auto& name : inputNames[i])
      if (!task) task = eval::taskNamedBy(name, tasks);
    if (task)
      named.push_back(*task);
    else if (!unnamed)
      unnamed = i;
  }
  if (!unnamed) return named;
  if (tasks.size() == inputNames.size()) {
    std::vector<std::size_t> inOrder(tasks.size());
    for (std::size_t i = 0; i < inOrder.size(); ++i)
      inOrder[i] = i;
    return inOrder;
  }
  std::string list;
  for (const auto& t : tasks)
    list += (list.empty() ? "" : ", ") + t;
  const auto& names = inputNames[*unnamed];
  throw std::runtime_error(
      "input " + std::to_string(*unnamed + 1) + " (" +
      (names.empty() ? std::string("unnamed") : names.front()) + ") has no task: none of the tasks (" +
      (list.empty() ? "none" : list) + ") is named after it, and there are " + std::to_string(tasks.size()) +
      " tasks for " + std::to_string(inputNames.size()) +
      " models (give one task per model, in order, or name the models after their tasks)");
}

std::string defaultStatisticsFolder() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  const std::filesystem::path root = xdg && *xdg
                                         ? std::filesystem::path(xdg)
                                         : std::filesystem::path(home && *home ? home : "/tmp") / ".cache";
  return (root / "merganser" / "statistics").string();
}

std::string weightsContentHash(const engine::WeightSet& weights) {
  Hasher h;
  for (const auto& info : weights.tensors()) {
    h.field(info.name);
    h.field(shapeText(info.shape));
    const at::Tensor t = weights.load(info.name).to(at::kFloat).contiguous();
    h.add(t.data_ptr<float>(), std::size_t(t.numel()) * sizeof(float));
  }
  return h.hex();
}

std::string taskContentHash(const io::TaskData& task) {
  Hasher h;
  h.field(task.name);
  h.field(shapeText(task.inputShape));
  h.add(task.inputs.data(), task.inputs.size() * sizeof(float));
  h.add(task.labels.data(), task.labels.size() * sizeof(std::int64_t));
  return h.hex();
}

std::string textTaskContentHash(const io::TextTask& task) {
  Hasher h;
  h.field(task.name);
  h.field(io::textTaskKindName(task.kind));
  h.field(std::to_string(task.maxNewTokens));
  for (const auto& stop : task.stop)
    h.field(stop);
  for (const auto& e : task.examples) {
    for (const auto* text : {&e.text, &e.context, &e.prompt, &e.answer})
      h.field(*text);
    h.field(std::to_string(e.choices.size()) + ":" + std::to_string(e.label));
    for (const auto& choice : e.choices)
      h.field(choice);
  }
  return h.hex();
}

ModelStatistics modelStatistics(const StatisticsRequest& request, const engine::WeightSet& model,
                                const std::string& task, const std::string& taskHash,
                                const std::function<std::map<std::string, at::Tensor>()>& compute) {
  ModelStatistics out;
  std::map<std::string, std::string> key;
  if (!request.cacheFolder.empty()) {
    key = {{"format", kStatisticsFormat},
           {"version", kStatisticsVersion},
           {"kind", statisticsKindName(request.kind)},
           {"model_hash", weightsContentHash(model)},
           {"task", task},
           {"task_hash", taskHash},
           {"examples", std::to_string(request.examples)}};
    for (const auto& [name, value] : request.settings)
      key.emplace(name, value);
    Hasher h;
    for (const auto& [name, value] : key)
      h.field(name + "=" + value);
    out.file = (std::filesystem::path(request.cacheFolder) /
                (std::string(statisticsKindName(request.kind)) + "-" + h.hex() + ".h5"))
                   .string();
    std::error_code ec;
    if (std::filesystem::exists(out.file, ec)) {
      std::string problem;
      if (auto cached = readCached(out.file, key, problem)) {
        out.statistics = std::make_shared<engine::TensorMapWeights>(
            std::move(*cached), std::string(statisticsKindName(request.kind)) + " statistics " + out.file);
        out.fromCache = true;
        return out;
      }
      out.warnings.push_back("statistics cache " + out.file + " did not read (" + problem +
                             "): computed again and replaced");
    }
  }
  auto computed = compute();
  if (!out.file.empty()) writeCached(out.file, computed, key);
  out.statistics = std::make_shared<engine::TensorMapWeights>(std::move(computed),
                                                              std::string(statisticsKindName(request.kind)) +
                                                                  " statistics of " + model.describe());
  return out;
}

ModelStatistics modelStatistics(const StatisticsRequest& request, const engine::WeightSet& model,
                                const ClassifierFactory& makeClassifier, const io::TaskData& task) {
  return modelStatistics(request, model, task.name, request.cacheFolder.empty() ? "" : taskContentHash(task),
                         [&]() -> std::map<std::string, at::Tensor> {
                           if (request.kind == StatisticsKind::Fisher) {
                             ParameterFisherOptions options;
                             options.examples = request.examples;
                             options.cancel = request.cancel;
                             return parameterFisher(model, makeClassifier, task, options);
                           }
                           return inputGrams(model, makeClassifier, task, request.examples, request.cancel);
                         });
}

} // namespace mg::embed
