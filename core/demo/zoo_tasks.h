#pragma once
// The benchmark zoo's tasks (`merganser-cli demo --zoo benchmark`): Fashion-MNIST seen through input skills
// (demo/demo_tasks.h: rotate, flip, invert, blur, noise, shift, transpose) and read through a labeling: the
// ten classes, a coarse grouping, a subset of the classes or a permutation of them. Every task has its own
// head (heads.<task>.* in the base, fitted on the base's features and frozen); most have a specialist, a
// LoRA adapter or a full fine-tune of the trunk; the held-out ones compose trained skills and labelings and
// have none.
#include <cstdint>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

namespace mg::demo {

struct Labeling {
  std::string name;                    // "coarse4"; "" for the ten classes
  std::vector<std::int64_t> classOf;   // Fashion-MNIST class -> task class, -1: not in the task
  std::vector<std::string> labelNames; // the task's classes
};

struct ZooTask {
  std::string name;                // "rotate-upper5"
  std::vector<std::string> skills; // input skills, in order
  Labeling labeling;
  bool specialist = false;   // has a specialist
  bool fullFineTune = false; // that specialist is a full fine-tune of the trunk (else a LoRA)
  // The task's skills and labeling, as its task file records them ({"rotate", "upper5"}).
  std::vector<std::string> allSkills() const;
};

// 16 specialist tasks (12 LoRA, 4 full fine-tunes) then 4 held-out ones, in a fixed order.
const std::vector<ZooTask>& benchmarkTasks();

// The input skills the base's pre-training mixture draws from (those of the specialist tasks).
const std::vector<std::string>& benchmarkSkills();

// A task's examples of Fashion-MNIST `images` [N, 28, 28] / `labels` [N]: the examples of its classes, with
// its skills applied and its labels.
struct TaskExamples {
  at::Tensor images; // [M, 28, 28]
  at::Tensor labels; // [M] int64
};
TaskExamples taskExamples(const ZooTask& task, const at::Tensor& images, const at::Tensor& labels);

} // namespace mg::demo
