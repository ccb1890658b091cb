#include "demo/demo_tasks.h"

#include <ATen/ATen.h>

#include <stdexcept>

#include <ATen/CPUGeneratorImpl.h>

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
  // The skills of the benchmark zoo (demo/zoo_tasks.h); the first demo uses the three above.
  if (skill == "mirror") return at::flip(images, {2});
  if (skill == "transpose") return images.transpose(1, 2).contiguous();
  if (skill == "blur") { // a 3×3 box blur twice (close to a Gaussian of σ ≈ 1.15 px), edges not darkened
    auto x = images.unsqueeze(1);
    for (int i = 0; i < 2; ++i)
      x = at::avg_pool2d(x, 3, 1, 1, /*ceil_mode=*/false, /*count_include_pad=*/false);
    return x.squeeze(1);
  }
  if (skill == "noise") { // Gaussian noise of σ 0.3, the same for the same images: a fixed seed
    auto generator = at::detail::createCPUGenerator(0x6e6f697365);
    return (images + 0.3 * at::randn(images.sizes(), generator)).clamp(0.0, 1.0);
  }
  if (skill == "shift") { // 5 px right and down, zero-filled
    const auto padded = at::constant_pad_nd(images, {5, 0, 5, 0}, 0.0);
    return padded.narrow(1, 0, images.size(1)).narrow(2, 0, images.size(2)).contiguous();
  }
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
