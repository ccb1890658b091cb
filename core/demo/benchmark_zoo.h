#pragma once
// The benchmark zoo (`merganser-cli demo --zoo benchmark`): the standard model-merging benchmark's protocol
// at the scale of Fashion-MNIST on two CPU cores. A small CNN base (MerganserCNN) pre-trained on a broad
// mixture (the images under a random one of the zoo's input skills, or none), a head per task fitted on the
// frozen base's features and then frozen (the analogue of CLIP's zero-shot heads: stored in the base as
// heads.<task>.*, so every model of the zoo carries the same heads and merges keep them), and 16 specialists
// that fine-tune only the trunk under their task's head: 12 LoRA adapters of the hidden layers (Merganser
// reads no PEFT adapters of convolutions) and 4 full fine-tunes of convolutions and hidden layers. Tasks and
// held-out tasks: demo/zoo_tasks.h.
//
// Layout of the output folder (made in a staging folder and moved into place when complete):
//   base/                 config.json + model.safetensors (MerganserCNN with head.* and heads.<task>.*)
//   adapters/<task>/      PEFT LoRA adapters of base/ (its hidden layers)
//   finetunes/<task>/     full fine-tunes of the trunk (config.json + model.safetensors)
//   tasks/<task>.h5       test examples of every task (Fashion-MNIST's test split)
//   tasks/val/<task>.h5   validation examples of every task (training images no model was trained on), for
//                         choosing hyperparameters; a Tasks source on tasks/ does not read this sub-folder
//   benchmark.mgproj      the project
#include "demo/demo_zoo.h"

namespace mg::demo {

inline constexpr const char* kBenchmarkProjectFile = "benchmark.mgproj";

// Throws as buildDemoZoo does; engine::Cancelled when cancelled (nothing is left at the output folder).
DemoReport buildBenchmarkZoo(const DemoOptions& options);

} // namespace mg::demo
