#pragma once
// Few-shot fine-tuning of a specialist (issue 19): a LoRA or IA³ adapter, or chosen tensors of the base,
// trained on task data with AdamW, scored on held-apart validation examples as it goes, and written where
// PEFT and Merganser load it. The Fine-tune node (engine) and `merganser-cli train` call these.
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "train/fine_tune_options.h"
#include "weights/cancel.h"
#include "weights/weight_set.h"

namespace mg::io {
class HfModelFolder;
class TensorSource;
struct TaskData;
struct TextTask;
} // namespace mg::io
namespace mg::text {
class Tokenizer;
}

namespace mg::train {

// One point of the training curve: the mean training loss since the previous point, and the validation
// score (accuracy in [0, 1]; NaN when there is no validation set) after `step` optimizer steps.
struct CurvePoint {
  std::int64_t step = 0;
  double trainLoss = 0;
  double validation = std::numeric_limits<double>::quiet_NaN();
  double seconds = 0; // since training started
};

struct TrainingEvents {
  // Checked every step. When set, training stops, the best checkpoint so far is written and the result says
  // cancelled (nothing is thrown).
  const engine::CancelToken* cancel = nullptr;
  std::function<void(double fraction, const std::string& what)> progress;
  std::function<void(const CurvePoint& point)> point; // each curve point as it is measured
};

struct FineTuneResult {
  std::vector<CurvePoint> curve;
  std::int64_t bestStep = 0; // the step whose parameters were written (the last when there is no validation)
  double bestValidation = std::numeric_limits<double>::quiet_NaN();
  std::int64_t stepsRun = 0;
  bool stoppedEarly = false; // patience ran out
  bool cancelled = false;
  std::int64_t trainExamples = 0, validationExamples = 0;
  double seconds = 0;
  // What was written: a PEFT adapter folder (adapter_config.json + adapter_model.safetensors) for LoRA and
  // IA³, a model folder (model.safetensors, and the base's config.json when it has one) for a full fine-tune.
  std::string folder;
};

// A classifier to fine-tune: the weights a Model carries, the Hugging Face folder its config.json comes from
// (may be null), and a TorchScript archive when the model is one (not trainable through LoRA: refused).
struct ClassifierBase {
  engine::WeightSetPtr weights;
  std::shared_ptr<const io::HfModelFolder> config;
  std::string label; // for messages and the adapter's base_model_name_or_path
};

// Trains on `tasks` (one task, or several for a multi-task specialist: each example through its own task's
// head when the model has one) and writes the result to `outFolder` atomically (nothing half-written is left
// there). `continueFrom`: an adapter folder of the same method to start from ("" for a fresh one).
// Throws std::invalid_argument / io::IoError before the first step for options, data or a model that cannot
// train (naming the setting, the task or the module).
FineTuneResult fineTuneClassifier(const ClassifierBase& base, const std::vector<io::TaskData>& tasks,
                                  const FineTuneOptions& options, const std::string& continueFrom,
                                  const std::string& outFolder, const TrainingEvents& events);

// A causal language model to fine-tune: its Hugging Face folder (config.json), the tensors when not the
// folder's own (a merge the engine computes; null: the folder's), and its tokenizer.
struct LanguageModelBase {
  std::string folder;
  std::shared_ptr<const io::TensorSource> weights;
  std::shared_ptr<const text::Tokenizer> tokenizer;
};

// As fineTuneClassifier, on text tasks (multiple-choice, generation or perplexity examples); the validation
// score is the tasks' mean accuracy (exact match for generation).
FineTuneResult fineTuneLanguageModel(const LanguageModelBase& base, const std::vector<io::TextTask>& tasks,
                                     const FineTuneOptions& options, const std::string& continueFrom,
                                     const std::string& outFolder, const TrainingEvents& events);

} // namespace mg::train
