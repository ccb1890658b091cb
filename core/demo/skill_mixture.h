#pragma once
// Training data both demo zoos make the same way: images flattened to rows, and a base's pre-training
// mixture, each image seen plain or through one skill drawn at random.
#include <string>
#include <vector>

#include "demo/mlp_training.h"

namespace at {
class Generator;
}

namespace mg::demo {

// `images` [N, H, W] as rows [N, H·W], with their labels.
TrainingData flatTrainingData(const at::Tensor& images, const at::Tensor& labels);

// Each image kept plain with probability `plainShare`, else through one of `skills` (the rest of the
// probability split evenly among them, in order), drawn with `generator`; flattened.
TrainingData skillMixture(const at::Tensor& images, const at::Tensor& labels,
                          const std::vector<std::string>& skills, double plainShare,
                          at::Generator& generator);

} // namespace mg::demo
