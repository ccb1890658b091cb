// The Fine-tune node (issue 19): trains a specialist of its base on its tasks (core/train), shows the
// training curve while it trains, and hands on the adapter (or model) it wrote into its scratch folder, so a
// cached result is still there on the next run. A cancelled run keeps the best checkpoint so far and says
// where.
#include <cctype>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <map>
#include <sstream>

#include "engine/node_runner.h"
#include "engine/runners/builtin_runners.h"
#include "engine/runners/weight_set_source.h"
#include "engine/value_access.h"
#include "graph/builtin_node_types.h"
#include "io/atomic_folder.h"
#include "io/hf_model_folder.h"
#include "io/peft_adapter.h"
#include "io/task_file.h"
#include "io/text_task_file.h"
#include "text/tokenizer.h"
#include "train/fine_tune.h"
#include "train/fine_tune_settings.h"
#include "util/comma_list.h"
#include "util/percent_text.h"
#include "weights/adapter_weights.h"
#include "weights/open_weights.h"

namespace mg::engine {

namespace {

// Every parameter but the task selection is a fine-tuning setting of the same name.
train::FineTuneOptions fineTuneOptionsOf(const NodeRunContext& context) {
  std::map<std::string, std::string> settings;
  for (const auto& name : train::fineTuneSettingNames())
    settings[name] = context.paramText(name);
  try {
    return train::fineTuneOptionsFrom(settings);
  } catch (const std::invalid_argument& error) {
    throw std::runtime_error(error.what());
  }
}

// The curve as the Results dock's Training tab draws it: the training loss and the validation accuracy (in %)
// per step, titled with the node's title, which names the curves.
struct CurveCharts {
  ScatterValue loss, validation;

  explicit CurveCharts(const std::string& nodeTitle) {
    loss = {"training_loss", nodeTitle, "Mean loss of the training batches since the previous point",
            "step",          "loss",    {}};
    validation = {"training_validation",
                  nodeTitle,
                  "Accuracy on the held-apart validation examples; the best checkpoint is kept",
                  "step",
                  "accuracy (%)",
                  {}};
  }

  void add(const train::CurvePoint& point, graph::NodeId node) {
    const std::string step = "step " + std::to_string(point.step);
    if (!std::isnan(point.trainLoss)) // the point before the first step has no loss yet
      loss.points.push_back({step, double(point.step), point.trainLoss, {node}});
    if (!std::isnan(point.validation))
      validation.points.push_back({step, double(point.step), point.validation * 100, {node}});
  }
  void into(NodeOutputs& out) const {
    out.scatters.push_back(loss);
    if (!validation.points.empty()) out.scatters.push_back(validation);
  }
};

std::string summaryOf(const train::FineTuneResult& result, const train::FineTuneOptions& options) {
  std::ostringstream text;
  text << train::methodName(options.method) << ": " << result.stepsRun << " steps on " << result.trainExamples
       << " examples in " << std::fixed;
  text.precision(1);
  text << result.seconds << " s";
  if (!std::isnan(result.bestValidation))
    text << "; best validation " << util::percentText(result.bestValidation) << " at step " << result.bestStep
         << " (" << result.validationExamples << " examples)";
  if (result.stoppedEarly) text << "; stopped early";
  return text.str();
}

// Copies a finished adapter or model folder to `destination`, atomically (a folder there is replaced whole).
void copyFolder(const std::string& from, const std::string& destination) {
  io::AtomicFolder out(destination);
  std::filesystem::copy(from, out.stagingPath(),
                        std::filesystem::copy_options::recursive |
                            std::filesystem::copy_options::overwrite_existing);
  out.commit();
}

// Where a cancelled run's best checkpoint goes: save_to, else a folder of its own beside the scratch root
// (<root>/../checkpoints/<node>-<time>), as the cache deletes the folders of cancelled nodes when a run ends.
std::string keptCheckpointFolder(const NodeRunContext& context, const std::string& saveTo) {
  if (!saveTo.empty()) return saveTo;
  const auto scratchRoot = std::filesystem::path(context.scratchFolder).parent_path().parent_path();
  std::string name = context.nodeData().title.empty() ? "fine-tune" : context.nodeData().title;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  return (scratchRoot.parent_path() / "checkpoints" / (name + "-" + stamp)).string();
}

NodeOutputs runFineTune(NodeRunContext& context) {
  const auto options = fineTuneOptionsOf(context);
  const auto* base = std::get_if<ModelValue>(&context.input("base"));
  if (!base)
    throw std::runtime_error(
        "input 'base' of " + context.describe() +
        ": connect a model (an adapter is trained from its base: merge or export it first)");
  const auto* tasks = std::get_if<TasksValue>(&context.input("tasks"));
  if (!tasks) throw std::runtime_error("input 'tasks' of " + context.describe() + ": connect task data");
  std::string continueFrom;
  if (const auto* adapter = std::get_if<AdapterValue>(&context.input("adapter")))
    continueFrom = adapter->folder;
  const auto names = util::commaList(context.paramText("tasks"));

  std::filesystem::create_directories(context.scratchFolder);
  const bool full = options.method == train::Method::Full;
  const std::string folder =
      (std::filesystem::path(context.scratchFolder) / (full ? "model" : "adapter")).string();

  CurveCharts charts(context.nodeData().title.empty() ? "Fine-tune" : context.nodeData().title);
  train::TrainingEvents events;
  events.cancel = context.cancel;
  events.progress = context.progress;
  events.point = [&](const train::CurvePoint& point) {
    charts.add(point, context.node);
    if (context.publish) {
      NodeOutputs partial;
      charts.into(partial);
      context.publish(partial);
    }
  };

  train::FineTuneResult result;
  try {
    if (tasks->textTasks) {
      train::LanguageModelBase lm;
      if (!base->config)
        throw std::runtime_error(
            "a language model needs the config.json of a Hugging Face folder: connect its "
            "folder as a Model source");
      lm.folder = base->config->path();
      if (base->label != lm.folder)
        lm.weights = std::make_shared<WeightSetSource>(base->weights, base->label);
      lm.tokenizer = text::loadTokenizer(lm.folder);
      result = train::fineTuneLanguageModel(lm, train::tasksNamed(*tasks->textTasks, names), options,
                                            continueFrom, folder, events);
    } else {
      train::ClassifierBase classifier{base->weights, base->config, base->label};
      result = train::fineTuneClassifier(classifier, train::tasksNamed(*tasks->tasks, names), options,
                                         continueFrom, folder, events);
    }
  } catch (const std::invalid_argument& error) { // settings, data or a model that cannot train
    throw std::runtime_error(error.what());
  }
  const std::string saveTo = context.paramText("save_to");
  if (result.cancelled) {
    const std::string kept = keptCheckpointFolder(context, saveTo);
    copyFolder(result.folder, kept);
    std::ostringstream note;
    note << "cancelled after " << result.stepsRun << " steps; the best checkpoint (step " << result.bestStep;
    if (!std::isnan(result.bestValidation))
      note << ", validation " << util::percentText(result.bestValidation);
    note << ") is kept in " << kept;
    throw Cancelled(note.str());
  }

  NodeOutputs out;
  out.facts.push_back(summaryOf(result, options));
  if (!saveTo.empty()) {
    copyFolder(result.folder, saveTo);
    out.facts.push_back("written to " + saveTo);
  }
  charts.into(out);
  if (full) {
    const auto opened = openWeights(result.folder, nullptr);
    out.values.emplace_back(std::monostate{});
    out.values.emplace_back(ModelValue{opened.weights,
                                       result.folder,
                                       std::dynamic_pointer_cast<const io::HfModelFolder>(opened.source),
                                       {{"fine_tuned_from", base->label}}});
  } else {
    auto adapter = std::make_shared<const io::PeftAdapter>(result.folder);
    auto applied = std::make_shared<const AdapterWeights>(base->weights, adapter);
    out.values.emplace_back(AdapterValue{adapter, result.folder});
    out.values.emplace_back(
        ModelValue{applied, context.nodeData().title.empty() ? result.folder : context.nodeData().title,
                   base->config, base->provenance});
  }
  return out;
}

} // namespace

void registerFineTuneRunner(NodeRunnerRegistry& registry) {
  registry.add(graph::node_types::kFineTune, runFineTune);
}

} // namespace mg::engine
