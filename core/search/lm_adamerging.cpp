#include "search/lm_adamerging.h"

#include <ATen/ATen.h>

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <limits>
#include <map>
#include <stdexcept>

#include "lm/causal_lm.h"
#include "search/adamerging_descent.h"

namespace mg::search {

namespace {

// The model's tensors that some model changes, with requires_grad for as long as the search runs; cleared
// after, so the model runs its inference path again.
class MergedParameters {
public:
  MergedParameters(const lm::CausalLm& model, const detail::TaskVectors& vectors) {
    std::map<std::string, at::Tensor> byName;
    for (const auto& p : model.parameters())
      byName.emplace(p.name, p.tensor);
    for (std::size_t g = 0; g < vectors.varying.size(); ++g) {
      const auto found = byName.find(vectors.varying[g]);
      if (found == byName.end()) continue; // not read by the model: no gradient
      groups.push_back(g);
      tensors.push_back(found->second);
      tensors.back().requires_grad_(true);
    }
  }
  ~MergedParameters() {
    for (auto& t : tensors) {
      t.mutable_grad() = at::Tensor();
      t.requires_grad_(false);
    }
  }
  MergedParameters(const MergedParameters&) = delete;
  MergedParameters& operator=(const MergedParameters&) = delete;
  std::vector<std::size_t> groups; // index into TaskVectors::varying
  std::vector<at::Tensor> tensors;
};

// Σ over the sequences' positions of the next-token entropy, backpropagated scaled by `weight`; returns the
// weighted sum.
double entropyBackward(const lm::CausalLm& model,
                       const std::vector<const lm_eval::PredictionPositions*>& chunk, double weight) {
  std::int64_t longest = 0;
  for (const auto* s : chunk)
    longest = std::max(longest, std::int64_t(s->tokens.size()));
  // Right-padded with token 0: causal attention never lets a real position see the padding after it.
  std::vector<std::int64_t> ids(chunk.size() * std::size_t(longest), 0), rows;
  for (std::size_t b = 0; b < chunk.size(); ++b) {
    const auto& tokens = chunk[b]->tokens;
    std::copy(tokens.begin(), tokens.end(), ids.begin() + std::ptrdiff_t(b * std::size_t(longest)));
    for (std::size_t t = chunk[b]->first; t < tokens.size(); ++t)
      rows.push_back(std::int64_t(b) * longest + std::int64_t(t));
  }
  const at::Tensor hidden =
      model.hiddenStates(at::tensor(ids, at::kLong).view({std::int64_t(chunk.size()), longest}));
  const at::Tensor read =
      hidden.reshape({-1, hidden.size(-1)}).index_select(0, at::tensor(rows, at::kLong)); // only these rows
  const at::Tensor logp = at::log_softmax(model.logits(read), -1);
  const at::Tensor loss = -(logp.exp() * logp).sum() * weight;
  loss.backward();
  return loss.item<double>();
}

void checkInputs(const std::vector<engine::WeightSetPtr>& models,
                 const std::vector<UnlabelledTextTask>& tasks, const lm::CausalLm& model) {
  if (models.empty()) throw std::invalid_argument("AdaMerging needs at least one model");
  if (tasks.empty()) throw std::invalid_argument("AdaMerging needs unlabelled texts of at least one task");
  for (const auto& task : tasks) {
    if (task.sequences.empty()) throw std::invalid_argument("task " + task.name + " has no text to read");
    for (const auto& s : task.sequences)
      if (s.first >= s.tokens.size())
        throw std::invalid_argument("task " + task.name + " has a text with no position to read");
  }
  if (model.weightMemory().mappedBytes > 0)
    throw std::invalid_argument(model.describe() +
                                ": AdaMerging writes each step's merge into the model's tensors: load it "
                                "with writable weights");
}

// The entropy and its gradient at λ: the merge written into the model, forward and backward over each task's
// batch, then ∂H/∂λᵢ(l) = <∂H/∂θ_l, τᵢ,l>.
detail::EntropyObjective entropyObjective(const detail::TaskVectors& vectors, MergedParameters& merged,
                                          const std::vector<UnlabelledTextTask>& tasks,
                                          const lm::CausalLm& model, const AdaMergingOptions& options) {
  return [&vectors, &merged, &tasks, &model, options](const at::Tensor& lambda, at::Generator& generator,
                                                      at::Tensor& gradient) {
    {
      // θ = θ0 + Σᵢ λᵢ τᵢ, written into the model (its tensors are leaves: no history to keep).
      at::NoGradGuard noGrad;
      for (std::size_t k = 0; k < merged.tensors.size(); ++k) {
        const auto& name = vectors.varying[merged.groups[k]];
        at::Tensor value = vectors.base.at(name).to(at::kFloat);
        const auto& taus = vectors.taus.at(name);
        for (std::size_t i = 0; i < taus.size(); ++i)
          value =
              value +
              lambda[std::int64_t(i)][detail::coefficientGroup(options, merged.groups[k])].item<double>() *
                  taus[i].to(at::kFloat);
        merged.tensors[k].copy_(value);
        merged.tensors[k].mutable_grad() = at::Tensor();
      }
    }
    at::AutoGradMode enableGrad(true);
    double total = 0;
    for (const auto& task : tasks) {
      const at::Tensor picked =
          detail::batchIndices(std::int64_t(task.sequences.size()), options.batchSize, generator);
      std::vector<const lm_eval::PredictionPositions*> batch;
      std::int64_t positions = 0;
      for (std::int64_t j = 0; j < picked.size(0); ++j) {
        batch.push_back(&task.sequences[std::size_t(picked[j].item<std::int64_t>())]);
        positions += std::int64_t(batch.back()->tokens.size() - batch.back()->first);
      }
      // The task's mean over its positions, and the mean over tasks: every chunk's sum scaled alike.
      const double weight = 1.0 / (double(positions) * double(tasks.size()));
      for (std::size_t begin = 0; begin < batch.size(); begin += std::size_t(kLanguageModelChunk)) {
        if (options.cancel) options.cancel->throwIfCancelled();
        const auto end = std::min(batch.size(), begin + std::size_t(kLanguageModelChunk));
        total += entropyBackward(
            model, {batch.begin() + std::ptrdiff_t(begin), batch.begin() + std::ptrdiff_t(end)}, weight);
      }
    }
    // ∂H/∂λᵢ(l) = <∂H/∂θ_l, τᵢ,l>, summed over the tensors of a group.
    gradient = at::zeros_like(lambda);
    at::NoGradGuard noGrad;
    for (std::size_t k = 0; k < merged.tensors.size(); ++k) {
      const at::Tensor& g = merged.tensors[k].grad();
      if (!g.defined()) continue;
      const auto flat = g.to(at::kDouble).reshape({-1});
      const auto& taus = vectors.taus.at(vectors.varying[merged.groups[k]]);
      for (std::size_t i = 0; i < taus.size(); ++i)
        gradient[std::int64_t(i)][detail::coefficientGroup(options, merged.groups[k])] +=
            at::dot(flat, taus[i].to(at::kDouble).reshape({-1}));
    }
    return total;
  };
}

} // namespace

AdaMergingResult adaMergeLanguageModel(const engine::WeightSetPtr& base,
                                       const std::vector<engine::WeightSetPtr>& models,
                                       const std::vector<UnlabelledTextTask>& tasks, lm::CausalLm& model,
                                       const AdaMergingOptions& options) {
  checkInputs(models, tasks, model);
  if (options.steps < 1) throw std::invalid_argument("AdaMerging needs at least one step");
  const detail::TaskVectors vectors = detail::loadTaskVectors(base, models);
  MergedParameters merged(model, vectors);
  return detail::descend(vectors, models.size(), options,
                         entropyObjective(vectors, merged, tasks, model, options));
}

double languageModelEntropy(const engine::WeightSetPtr& base, const std::vector<engine::WeightSetPtr>& models,
                            const std::vector<UnlabelledTextTask>& tasks, lm::CausalLm& model,
                            Granularity granularity, const std::vector<std::vector<double>>& lambda,
                            std::vector<std::vector<double>>* gradient) {
  checkInputs(models, tasks, model);
  const detail::TaskVectors vectors = detail::loadTaskVectors(base, models);
  AdaMergingOptions options;
  options.granularity = granularity;
  options.batchSize = std::numeric_limits<std::int64_t>::max(); // every sequence, in order
  const std::int64_t groups =
      granularity == Granularity::Layer ? std::max<std::int64_t>(std::int64_t(vectors.varying.size()), 1) : 1;
  if (lambda.size() != models.size())
    throw std::invalid_argument("AdaMerging: " + std::to_string(lambda.size()) +
                                " rows of coefficients for " + std::to_string(models.size()) + " models");
  at::Tensor coefficients = at::empty({std::int64_t(models.size()), groups}, at::kDouble);
  for (std::size_t i = 0; i < lambda.size(); ++i) {
    if (std::int64_t(lambda[i].size()) != groups)
      throw std::invalid_argument("AdaMerging: " + std::to_string(lambda[i].size()) + " coefficients for " +
                                  std::to_string(groups) + " groups");
    for (std::int64_t g = 0; g < groups; ++g)
      coefficients[std::int64_t(i)][g] = lambda[i][std::size_t(g)];
  }
  MergedParameters merged(model, vectors);
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(0);
  at::Tensor grad;
  const double value =
      entropyObjective(vectors, merged, tasks, model, options)(coefficients, generator, grad);
  if (gradient) {
    gradient->assign(models.size(), std::vector<double>(std::size_t(groups)));
    for (std::size_t i = 0; i < models.size(); ++i)
      for (std::int64_t g = 0; g < groups; ++g)
        (*gradient)[i][std::size_t(g)] = grad[std::int64_t(i)][g].item<double>();
  }
  return value;
}

} // namespace mg::search
