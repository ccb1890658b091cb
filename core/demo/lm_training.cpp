#include "demo/lm_training.h"

#include <ATen/ATen.h>

#include "io/text_task_file.h"
#include "lm/causal_lm.h"
#include "lm/run_options.h"
#include "tensor/intra_op_threads.h"
#include "train/adamw.h"
#include "train/lm_examples.h"
#include "train/lm_losses.h"

namespace mg::demo {

double trainOnAnswers(const lm::CausalLm& model, const std::vector<at::Tensor>& trainable,
                      const text::Tokenizer& tokenizer, const PromptAnswerSource& next,
                      const LmTrainOptions& options) {
  // As the model's inference passes choose (lm/run_options.h): one thread for a small model.
  const tensor::ScopedIntraOpThreads threads(lm::passThreads({}, model.config()));
  for (auto tensor : trainable)
    tensor.requires_grad_(true);
  train::AdamW optimizer(trainable, options.weightDecay, 0.9, 0.98);
  // Prompt/answer pairs as a generation task's examples, the answer ending at the newline: the fine-tunes'
  // tokenization and loss (train/lm_losses.h).
  io::TextTask task;
  task.name = "demo";
  task.kind = io::TextTaskKind::Generation;
  task.stop = {"\n"};
  const auto window = model.config().maxPositions > 0 ? model.config().maxPositions : 2048;
  const std::int64_t tail = std::max<std::int64_t>(1, options.steps / 10);
  double tailLoss = 0;
  for (std::int64_t step = 0; step < options.steps; ++step) {
    if (options.cancel) options.cancel->throwIfCancelled();
    std::vector<train::LmTrainingExample> examples;
    for (std::int64_t i = 0; i < options.batchSize; ++i) {
      io::TextExample example;
      std::tie(example.prompt, example.answer) = next();
      examples.push_back(train::lmTrainingExample(tokenizer, task, example, window));
    }
    std::vector<const train::LmTrainingExample*> batch;
    for (const auto& example : examples)
      batch.push_back(&example);
    optimizer.zeroGradients();
    // Per answer token over the batch (the fine-tunes average per example: T-Few's L_LM).
    const auto loss = -train::lmTargetLogProbs(model, batch).mean();
    loss.backward();
    train::clipGradientNorm(trainable, 1.0);
    // Warm-up, then a cosine from the full rate down to a tenth of it.
    optimizer.step(train::scheduledLearningRate(train::Schedule::Cosine, options.learningRate,
                                                options.warmupSteps, step, options.steps, 0.1));
    if (step >= options.steps - tail) tailLoss += loss.item<double>();
    if (options.progress && (step % 10 == 0 || step + 1 == options.steps))
      options.progress(double(step + 1) / double(options.steps));
  }
  optimizer.zeroGradients();
  for (auto tensor : trainable)
    tensor.requires_grad_(false);
  return tailLoss / double(tail);
}

} // namespace mg::demo
