#include "lm_eval/lm_statistics.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <stdexcept>

#include "io/text_task_file.h"
#include "lm/causal_lm.h"
#include "lm/module_inputs.h"
#include "lm_eval/harness_requests.h"
#include "text/tokenizer.h"

namespace mg::lm_eval {

namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  std::uint64_t z = x + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// The scored part of a pair: context + continuation cut to the window, then to maxScored scored tokens.
TokenScorer::Request pairRequest(const std::vector<std::int32_t>& context,
                                 const std::vector<std::int32_t>& continuation, std::int64_t maxLength,
                                 std::int64_t maxScored) {
  const auto kept =
      std::min<std::size_t>(continuation.size(), std::size_t(std::max<std::int64_t>(1, maxScored)));
  return continuationRequest(
      context, std::vector<std::int32_t>(continuation.begin(), continuation.begin() + std::ptrdiff_t(kept)),
      maxLength);
}

// Sets requires_grad on the chosen parameters for one computation and clears it (and their gradients) after,
// so the model runs its inference path again.
class TrackedParameters {
public:
  TrackedParameters(const lm::CausalLm& model, const std::function<bool(const std::string&)>& select) {
    for (auto& p : model.parameters()) {
      if (!p.tensor.is_floating_point() || (select && !select(p.name))) continue;
      p.tensor.requires_grad_(true);
      names.push_back(p.name);
      tensors.push_back(p.tensor);
    }
  }
  ~TrackedParameters() {
    for (auto& t : tensors) {
      t.mutable_grad() = at::Tensor();
      t.requires_grad_(false);
    }
  }
  TrackedParameters(const TrackedParameters&) = delete;
  TrackedParameters& operator=(const TrackedParameters&) = delete;
  std::vector<std::string> names;
  std::vector<at::Tensor> tensors;
};

// Sums xᵀx over the real (unpadded) rows of each module's input, in float64. q/k/v (and gate/up) read the
// same tensor: its Gram is computed once.
class GramRecorder final : public lm::ModuleInputObserver {
public:
  explicit GramRecorder(std::map<std::string, std::int64_t> modules) : modules_(std::move(modules)) {}
  void setRows(at::Tensor rows) {
    rows_ = std::move(rows);
    lastInput_ = at::Tensor();
  }
  void observe(const std::string& module, const at::Tensor& input) override {
    const auto wanted = modules_.find(module);
    if (wanted == modules_.end() || input.size(-1) != wanted->second) return;
    if (!lastInput_.defined() || !lastInput_.is_same(input)) {
      const auto x = input.reshape({-1, input.size(-1)}).index_select(0, rows_).to(at::kDouble);
      lastInput_ = input;
      lastGram_ = at::mm(x.t(), x);
    }
    auto& sum = sums[module];
    sum = sum.defined() ? sum.add_(lastGram_) : lastGram_.clone();
  }
  std::map<std::string, at::Tensor> sums;

private:
  std::map<std::string, std::int64_t> modules_; // module -> in features
  at::Tensor rows_, lastInput_, lastGram_;
};

} // namespace

std::int64_t statisticsWindow(const lm::CausalLm& model) {
  return model.config().maxPositions > 0 ? model.config().maxPositions : std::int64_t(2048);
}

std::vector<TokenScorer::Request> statisticsRequests(const io::TextTask& task,
                                                     const text::Tokenizer& tokenizer, std::int64_t examples,
                                                     std::int64_t maxLength, std::int64_t maxScored) {
  const auto count = examples > 0 ? std::min<std::size_t>(std::size_t(examples), task.examples.size())
                                  : task.examples.size();
  std::vector<TokenScorer::Request> out;
  for (std::size_t i = 0; i < count; ++i) {
    const auto& example = task.examples[i];
    const auto where = "task " + task.name + ", line " + std::to_string(example.line) + ": ";
    if (task.kind == io::TextTaskKind::Perplexity) {
      auto tokens = tokenizer.encode(example.text, false);
      if (tokens.empty()) throw std::runtime_error(where + "the text has no token to score");
      tokens.resize(std::min<std::size_t>(tokens.size(), std::size_t(std::max<std::int64_t>(1, maxScored))));
      // As perplexity is scored: disjoint windows that predict each token once.
      for (auto& window : rollingWindows(tokens, prefixToken(tokenizer, task.name), maxLength))
        out.push_back(std::move(window));
      continue;
    }
    const bool choice = task.kind == io::TextTaskKind::MultipleChoice;
    const auto [context, continuation] =
        encodePair(tokenizer, choice ? example.context : example.prompt,
                   choice ? example.choices.at(std::size_t(example.label)) : example.answer, task.name);
    if (continuation.empty())
      throw std::runtime_error(where + (choice ? "the correct choice" : "the answer") +
                               " tokenizes to nothing after its " + (choice ? "context" : "prompt") +
                               ": no token to score for the Fisher information or Gram matrices");
    out.push_back(pairRequest(context, continuation, maxLength, maxScored));
  }
  if (out.empty()) throw std::runtime_error("task " + task.name + " has no example to gather statistics on");
  return out;
}

std::int64_t sampledToken(const double* p, std::int64_t vocab, std::uint64_t seed, std::uint64_t sample,
                          std::uint64_t example, std::uint64_t position) {
  constexpr std::uint64_t P = 1000003;
  const std::uint64_t key = ((seed * P + sample) * P + example) * P + position;
  double total = 0;
  for (std::int64_t i = 0; i < vocab; ++i)
    total += p[i];
  const double u = double(splitmix64(key) >> 11) * 0x1.0p-53 * total;
  double cumulative = 0;
  for (std::int64_t i = 0; i < vocab; ++i) {
    cumulative += p[i];
    if (cumulative > u) return i;
  }
  return vocab - 1; // rounding: u at the very top
}

std::map<std::string, at::Tensor> lmParameterFisher(const lm::CausalLm& model,
                                                    const std::vector<TokenScorer::Request>& requests,
                                                    const LmFisherOptions& options) {
  if (requests.empty()) throw std::invalid_argument("the Fisher information needs at least one sequence");
  if (options.samples < 1) throw std::invalid_argument("the Fisher information needs at least one sample");
  at::AutoGradMode enableGrad(true);
  TrackedParameters tracked(model, options.select);
  std::vector<at::Tensor> sums(tracked.tensors.size());
  std::int64_t tokens = 0;
  for (std::size_t e = 0; e < requests.size(); ++e) {
    const auto& request = requests[e];
    const auto n = std::int64_t(request.tokens.size()), from = std::int64_t(request.from);
    if (from < 1 || from >= n) throw std::invalid_argument("a sequence scores no token");
    const at::Tensor ids =
        at::tensor(std::vector<std::int64_t>(request.tokens.begin(), request.tokens.end() - 1), at::kLong)
            .unsqueeze(0);
    // Only the scored positions go through the LM head: hidden state t predicts token t + 1.
    const at::Tensor hidden = model.hiddenStates(ids)[0].slice(0, from - 1, n - 1);
    const at::Tensor logp = at::log_softmax(model.logits(hidden), -1); // [S, vocab]
    const auto scored = logp.size(0), vocab = logp.size(1);
    const at::Tensor p = logp.detach().exp().to(at::kDouble).contiguous();
    for (int s = 0; s < options.samples; ++s) {
      if (options.cancel) options.cancel->throwIfCancelled();
      std::vector<std::int64_t> drawn(static_cast<std::size_t>(scored));
      for (std::int64_t t = 0; t < scored; ++t)
        drawn[std::size_t(t)] = sampledToken(p.data_ptr<double>() + t * vocab, vocab, options.seed,
                                             std::uint64_t(s), std::uint64_t(e), std::uint64_t(t));
      const at::Tensor targets = at::tensor(drawn, at::kLong).unsqueeze(1);
      logp.gather(1, targets).sum().backward({}, s + 1 < options.samples);
      for (std::size_t k = 0; k < tracked.tensors.size(); ++k) {
        auto& grad = tracked.tensors[k].mutable_grad();
        if (!grad.defined()) continue;
        const at::Tensor squared = grad.to(at::kFloat).pow(2);
        sums[k] = sums[k].defined() ? sums[k].add_(squared) : squared;
        grad = at::Tensor();
      }
    }
    tokens += scored;
    if (options.progress) options.progress(double(e + 1) / double(requests.size()));
  }
  std::map<std::string, at::Tensor> out;
  const double count = double(tokens) * double(options.samples);
  for (std::size_t k = 0; k < sums.size(); ++k)
    if (sums[k].defined()) out.emplace(tracked.names[k], (sums[k] / count).contiguous());
  return out;
}

std::map<std::string, at::Tensor> lmInputGrams(const lm::CausalLm& model,
                                               const std::vector<TokenScorer::Request>& requests,
                                               const engine::CancelToken* cancel) {
  if (model.config().architecture == lm::Architecture::Gpt2)
    throw std::invalid_argument(model.describe() +
                                ": RegMean takes linear weights stored [out, in]; GPT-2's Conv1D modules "
                                "store [in, out]");
  if (requests.empty()) throw std::invalid_argument("the Gram matrices need at least one sequence");
  // The modules by their weights' names: every [out, in] matrix named "<module>.weight" of a projection (the
  // observer only reports projections), the LM head only when it has its own matrix.
  std::map<std::string, std::int64_t> modules;
  const std::string head = model.lmHeadParameter();
  for (const auto& p : model.parameters()) {
    const auto& name = p.name;
    if (p.tensor.dim() != 2 || name.size() < 7 || name.compare(name.size() - 7, 7, ".weight") != 0) continue;
    if (name == head && name != "lm_head.weight") continue; // tied: the embeddings, not a linear module
    modules.emplace(name.substr(0, name.size() - 7), p.tensor.size(1));
  }
  at::NoGradGuard noGrad;
  GramRecorder recorder(modules);
  constexpr std::size_t kBatch = 8;
  std::int64_t rowsSeen = 0;
  for (std::size_t first = 0; first < requests.size(); first += kBatch) {
    if (cancel) cancel->throwIfCancelled();
    const auto last = std::min(requests.size(), first + kBatch);
    std::int64_t length = 0;
    for (std::size_t i = first; i < last; ++i)
      length = std::max<std::int64_t>(length, std::int64_t(requests[i].tokens.size()) - 1);
    // Right-padded with token 0: causal attention keeps real tokens from seeing the padding after them.
    at::Tensor ids = at::zeros({std::int64_t(last - first), length}, at::kLong);
    std::vector<std::int64_t> rows;
    for (std::size_t i = first; i < last; ++i) {
      const auto read = std::int64_t(requests[i].tokens.size()) - 1;
      for (std::int64_t t = 0; t < read; ++t) {
        ids[std::int64_t(i - first)][t] = std::int64_t(requests[i].tokens[std::size_t(t)]);
        rows.push_back(std::int64_t(i - first) * length + t);
      }
    }
    recorder.setRows(at::tensor(rows, at::kLong));
    const at::Tensor hidden = model.hiddenStates(ids, nullptr, nullptr, &recorder);
    model.logits(hidden, nullptr, &recorder);
    rowsSeen += std::int64_t(rows.size());
  }
  std::map<std::string, at::Tensor> out;
  for (auto& [module, sum] : recorder.sums)
    out.emplace(module + ".weight", (sum / double(rowsSeen)).to(at::kFloat).contiguous());
  return out;
}

std::vector<float> lmFisherEmbedding(const lm::CausalLm& model,
                                     const std::vector<TokenScorer::Request>& requests,
                                     const LmFisherOptions& options) {
  // The last decoder block: "model.layers.L-1." (Llama family) or "h.L-1." (GPT-2, with or without
  // "transformer.").
  const auto lastBlock = std::to_string(model.config().layers - 1);
  const std::string head = model.lmHeadParameter();
  const auto inLastBlock = [&](const std::string& name) {
    for (const std::string& prefix : {"layers." + lastBlock + ".", "h." + lastBlock + "."}) {
      const auto at = name.find(prefix);
      if (at != std::string::npos && (at == 0 || name[at - 1] == '.')) return true;
    }
    return name == head;
  };
  LmFisherOptions restricted = options;
  restricted.select = inLastBlock;
  const auto fisher = lmParameterFisher(model, requests, restricted);
  std::vector<float> out;
  for (const auto& p : model.parameters()) { // checkpoint order, not the map's
    const auto found = fisher.find(p.name);
    if (found == fisher.end()) continue;
    const at::Tensor t = found->second.dim() == 2 ? found->second.mean(1) : found->second.reshape({-1});
    const at::Tensor values = t.to(at::kFloat).contiguous();
    out.insert(out.end(), values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
  }
  return out;
}

} // namespace mg::lm_eval
