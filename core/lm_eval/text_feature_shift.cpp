#include "lm_eval/text_feature_shift.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <stdexcept>

#include "lm_eval/example_text.h"

namespace mg::lm_eval {

namespace {

// Final hidden states [T, hidden] (float32) of one sequence.
at::Tensor hiddenOf(const MixedModel& m, const at::Tensor& ids) {
  if (m.mix.empty()) return m.model->hiddenStates(ids).squeeze(0).to(at::kFloat);
  const at::Tensor mix = at::tensor(m.mix, at::kFloat).view({1, std::int64_t(m.mix.size())});
  return m.model->hiddenStates(ids, nullptr, &mix).squeeze(0).to(at::kFloat);
}

} // namespace

double textFeatureShift(const MixedModel& base, const MixedModel& specialist,
                        const text::Tokenizer& tokenizer, const io::TextTask& task, std::int64_t examples,
                        const engine::CancelToken* cancel) {
  at::NoGradGuard noGrad;
  const auto window =
      base.model->config().maxPositions > 0 ? base.model->config().maxPositions : std::int64_t(2048);
  const auto count = examples > 0 ? std::min<std::size_t>(std::size_t(examples), task.examples.size())
                                  : task.examples.size();
  double moved = 0, magnitude = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (cancel) cancel->throwIfCancelled();
    auto ids = tokenizer.encode(exampleText(task, task.examples[i]), false);
    if (ids.empty()) continue;
    ids.resize(std::min<std::size_t>(ids.size(), std::size_t(window)));
    const at::Tensor tokens =
        at::tensor(std::vector<std::int64_t>(ids.begin(), ids.end()), at::kLong).view({1, -1});
    const at::Tensor h = hiddenOf(base, tokens);
    moved += (hiddenOf(specialist, tokens) - h).abs().sum().item<double>();
    magnitude += h.abs().sum().item<double>();
  }
  if (magnitude == 0) throw std::runtime_error("task " + task.name + ": no example has a token to measure");
  return moved / magnitude;
}

} // namespace mg::lm_eval
