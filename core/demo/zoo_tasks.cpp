#include "demo/zoo_tasks.h"

#include <ATen/ATen.h>

#include "demo/demo_tasks.h"
#include "io/idx_file.h"

namespace mg::demo {

namespace {

// Fashion-MNIST: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker,
// 8 Bag, 9 Ankle boot.
Labeling allClasses() {
  Labeling l;
  l.classOf = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  l.labelNames = io::fashionMnistLabelNames();
  return l;
}
Labeling coarse4() { // what a shop's departments would be
  return {"coarse4", {0, 1, 0, 1, 0, 2, 0, 2, 3, 2}, {"tops", "bottoms and dresses", "footwear", "bags"}};
}
Labeling upper5() { // the garments worn on the upper body, the classes the base confuses most
  return {
      "upper5", {0, -1, 1, 2, 3, -1, 4, -1, -1, -1}, {"T-shirt/top", "Pullover", "Dress", "Coat", "Shirt"}};
}
Labeling shoes3() {
  return {"shoes3", {-1, -1, -1, -1, -1, 0, -1, 1, -1, 2}, {"Sandal", "Sneaker", "Ankle boot"}};
}
Labeling halves() { // an arbitrary split: no visual grouping helps
  return {"halves", {0, 1, 1, 0, 1, 0, 0, 1, 1, 0}, {"even-ish", "odd-ish"}};
}
Labeling permuted() {
  Labeling l;
  l.name = "permuted";
  l.classOf = {3, 7, 0, 9, 5, 1, 8, 2, 6, 4};
  const auto& names = io::fashionMnistLabelNames();
  l.labelNames.resize(10);
  for (std::size_t c = 0; c < 10; ++c)
    l.labelNames[std::size_t(l.classOf[c])] = names[c];
  return l;
}

ZooTask task(const std::vector<std::string>& skills, const Labeling& labeling, bool specialist, bool full) {
  ZooTask t;
  for (const auto& skill : skills)
    t.name += (t.name.empty() ? "" : "+") + skill;
  if (!labeling.name.empty()) t.name += (t.name.empty() ? "" : "-") + labeling.name;
  t.skills = skills;
  t.labeling = labeling;
  t.specialist = specialist;
  t.fullFineTune = full;
  return t;
}

} // namespace

std::vector<std::string> ZooTask::allSkills() const {
  auto all = skills;
  if (!labeling.name.empty()) all.push_back(labeling.name);
  return all;
}

const std::vector<ZooTask>& benchmarkTasks() {
  static const std::vector<ZooTask> tasks = {
      // Input skills with the ten classes.
      task({"rotate"}, allClasses(), true, false),
      task({"flip"}, allClasses(), true, false),
      task({"invert"}, allClasses(), true, false),
      task({"blur"}, allClasses(), true, false),
      task({"noise"}, allClasses(), true, false),
      task({"shift"}, allClasses(), true, false),
      task({"transpose"}, allClasses(), true, true),
      // Labelings of the original images.
      task({}, coarse4(), true, false),
      task({}, upper5(), true, false),
      task({}, shoes3(), true, false),
      task({}, permuted(), true, true),
      task({}, halves(), true, false),
      // Both.
      task({"rotate"}, upper5(), true, false),
      task({"invert"}, coarse4(), true, true),
      task({"noise"}, shoes3(), true, false),
      task({"flip"}, permuted(), true, true),
      // Held out: compositions of trained skills and labelings that no specialist saw.
      task({"rotate", "invert"}, allClasses(), false, false),
      task({"flip", "blur"}, allClasses(), false, false),
      task({"blur"}, upper5(), false, false),
      task({"shift", "noise"}, coarse4(), false, false),
  };
  return tasks;
}

const std::vector<std::string>& benchmarkSkills() {
  static const std::vector<std::string> skills = {"rotate", "flip",  "invert",   "blur",
                                                  "noise",  "shift", "transpose"};
  return skills;
}

TaskExamples taskExamples(const ZooTask& task, const at::Tensor& images, const at::Tensor& labels) {
  const auto map = at::tensor(task.labeling.classOf, at::kLong);
  const auto mapped = map.index_select(0, labels);
  const auto keep = at::nonzero(mapped >= 0).squeeze(1);
  return {applySkills(images.index_select(0, keep), task.skills).contiguous(), mapped.index_select(0, keep)};
}

} // namespace mg::demo
