#include <ATen/ATen.h>

#include <limits>

#include "lm/decoder.h"

namespace mg::lm::detail {

at::Tensor causalAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, double scale,
                           std::optional<std::int64_t> window) {
  const auto B = q.size(0), H = q.size(1), T = q.size(2), D = q.size(3);
  const auto KV = k.size(1), S = k.size(2), group = H / KV;
  // Grouped-query attention without repeating keys: the queries sharing a key/value head become rows of
  // one matrix [group·T, D] against that head's keys.
  const auto grouped = q.reshape({B, KV, group * T, D});
  auto scores = at::matmul(grouped, k.transpose(-1, -2)).view({B, KV, group, T, S});
  if (scores.scalar_type() != at::kFloat) scores = scores.to(at::kFloat);
  scores.mul_(scale);
  const bool causalMatters = T > 1;
  const bool windowMatters = window && S > *window;
  if (causalMatters || windowMatters) {
    const auto queryPos = at::arange(S - T, S, at::kLong).unsqueeze(1); // [T, 1]
    const auto keyPos = at::arange(0, S, at::kLong).unsqueeze(0);       // [1, S]
    auto allowed = keyPos <= queryPos;
    if (window) allowed = allowed.logical_and(keyPos > queryPos - *window);
    scores.masked_fill_(allowed.logical_not(), -std::numeric_limits<float>::infinity());
  }
  if (scores.requires_grad()) {
    // Training through the model (autograd records): an in-place softmax would overwrite what its backward
    // needs.
    scores = at::softmax(scores, -1);
  } else {
    // Softmax in place: the scores are the largest activation of a long batch, one copy of them is enough.
    scores.sub_(scores.amax(-1, true)).exp_();
    scores.div_(scores.sum(-1, true));
  }
  const auto probs = scores.to(v.scalar_type()).view({B, KV, group * T, S});
  const auto out = at::matmul(probs, v).view({B, H, T, D});
  return out.transpose(1, 2).reshape({B, T, H * D});
}

} // namespace mg::lm::detail
