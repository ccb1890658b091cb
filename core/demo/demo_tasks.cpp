#include "demo/demo_tasks.h"

#include <ATen/ATen.h>

#include <stdexcept>

namespace mg::demo {

const std::vector<DemoTask>& demoTasks() {
  static const std::vector<DemoTask> tasks = {
      {"original", {}, false, false},
      {"rotate", {"rotate"}, true, false},
      {"flip", {"flip"}, true, false},
      {"invert", {"invert"}, true, false},
      {"rotate+invert", {"rotate", "invert"}, false, true},
      {"flip+invert", {"flip", "invert"}, false, true},
  };
  return tasks;
}

const std::vector<std::string>& demoSkills() {
  static const std::vector<std::string> skills = {"rotate", "flip", "invert"};
  return skills;
}

namespace {

at::Tensor applySkill(const at::Tensor& images, const std::string& skill) {
  if (skill == "rotate") return at::rot90(images, 1, {1, 2}).contiguous();
  if (skill == "flip") return at::flip(images, {1});
  if (skill == "invert") return 1.0 - images;
  throw std::invalid_argument("unknown demo skill '" + skill + "'");
}

} // namespace

at::Tensor applySkills(const at::Tensor& images, const std::vector<std::string>& skills) {
  at::Tensor out = images;
  for (const auto& skill : skills)
    out = applySkill(out, skill);
  return out;
}

} // namespace mg::demo
