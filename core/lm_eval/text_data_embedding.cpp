#include "lm_eval/text_data_embedding.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <stdexcept>

#include "lm/hidden_states.h"
#include "lm_eval/example_text.h"

namespace mg::lm_eval {

std::vector<float> textDataEmbedding(const lm::CausalLm& model, const text::Tokenizer& tokenizer,
                                     const io::TextTask& task, std::int64_t maxExamples,
                                     const lm::RunOptions& run) {
  const auto window = model.config().maxPositions > 0 ? model.config().maxPositions : std::int64_t(2048);
  const auto count = maxExamples > 0 ? std::min<std::size_t>(std::size_t(maxExamples), task.examples.size())
                                     : task.examples.size();
  std::vector<std::vector<std::int64_t>> sequences;
  for (std::size_t i = 0; i < count; ++i) {
    const auto ids = tokenizer.encode(exampleText(task, task.examples[i]), false);
    if (ids.empty()) continue;
    sequences.emplace_back(ids.begin(),
                           ids.begin() + std::min<std::ptrdiff_t>(window, std::ptrdiff_t(ids.size())));
  }
  if (sequences.empty()) throw std::runtime_error("task " + task.name + ": no example has a token to embed");
  const at::Tensor mean = lm::meanHiddenStates(model, sequences, run).to(at::kFloat).mean(0).contiguous();
  return std::vector<float>(mean.data_ptr<float>(), mean.data_ptr<float>() + mean.numel());
}

} // namespace mg::lm_eval
