#include "demo/benchmark_zoo.h"

#include <ATen/ATen.h>

#include <chrono>
#include <filesystem>

#include <ATen/CPUGeneratorImpl.h>

#include "demo/benchmark_project.h"
#include "demo/cnn_training.h"
#include "demo/demo_files.h"
#include "demo/demo_tasks.h"
#include "demo/skill_mixture.h"
#include "demo/zoo_tasks.h"
#include "graph/project_file.h"
#include "io/atomic_folder.h"
#include "io/idx_file.h"
#include "io/task_file.h"

namespace fs = std::filesystem;

namespace mg::demo {

namespace {

// How much is trained: the full zoo takes a few minutes on two cores, the quick one seconds.
struct ZooBudget {
  CnnLayout layout;
  std::int64_t trainExamples, validationExamples, testExamples;
  std::int64_t baseSteps, headSteps, loraSteps, fullSteps;
  double baseRate, headRate, loraRate, fullRate;
  int rank;
  double alpha;
};

ZooBudget zooBudgetFor(bool quick) {
  ZooBudget b;
  b.layout.kernelSize = 3;
  if (quick) {
    b.layout.channels = {5, 10};
    b.layout.hiddenSizes = {32, 32};
    b.trainExamples = 3000;
    b.validationExamples = 100;
    b.testExamples = 200;
    b.baseSteps = 150, b.headSteps = 100, b.loraSteps = 60, b.fullSteps = 60;
    b.baseRate = 3e-3, b.headRate = 1e-2, b.loraRate = 5e-3, b.fullRate = 2e-3;
  } else {
    b.layout.channels = {8, 16};
    b.layout.hiddenSizes = {256, 128};
    b.trainExamples = 30000;
    b.validationExamples = 500;
    b.testExamples = 1000;
    b.baseSteps = 1000, b.headSteps = 300, b.loraSteps = 600, b.fullSteps = 600;
    b.baseRate = 2e-3, b.headRate = 1e-2, b.loraRate = 1e-3, b.fullRate = 3e-4;
  }
  b.rank = 8;
  b.alpha = 16;
  return b;
}

// The share of the pre-training mixture seen without a skill; the rest is spread evenly over the skills. Most
// of it plain, as a broad pre-training is mostly of the common case: the base knows of every skill (its
// features serve each task's head) without mastering them, which is what the specialists add.
constexpr double kPlainShare = 0.85;

// The heads are fitted on a few examples per class, like CLIP's zero-shot heads made without the task's
// data: a probe fitted on all of it would leave fine-tuning (and so merging) little to add, as measured
// (base 85.4 %, specialists 89.1 % with full probes).
constexpr std::int64_t kHeadShotsPerClass = 20;

TrainingData examplesOf(const ZooTask& task, const at::Tensor& images, const at::Tensor& labels) {
  const auto examples = taskExamples(task, images, labels);
  return flatTrainingData(examples.images, examples.labels);
}

double secondsSince(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

} // namespace

DemoReport buildBenchmarkZoo(const DemoOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto progress = [&](const std::string& step, double fraction) {
    if (options.progress) options.progress(step, fraction);
  };
  checkZooOutputFolder(options.outFolder, kBenchmarkProjectFile);
  const ZooBudget budget = zooBudgetFor(options.quick);
  const std::string datasetFolder =
      options.datasetFolder.empty() ? io::kFashionMnistFolder : options.datasetFolder;
  const auto train = io::readFashionMnist("train", datasetFolder);
  const auto test = io::readFashionMnist("test", datasetFolder);
  const auto trainImages = fashionImages(train.images, 0, budget.trainExamples);
  const auto trainLabels = fashionLabels(train.labels, 0, budget.trainExamples);
  // Validation examples come from the training split's last images, which no model is trained on.
  const auto validationFirst = train.images.shape.at(0) - budget.validationExamples;
  if (validationFirst < budget.trainExamples)
    throw std::runtime_error(datasetFolder + ": too few training images for the benchmark zoo");
  const auto validationImages = fashionImages(train.images, validationFirst, budget.validationExamples);
  const auto validationLabels = fashionLabels(train.labels, validationFirst, budget.validationExamples);
  const auto testImages = fashionImages(test.images, 0, budget.testExamples);
  const auto testLabels = fashionLabels(test.labels, 0, budget.testExamples);

  auto generator = at::detail::createCPUGenerator(options.seed);
  const auto& tasks = benchmarkTasks();
  std::size_t specialistCount = 0;
  for (const auto& task : tasks)
    specialistCount += task.specialist ? 1 : 0;
  // Steps of the progress bar: the base, the heads, each specialist, the files.
  const double stepShare = 1.0 / double(specialistCount + 3);
  double done = 0;
  const auto stepOptions = [&](std::int64_t steps, double rate, const std::string& what,
                               std::int64_t batch = 128) {
    TrainOptions o;
    o.steps = steps;
    o.learningRate = rate;
    o.batchSize = batch;
    o.cancel = options.cancel;
    o.progress = [&, what, from = done](double f) { progress(what, from + stepShare * f); };
    return o;
  };

  DemoReport report;
  const auto& layout = budget.layout;
  Parameters base = initCnn(layout, generator);
  {
    const auto begin = std::chrono::steady_clock::now();
    std::vector<std::string> all;
    for (const auto& [name, tensor] : base)
      all.push_back(name);
    trainCnn(base, all, {}, skillMixture(trainImages, trainLabels, benchmarkSkills(), kPlainShare, generator),
             stepOptions(budget.baseSteps, budget.baseRate, "pre-training the base model"), generator);
    done += stepShare;
    // The frozen heads: a linear probe of the base's features per task, on a few of its training examples.
    for (std::size_t t = 0; t < tasks.size(); ++t) {
      auto o = stepOptions(budget.headSteps, budget.headRate, "fitting the task heads", 512);
      o.progress = [&, from = done](double f) {
        progress("fitting the head of " + tasks[t].name,
                 from + stepShare * (double(t) + f) / double(tasks.size()));
      };
      const auto classes = std::int64_t(tasks[t].labeling.labelNames.size());
      const auto examples = examplesOf(tasks[t], trainImages, trainLabels);
      const auto shots = std::min(examples.inputs.size(0), kHeadShotsPerClass * classes);
      fitHead(base, tasks[t].name, classes,
              {examples.inputs.narrow(0, 0, shots), examples.labels.narrow(0, 0, shots)}, o, generator);
    }
    done += stepShare;
    report.baseTrainSeconds = secondsSince(begin);
  }

  io::AtomicFolder staging(options.outFolder);
  const fs::path root = staging.stagingPath();
  BenchmarkProjectInputs project;
  project.baseFolder = (root / "base").string();
  project.tasksFolder = (root / "tasks").string();
  writeCnnModelFolder(
      project.baseFolder, layout, base,
      "Merganser benchmark zoo base: a CNN pre-trained on Fashion-MNIST under a mixture of input "
      "skills, with a frozen head per task (heads.<task>.*)");

  // LoRA adapts the hidden layers: PEFT adapters of convolutions (4-D lora_A) are not read by
  // io/peft_adapter.
  std::vector<std::string> modules;
  for (std::size_t i = 0; i < layout.hiddenSizes.size(); ++i)
    modules.push_back("layers." + std::to_string(i));
  for (const auto& task : tasks) {
    if (!task.specialist) continue;
    const auto begin = std::chrono::steady_clock::now();
    const auto data = examplesOf(task, trainImages, trainLabels);
    const auto testData = examplesOf(task, testImages, testLabels);
    SpecialistReport specialist;
    specialist.task = task.name;
    specialist.fullFineTune = task.fullFineTune;
    specialist.baseAccuracy = cnnAccuracy(base, nullptr, testData, task.name);
    if (task.fullFineTune) {
      Parameters tuned = base;
      trainCnn(tuned, cnnTrunkTensors(layout), task.name, data,
               stepOptions(budget.fullSteps, budget.fullRate, "fine-tuning the trunk on " + task.name),
               generator);
      specialist.accuracy = cnnAccuracy(tuned, nullptr, testData, task.name);
      specialist.folder = (root / "finetunes" / task.name).string();
      writeCnnModelFolder(specialist.folder, layout, tuned,
                          "Full fine-tune of the benchmark zoo base's trunk on '" + task.name + "'");
      project.fullFineTunes.emplace_back(task.name, specialist.folder);
    } else {
      const Lora lora = trainCnnLora(
          base, modules, budget.rank, budget.alpha, task.name, data,
          stepOptions(budget.loraSteps, budget.loraRate, "training the " + task.name + " LoRA"), generator);
      specialist.accuracy = cnnAccuracy(base, &lora, testData, task.name);
      specialist.folder = (root / "adapters" / task.name).string();
      writeLoraAdapter(specialist.folder, lora, "../../base",
                       "LoRA specialist for '" + task.name + "' on the Merganser benchmark zoo base");
      project.loraSpecialists.emplace_back(task.name, specialist.folder);
    }
    done += stepShare;
    specialist.trainSeconds = secondsSince(begin);
    report.specialists.push_back(specialist);
  }

  progress("writing task files and the project", 1.0 - stepShare / 2);
  fs::create_directories(fs::path(project.tasksFolder) / "val");
  for (const auto& task : tasks) {
    for (const auto& [folder, images, labels, split] :
         {std::tuple{fs::path(project.tasksFolder), testImages, testLabels, "test"},
          std::tuple{fs::path(project.tasksFolder) / "val", validationImages, validationLabels,
                     "validation"}}) {
      const auto examples = taskExamples(task, images, labels);
      io::writeTaskFile((folder / (task.name + ".h5")).string(),
                        makeTaskData(task.name, task.allSkills(), examples.images, examples.labels,
                                     task.labeling.labelNames, split));
    }
  }
  project.sweepSteps = options.quick ? 4 : 10;
  graph::saveProject(makeBenchmarkProject(project), (root / kBenchmarkProjectFile).string());

  if (options.cancel) options.cancel->throwIfCancelled();
  staging.commit();
  for (auto& specialist : report.specialists)
    specialist.folder = (fs::path(options.outFolder) / fs::relative(specialist.folder, root)).string();
  report.projectPath = (fs::path(options.outFolder) / kBenchmarkProjectFile).string();
  report.seconds = secondsSince(start);
  progress("done", 1.0);
  return report;
}

} // namespace mg::demo
