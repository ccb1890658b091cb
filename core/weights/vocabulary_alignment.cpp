#include "weights/vocabulary_alignment.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <stdexcept>

#include "weights/merge_recipe.h"
#include "io/tensor.h"
#include "ops/family_methods.h"
#include "ops/method_schemas.h"
#include "ops/precision.h"

namespace mg::engine {
namespace {

at::Tensor indexTensor(const std::vector<std::int64_t>& rows) {
  return at::tensor(at::ArrayRef<std::int64_t>(rows), at::kLong);
}

// mergekit's PermutedEmbeddings on the models that hold the tensor.
void permuteToTokenizer(const TokenizerPlan& plan, bool hasBase,
                        std::vector<std::optional<at::Tensor>>& models, ops::Precision precision) {
  if (plan.rowsOf.size() != models.size()) throw std::logic_error("tokenizer plan and models disagree");
  std::optional<at::Tensor> first;
  for (const auto& m : models)
    if (m) {
      if (first && m->size(1) != first->size(1))
        throw std::runtime_error("embedding widths differ (" + std::to_string(m->size(1)) + " and " +
                                 std::to_string(first->size(1)) + ") and cannot be merged row by row");
      if (!first) first = *m;
    }
  if (!first) return;
  for (auto& m : models) // mergekit loads the tensors in the compute dtype
    if (m) m = ops::rounded(m->to(at::kFloat), precision);
  const auto length = plan.vocabularyLength;
  // Each model's rows at the output ids (zeros where it lacks the token) and where it has them.
  std::vector<at::Tensor> gathered(models.size()), has(models.size());
  at::Tensor count = at::zeros({length}, at::kLong);
  at::Tensor sum = at::zeros({length, first->size(1)}, at::kFloat);
  for (std::size_t m = 0; m < models.size(); ++m) {
    if (!models[m]) continue;
    const at::Tensor index = indexTensor(plan.rowsOf[m]);
    has[m] = index.ge(0);
    const at::Tensor rows = models[m]->index_select(0, index.clamp_min(0));
    gathered[m] = at::where(has[m].unsqueeze(1), rows, at::zeros_like(rows));
    count += has[m].to(at::kLong);
    sum = ops::rounded(sum + gathered[m], precision); // mergekit adds model after model in the dtype
  }
  // The row a model lacking a token gets: the base's when it has it (this also covers a token only the base
  // has), else the mean of those that have it (the one donor's row itself when only one has it), else 0.
  at::Tensor fallback = ops::rounded(sum / count.clamp_min(1).unsqueeze(1).to(at::kFloat), precision);
  if (hasBase && models[0]) fallback = at::where(has[0].unsqueeze(1), gathered[0], fallback);
  for (std::size_t m = 0; m < models.size(); ++m) {
    if (!models[m]) continue;
    at::Tensor out = at::where(has[m].unsqueeze(1), gathered[m], fallback);
    if (plan.rows >
        length) // padding rows: the mean of the real ones (mergekit, after Hewitt's vocab expansion)
      out = at::cat(
          {out, ops::rounded(out.mean(0, true), precision).expand({plan.rows - length, out.size(1)})}, 0);
    models[m] = out.contiguous();
  }
}

} // namespace

VocabularyAlignment::VocabularyAlignment(std::optional<TokenizerPlan> tokenizer, bool toBase)
    : tokenizer_(std::move(tokenizer)), toBase_(toBase) {}

bool VocabularyAlignment::hasVocabularyRows(const std::string& name, const std::vector<std::int64_t>& shape) {
  return shape.size() == 2 && io::isVocabularyTensor(name) && layerIndexOf(name) < 0;
}

bool VocabularyAlignment::alignsToBase(const ops::MethodInfo& method, bool hasBase) {
  static const char* const baseTaskVectorMethods[] = {"sce", "ram", "ramplus_tl", "nearswap"};
  if (!hasBase) return false;
  if (ops::findFamilyMethod(method.name)) return true;
  return std::find(std::begin(baseTaskVectorMethods), std::end(baseTaskVectorMethods), method.name) !=
         std::end(baseTaskVectorMethods);
}

std::int64_t VocabularyAlignment::outputRows(const std::string& name, bool hasBase,
                                             const std::vector<std::optional<std::int64_t>>& modelRows,
                                             std::vector<std::string>& warnings) const {
  if (tokenizer_) return tokenizer_->rows;
  std::optional<std::int64_t> least, most;
  for (const auto& r : modelRows)
    if (r) least = std::min(least.value_or(*r), *r), most = std::max(most.value_or(*r), *r);
  if (!least || least == most) return least.value_or(0);
  if (toBase_ && hasBase && modelRows.front()) {
    warnings.push_back("tensor '" + name + "': vocabulary sizes differ (" + std::to_string(*least) + " to " +
                       std::to_string(*most) + " rows); inputs cropped to the base's " +
                       std::to_string(*modelRows.front()) + " rows, rows an input lacks taken from the base");
    return *modelRows.front();
  }
  warnings.push_back("tensor '" + name + "': vocabulary sizes differ; cropped to the common " +
                     std::to_string(*least) + " rows");
  return *least;
}

void VocabularyAlignment::align(bool hasBase, std::vector<std::optional<at::Tensor>>& models,
                                std::int64_t rows, ops::Precision precision) const {
  if (tokenizer_) {
    permuteToTokenizer(*tokenizer_, hasBase, models, precision);
    return;
  }
  const std::optional<at::Tensor> base = hasBase ? models.front() : std::nullopt;
  for (auto& m : models) {
    if (!m || m->size(0) == rows) continue;
    if (m->size(0) > rows) {
      m = m->narrow(0, 0, rows).contiguous();
    } else if (base && base->size(0) == rows) {
      m = at::cat({*m, base->narrow(0, m->size(0), rows - m->size(0)).to(m->dtype())}, 0);
    } else {
      throw std::logic_error("vocabulary rows cannot be aligned"); // outputRows chose a size all can reach
    }
  }
}

} // namespace mg::engine
