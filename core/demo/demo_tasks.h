#pragma once
// The demo's tasks: Fashion-MNIST seen through compositions of input skills. A skill is an input transform
// (rotate a quarter turn, flip upside down, invert the grey levels); a task applies some of them, in order.
// Single-skill tasks get a specialist; the compositions are held back as novel tasks no specialist was
// trained on, to test whether merging the skills' specialists solves their combination.
#include <string>
#include <vector>

namespace at {
class Tensor;
}

namespace mg::demo {

struct DemoTask {
  std::string name;                // "rotate+invert"
  std::vector<std::string> skills; // {"rotate", "invert"}; empty for the original images
  bool specialist = false;         // a LoRA specialist is trained on it
  bool novel = false;              // a held-back composition of skills that have specialists
};

// original, rotate, flip, invert, rotate+invert, flip+invert.
const std::vector<DemoTask>& demoTasks();

// The skills the demo knows, in a fixed order.
const std::vector<std::string>& demoSkills();

// `images` [N, 28, 28] float in [0, 1] with each skill applied in order; throws std::invalid_argument for an
// unknown skill. Besides demoSkills(), the benchmark zoo's (demo/zoo_tasks.h): mirror (left-right),
// transpose, blur, noise (deterministic), shift (5 px right and down).
at::Tensor applySkills(const at::Tensor& images, const std::vector<std::string>& skills);

} // namespace mg::demo
