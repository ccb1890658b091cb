#include "demo/skill_mixture.h"

#include <ATen/ATen.h>

#include "demo/demo_tasks.h"

namespace mg::demo {

TrainingData flatTrainingData(const at::Tensor& images, const at::Tensor& labels) {
  return {images.reshape({images.size(0), -1}).contiguous(), labels};
}

TrainingData skillMixture(const at::Tensor& images, const at::Tensor& labels,
                          const std::vector<std::string>& skills, double plainShare,
                          at::Generator& generator) {
  const auto draw = at::rand({images.size(0)}, generator);
  at::Tensor mixed = images.clone();
  const double share = (1.0 - plainShare) / double(skills.size());
  for (std::size_t i = 0; i < skills.size(); ++i) {
    const double low = plainShare + share * double(i);
    const auto rows = at::nonzero((draw >= low) & (draw < low + share)).squeeze(1);
    mixed.index_copy_(0, rows, applySkills(images.index_select(0, rows), {skills[i]}));
  }
  return flatTrainingData(mixed, labels);
}

} // namespace mg::demo
