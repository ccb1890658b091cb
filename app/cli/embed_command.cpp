// merganser-cli embed --adapters PATH... [--base B] [--tasks PATH...] --kind param|fisher|data
//                     [--projection pca|mds|tsne] [--seed N] [--dims N] [--json]
// Task embeddings (core/embed): of adapters and fine-tunes (kind param, their task vectors) or of tasks
// (kinds fisher and data, probed with --base), with their similarities, clusters and 2-D coordinates.
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/arguments.h"
#include "cli/command.h"
#include "cli/interrupt.h"
#include "embed/embed_tasks.h"
#include "weights/linear_combination.h"
#include "weights/open_weights.h"
#include "eval/classifier.h"
#include "io/hf_model_folder.h"
#include "io/io_error.h"
#include "io/peft_adapter.h"
#include "io/task_file.h"

namespace mg::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage =
    "usage: merganser-cli embed --adapters PATH... [--base B] [--tasks PATH...] --kind param|fisher|data\n"
    "                           [--projection pca|mds|tsne] [--seed N] [--dims N] [--json]\n"
    "  param:  one point per adapter or fine-tune (--adapters; a fine-tune needs --base): its task vector,\n"
    "          sketched to --dims values (default 1024; 0 = the exact flattened task vector)\n"
    "  fisher: one point per task (--tasks, probed with --base): Task2Vec diagonal Fisher embedding\n"
    "  data:   one point per task: the mean representation --base gives its inputs\n";

// Folder names, made unique by their parent where two are alike (adapters/invert, finetunes/invert).
std::vector<std::string> pointNames(const std::vector<std::string>& paths) {
  auto leaf = [](const std::string& p, bool parent) {
    fs::path path(p);
    if (path.filename().empty()) path = path.parent_path();
    const std::string name = path.filename().string();
    return parent && !path.parent_path().filename().empty()
               ? path.parent_path().filename().string() + "/" + name
               : name;
  };
  std::map<std::string, int> count;
  for (const auto& p : paths)
    ++count[leaf(p, false)];
  std::vector<std::string> names;
  for (const auto& p : paths)
    names.push_back(leaf(p, count[leaf(p, false)] > 1));
  return names;
}

void printMatrix(const embed::EmbeddingMap& map, const embed::Matrix& m) {
  std::printf("%-20s", "");
  for (const auto& name : map.names)
    std::printf(" %10.10s", name.c_str());
  std::printf("\n");
  for (std::size_t i = 0; i < map.size(); ++i) {
    std::printf("%-20.20s", map.names[i].c_str());
    for (const double v : m[i])
      std::printf(" %10.4f", v);
    std::printf("\n");
  }
}

void printText(const embed::EmbeddingMap& map) {
  const std::size_t dims = map.vectors.empty() ? 0 : map.vectors.front().size();
  std::printf("%s embeddings: %zu points x %zu values\n\n", embed::kindName(map.kind), map.size(), dims);
  std::printf("%s:\n", map.metric == "task2vec" ? "Task2Vec distance (symmetric)" : "cosine similarity");
  printMatrix(map, map.metric == "task2vec" ? map.distance : map.similarity);
  if (!map.asymmetric.empty()) {
    std::printf("\nTask2Vec asymmetric distance d(row -> column), alpha %.2f:\n", map.alpha);
    printMatrix(map, map.asymmetric);
  }
  std::printf("\n");
  for (const auto& line : embed::nearestNeighbourLines(map))
    std::printf("%s\n", line.c_str());
  std::printf("\n%d cluster(s):", map.clusterCount);
  for (int c = 0; c < map.clusterCount; ++c) {
    std::printf(" {");
    bool first = true;
    for (const int i : map.dendrogram.order)
      if (map.clusters[std::size_t(i)] == c) {
        std::printf("%s%s", first ? "" : ", ", map.names[std::size_t(i)].c_str());
        first = false;
      }
    std::printf("}");
  }
  std::printf("\n\n2-D coordinates (%s):\n", embed::projectionName(map.projection));
  const auto& points = map.shown();
  for (std::size_t i = 0; i < map.size(); ++i)
    std::printf("%-20.20s %10.4f %10.4f\n", map.names[i].c_str(), points[i].x, points[i].y);
}

nlohmann::ordered_json toJson(const embed::EmbeddingMap& map) {
  nlohmann::ordered_json j;
  j["kind"] = embed::kindName(map.kind);
  j["metric"] = map.metric;
  j["dimensions"] = map.vectors.empty() ? 0 : map.vectors.front().size();
  j["names"] = map.names;
  j["skills"] = map.skills;
  j["vectors"] = map.vectors;
  j["similarity"] = map.similarity;
  j["distance"] = map.distance;
  if (!map.asymmetric.empty()) {
    j["asymmetric_distance"] = map.asymmetric;
    j["alpha"] = map.alpha;
  }
  nlohmann::ordered_json nearest = nlohmann::ordered_json::array();
  for (const int n : map.nearest)
    nearest.push_back(n < 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(map.names[std::size_t(n)]));
  j["nearest"] = nearest;
  j["clusters"] = map.clusters;
  j["cluster_order"] = map.dendrogram.order;
  j["projection"] = embed::projectionName(map.projection);
  nlohmann::ordered_json coordinates;
  for (const auto& [name, points] : map.coordinates) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& p : points)
      list.push_back({p.x, p.y});
    coordinates[name] = list;
  }
  j["coordinates"] = coordinates;
  return j;
}

} // namespace

int runEmbed(const std::vector<std::string>& argv) {
  const Arguments args(
      argv, {"--adapters", "--base", "--tasks", "--kind", "--projection", "--seed", "--dims"}, {"--json"});
  if (!args.error().empty()) return usageError("embed", args.error(), kUsage);
  // --adapters takes several paths: the words after it that are not options.
  std::vector<std::string> adapters = args.values("--adapters");
  adapters.insert(adapters.end(), args.positional().begin(), args.positional().end());
  if (!args.positional().empty() && args.values("--adapters").empty())
    return usageError("embed", "unexpected argument '" + args.positional().front() + "'", kUsage);
  const auto kind = embed::parseKind(args.value("--kind").empty() ? "param" : args.value("--kind"));
  if (!kind) return usageError("embed", "--kind must be param, fisher or data", kUsage);
  embed::EmbedOptions options;
  if (!args.value("--projection").empty()) {
    const auto projection = embed::parseProjection(args.value("--projection"));
    if (!projection) return usageError("embed", "--projection must be pca, mds or tsne", kUsage);
    options.map.projection = *projection;
  }
  try {
    if (!args.value("--seed").empty()) options.map.seed = std::stoull(args.value("--seed"));
    if (!args.value("--dims").empty()) options.param.dimensions = std::stoll(args.value("--dims"));
    if (options.param.dimensions < 0) throw std::invalid_argument("--dims must be 0 (exact) or positive");
  } catch (const std::exception& e) {
    return usageError("embed", std::string("bad number: ") + e.what(), kUsage);
  }
  if (*kind == embed::EmbeddingKind::Parameter && adapters.empty())
    return usageError("embed", "kind param embeds adapters or fine-tunes: give --adapters", kUsage);
  if (*kind != embed::EmbeddingKind::Parameter &&
      (args.values("--tasks").empty() || args.value("--base").empty()))
    return usageError(
        "embed", std::string("kind ") + embed::kindName(*kind) + " embeds tasks: give --tasks and --base",
        kUsage);

  engine::CancelToken cancel; // Ctrl+C stops between tensors and batches
  const CancelOnInterrupt interrupt(cancel);
  options.cancel = &cancel;
  embed::EmbeddingMap map;
  try {
    engine::OpenedWeights base;
    if (!args.value("--base").empty()) base = engine::openWeights(args.value("--base"), nullptr);
    if (*kind == embed::EmbeddingKind::Parameter) {
      std::vector<embed::TaskVector> items;
      const auto names = pointNames(adapters);
      for (std::size_t i = 0; i < adapters.size(); ++i) {
        std::shared_ptr<const io::TensorSource> source = io::openTensorSource(adapters[i]);
        embed::TaskVector item;
        item.name = names[i];
        if (auto adapter = std::dynamic_pointer_cast<const io::PeftAdapter>(source)) {
          item.adapter = adapter;
          item.base = base.weights;
        } else {
          if (!base.weights)
            throw io::IoError(adapters[i],
                              "is a full model: its task vector is the model minus its base (--base)");
          item.deltas = std::make_shared<engine::LinearCombination>(
              std::vector<std::pair<engine::WeightSetPtr, double>>{
                  {engine::openWeights(adapters[i], nullptr).weights, 1.0}, {base.weights, -1.0}},
              adapters[i] + " minus " + args.value("--base"));
        }
        items.push_back(std::move(item));
      }
      map = embed::embedTaskVectors(items, options);
    } else {
      std::vector<io::TaskData> tasks;
      for (const auto& path : args.values("--tasks"))
        for (auto& task : io::readTaskSet(path))
          tasks.push_back(std::move(task));
      if (!adapters.empty())
        std::fprintf(stderr,
                     "merganser-cli embed: --adapters are not used by kind %s (it embeds the tasks)\n",
                     embed::kindName(*kind));
      const auto* folder = dynamic_cast<const io::HfModelFolder*>(base.source.get());
      const auto probe = eval::loadClassifier(*base.weights, folder);
      map = embed::embedTasks(*kind, *probe, tasks, options);
    }
  } catch (const io::IoError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitBadInput;
  } catch (const engine::Cancelled&) {
    std::fprintf(stderr, "merganser-cli embed: cancelled\n");
    return kExitFailure;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "merganser-cli embed: %s\n", e.what());
    return kExitBadInput;
  }
  if (args.flag("--json"))
    std::printf("%s\n", toJson(map).dump(2).c_str());
  else
    printText(map);
  return kExitOk;
}

} // namespace mg::cli
