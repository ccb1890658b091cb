#include "demo/demo_zoo.h"

#include <ATen/ATen.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include <ATen/CPUGeneratorImpl.h>

#include "demo/demo_files.h"
#include "demo/demo_project.h"
#include "demo/demo_tasks.h"
#include "demo/skill_mixture.h"
#include "graph/project_file.h"
#include "io/atomic_file.h"
#include "io/atomic_folder.h"
#include "io/idx_file.h"
#include "io/task_file.h"

namespace fs = std::filesystem;

namespace mg::demo {

namespace {

// How much is trained: the full demo takes a few minutes on two cores, the quick one seconds.
struct Budget {
  std::vector<std::int64_t> hiddenSizes;
  std::int64_t trainExamples, testExamples;
  std::int64_t baseSteps, specialistSteps, fineTuneSteps;
  double baseRate, specialistRate, fineTuneRate;
  int rank;
  double alpha;
};

Budget budgetFor(bool quick) {
  if (quick) return {{128, 64}, 12000, 500, 300, 150, 150, 2e-3, 2e-3, 5e-4, 8, 16};
  return {{512, 256}, 60000, 2000, 1500, 400, 400, 1e-3, 5e-4, 2e-4, 8, 16};
}

// Share of the base's pre-training mixture: mostly original images, some of each skill, never the held-back
// compositions, so specialists have something to add and novel tasks stay novel.
constexpr double kOriginalShare = 0.55;

std::string seconds(double s) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << s << " s";
  return out.str();
}

} // namespace

DemoReport buildDemoZoo(const DemoOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [](auto since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
  };
  const auto progress = [&](const std::string& step, double fraction) {
    if (options.progress) options.progress(step, fraction);
  };
  checkZooOutputFolder(options.outFolder, "demo.mgproj");
  const Budget budget = budgetFor(options.quick);
  const std::string datasetFolder =
      options.datasetFolder.empty() ? io::kFashionMnistFolder : options.datasetFolder;
  const auto train = io::readFashionMnist("train", datasetFolder);
  const auto test = io::readFashionMnist("test", datasetFolder);
  const auto trainImages = fashionImages(train.images, 0, budget.trainExamples);
  const auto trainLabels = fashionLabels(train.labels, 0, budget.trainExamples);
  const auto testImages = fashionImages(test.images, 0, budget.testExamples);
  const auto testLabels = fashionLabels(test.labels, 0, budget.testExamples);

  auto generator = at::detail::createCPUGenerator(options.seed);
  MlpLayout layout;
  layout.hiddenSizes = budget.hiddenSizes;

  // Steps of the progress bar: base, each specialist, the fine-tune.
  const auto& tasks = demoTasks();
  std::size_t specialistCount = 0;
  for (const auto& task : tasks)
    specialistCount += task.specialist ? 1 : 0;
  const double stepShare = 1.0 / double(specialistCount + 3);
  double done = 0;
  const auto stepOptions = [&](std::int64_t steps, double rate, const std::string& what) {
    TrainOptions o;
    o.steps = steps;
    o.learningRate = rate;
    o.cancel = options.cancel;
    o.progress = [&, what, from = done](double f) { progress(what, from + stepShare * f); };
    return o;
  };

  DemoReport report;
  Parameters base = initMlp(layout, generator);
  {
    const auto begin = std::chrono::steady_clock::now();
    trainParameters(
        base,
        [&] {
          std::vector<std::string> all;
          for (const auto& [name, tensor] : base)
            all.push_back(name);
          return all;
        }(),
        skillMixture(trainImages, trainLabels, demoSkills(), kOriginalShare, generator),
        stepOptions(budget.baseSteps, budget.baseRate, "training the base model"), generator);
    report.baseTrainSeconds = elapsed(begin);
    done += stepShare;
  }

  std::vector<TrainingData> taskTests;
  for (const auto& task : tasks) {
    taskTests.push_back(flatTrainingData(applySkills(testImages, task.skills), testLabels));
  }

  io::AtomicFolder staging(options.outFolder);
  const fs::path root = staging.stagingPath();
  DemoProjectInputs project;
  project.baseFolder = (root / "base").string();
  project.tasksFolder = (root / "tasks").string();
  writeMlpModelFolder(project.baseFolder, layout, base,
                      "Merganser demo base: MLP pre-trained on Fashion-MNIST, mostly original images");

  const auto trunk = trunkModules(layout);
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    if (!tasks[t].specialist) continue;
    const auto begin = std::chrono::steady_clock::now();
    const auto data = flatTrainingData(applySkills(trainImages, tasks[t].skills), trainLabels);
    const Lora lora = trainLora(base, trunk, budget.rank, budget.alpha, data,
                                stepOptions(budget.specialistSteps, budget.specialistRate,
                                            "training the " + tasks[t].name + " specialist"),
                                generator);
    done += stepShare;
    SpecialistReport specialist;
    specialist.task = tasks[t].name;
    specialist.folder = (root / "adapters" / tasks[t].name).string();
    specialist.trainSeconds = elapsed(begin);
    specialist.baseAccuracy = accuracy(base, nullptr, taskTests[t]);
    specialist.accuracy = accuracy(base, &lora, taskTests[t]);
    writeLoraAdapter(specialist.folder, lora, "../../base",
                     "LoRA specialist for '" + tasks[t].name + "' on the Merganser demo base");
    project.loraSpecialists.emplace_back(tasks[t].name, specialist.folder);
    report.specialists.push_back(specialist);
  }

  // A full fine-tune of the trunk for the last specialist's task, to compare with its LoRA.
  {
    const std::size_t t = [&] {
      std::size_t last = 0;
      for (std::size_t i = 0; i < tasks.size(); ++i)
        if (tasks[i].specialist) last = i;
      return last;
    }();
    const auto begin = std::chrono::steady_clock::now();
    Parameters tuned = base;
    std::vector<std::string> trunkTensors;
    for (const auto& module : trunk) {
      trunkTensors.push_back(module + ".weight");
      trunkTensors.push_back(module + ".bias");
    }
    trainParameters(
        tuned, trunkTensors, flatTrainingData(applySkills(trainImages, tasks[t].skills), trainLabels),
        stepOptions(budget.fineTuneSteps, budget.fineTuneRate, "fine-tuning the base on " + tasks[t].name),
        generator);
    done += stepShare;
    SpecialistReport specialist;
    specialist.task = tasks[t].name;
    specialist.folder = (root / "finetunes" / tasks[t].name).string();
    specialist.fullFineTune = true;
    specialist.trainSeconds = elapsed(begin);
    specialist.baseAccuracy = accuracy(base, nullptr, taskTests[t]);
    specialist.accuracy = accuracy(tuned, nullptr, taskTests[t]);
    writeMlpModelFolder(specialist.folder, layout, tuned,
                        "Full fine-tune of the demo base's trunk on '" + tasks[t].name + "'");
    project.fullFineTunes.emplace_back(tasks[t].name, specialist.folder);
    report.specialists.push_back(specialist);
  }

  progress("writing task files and the project", 1.0 - stepShare / 2);
  fs::create_directories(project.tasksFolder);
  for (std::size_t t = 0; t < tasks.size(); ++t)
    io::writeTaskFile(
        (fs::path(project.tasksFolder) / (tasks[t].name + ".h5")).string(),
        makeTaskData(tasks[t].name, tasks[t].skills, applySkills(testImages, tasks[t].skills), testLabels));
  // Training data a user fine-tunes new specialists on (the Fine-tune node, `merganser-cli train`): the first
  // images of Fashion-MNIST's training set through each task's skills, the novel compositions included.
  project.trainTasksFolder = (fs::path(project.tasksFolder) / "train").string();
  fs::create_directories(project.trainTasksFolder);
  const std::int64_t trainTaskExamples = options.quick ? 500 : 1000;
  const auto trainTaskImages = trainImages.narrow(0, 0, trainTaskExamples);
  const auto trainTaskLabels = trainLabels.narrow(0, 0, trainTaskExamples);
  for (const auto& task : tasks) {
    io::writeTaskFile((fs::path(project.trainTasksFolder) / (task.name + ".h5")).string(),
                      makeTaskData(task.name, task.skills, applySkills(trainTaskImages, task.skills),
                                   trainTaskLabels, {}, "train"));
  }
  project.sweepSteps = options.quick ? 4 : 10;
  graph::saveProject(makeDemoProject(project), (root / "demo.mgproj").string());

  if (options.cancel) options.cancel->throwIfCancelled();
  staging.commit();
  const auto relocate = [&](std::string& path) {
    path = (fs::path(options.outFolder) / fs::relative(path, root)).string();
  };
  for (auto& specialist : report.specialists)
    relocate(specialist.folder);
  report.projectPath = (fs::path(options.outFolder) / "demo.mgproj").string();
  report.seconds = elapsed(start);
  progress("done in " + seconds(report.seconds), 1.0);
  return report;
}

} // namespace mg::demo
