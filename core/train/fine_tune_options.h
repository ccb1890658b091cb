#pragma once
// What a fine-tune does (issue 19, the Fine-tune node and `merganser-cli train`): the method and its
// settings, the few-shot selection, the optimizer and its schedule. Plain C++ (no LibTorch), so the graph,
// the CLI and the GUI build and check options without the training code.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mg::train {

enum class Method {
  Lora, // PEFT LoRA factors on the target modules (a PEFT "LORA" adapter)
  Ia3,  // PEFT IA³ scaling vectors (a PEFT "IA3" adapter)
  Full  // the chosen tensors of the base themselves (a model)
};
enum class Schedule { Constant, Linear, Cosine }; // after the linear warm-up
enum class ExampleUnit { PerClass, PerTask };     // what `examples` counts
// Language models: plain next-token cross-entropy on the answer, or T-Few's losses (Liu et al. 2022) on
// multiple-choice tasks: unlikelihood on the wrong choices and the length-normalized choice loss, added to
// it.
enum class LmLoss { CrossEntropy, Unlikelihood, LengthNormalized, TFew /* all three */ };

struct LoraSettings {
  int rank = 8;
  double alpha = 16;
  bool rsLora = false; // scaling alpha / sqrt(rank) instead of alpha / rank
  double dropout = 0;  // on the LoRA path's input while training (language models; see README)
};

struct FineTuneOptions {
  Method method = Method::Lora;
  LoraSettings lora;
  // Modules to adapt, with PEFT's semantics: each entry matches a module whose name is it or ends in
  // "." + it. Empty: the architecture's default (classifiers: the trunk's linear and convolution modules,
  // not the head; language models: q_proj/v_proj for LoRA, k_proj/v_proj/down_proj for IA³ (c_attn/c_proj/
  // mlp.c_proj for GPT-2)).
  std::vector<std::string> targetModules;
  std::string targetRegex; // when set, a full-match regex over module names instead (PEFT's string form)
  // IA³: the target modules whose input (not output) is scaled. Empty: the default (down_proj / mlp.c_proj).
  std::vector<std::string> feedforwardModules;
  // Full fine-tuning: a full-match regex over tensor names choosing what trains ("" = every tensor of the
  // target modules, as matched above, with their biases).
  std::string fullTensors;

  // Few-shot: k training examples per class (classifiers) or per task (text tasks), chosen with `seed`;
  // 0 takes every example not held apart for validation.
  std::int64_t examples = 0;
  ExampleUnit exampleUnit = ExampleUnit::PerClass;
  // Examples held apart for validation, per class / per task like `examples`, chosen first and never
  // trained on. 0: no validation (no early stopping, the last step is kept).
  std::int64_t validationExamples = 0;
  std::int64_t evaluateEvery = 10; // steps between validation scores (and curve points)
  int patience = 0;                // stop after this many validations without a better score; 0: never

  LmLoss lmLoss = LmLoss::CrossEntropy;

  // AdamW (decoupled weight decay, Loshchilov & Hutter), β = (0.9, 0.999), ε = 1e-8.
  double learningRate = 3e-3;
  double weightDecay = 0;
  Schedule schedule = Schedule::Cosine;
  std::int64_t warmupSteps = 0;
  std::int64_t batchSize = 16;
  std::int64_t steps =
      100; // optimizer steps; when `epochs` > 0, epochs × ceil(train / (batch × accumulation))
  std::int64_t epochs = 0;
  std::int64_t gradientAccumulation = 1; // micro-batches per optimizer step
  std::uint64_t seed = 0;
};

// Why the options cannot train (rank < 1, alpha ≤ 0, dropout outside [0, 1), learning rate ≤ 0, batch < 1,
// steps < 1 without epochs, negative counts...), one line naming the setting; nullopt when they can. Problems
// that need the data or the model (no module matched, k larger than the task) are found by the trainers
// before the first step.
std::optional<std::string> problemWith(const FineTuneOptions& options);

// "lora", "ia3", "full" and back; nullopt for a name that is none.
const char* methodName(Method method);
std::optional<Method> methodNamed(const std::string& name);
const char* scheduleName(Schedule schedule);
std::optional<Schedule> scheduleNamed(const std::string& name);
const char* lmLossName(LmLoss loss); // "ce", "unlikelihood", "length_normalized", "tfew"
std::optional<LmLoss> lmLossNamed(const std::string& name);

} // namespace mg::train
