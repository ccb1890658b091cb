#include <ATen/ATen.h>

#include <algorithm>
#include <limits>

#include "lm/decoder.h"

namespace mg::lm::detail {

namespace {

// Attention scores held at once: about 16 M float32 values (64 MB). The scores [B, H, T, S] grow with the
// square of the length (8 × 2048 tokens and 12 heads: 1.6 GB at once); a batch within the budget runs whole,
// since smaller blocks (more, shorter parallel regions) ran scoring a fifth slower on 2 threads of a busy
// machine.
constexpr std::int64_t kScoreBudget = std::int64_t{1} << 24;

// Attention of the sequences in q [n, H, T, D] over k, v [n, KV, S, D]: [n, H, T, D] in v's dtype.
at::Tensor attend(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, double scale,
                  const at::Tensor& blocked) {
  const auto B = q.size(0), H = q.size(1), T = q.size(2), D = q.size(3);
  const auto KV = k.size(1), S = k.size(2), group = H / KV;
  // Grouped-query attention without repeating keys: the queries sharing a key/value head become rows of
  // one matrix [group·T, D] against that head's keys.
  const auto grouped = q.reshape({B, KV, group * T, D});
  auto scores = at::matmul(grouped, k.transpose(-1, -2)).view({B, KV, group, T, S});
  if (scores.scalar_type() != at::kFloat) scores = scores.to(at::kFloat);
  scores.mul_(scale);
  if (blocked.defined()) scores.masked_fill_(blocked, -std::numeric_limits<float>::infinity());
  if (scores.requires_grad()) {
    // Training through the model (autograd records): an in-place softmax would overwrite what its backward
    // needs.
    scores = at::softmax(scores, -1);
  } else {
    // Softmax in place: one copy of the scores is enough.
    scores.sub_(scores.amax(-1, true)).exp_();
    scores.div_(scores.sum(-1, true));
  }
  const auto probs = scores.to(v.scalar_type()).view({B, KV, group * T, S});
  return at::matmul(probs, v).view({B, H, T, D});
}

} // namespace

at::Tensor causalAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, double scale,
                           std::optional<std::int64_t> window) {
  const auto B = q.size(0), H = q.size(1), T = q.size(2), D = q.size(3), S = k.size(2);
  at::Tensor blocked; // [T, S]: true where a query may not see a key
  const bool causalMatters = T > 1;
  const bool windowMatters = window && S > *window;
  if (causalMatters || windowMatters) {
    const auto queryPos = at::arange(S - T, S, at::kLong).unsqueeze(1); // [T, 1]
    const auto keyPos = at::arange(0, S, at::kLong).unsqueeze(0);       // [1, S]
    auto allowed = keyPos <= queryPos;
    if (window) allowed = allowed.logical_and(keyPos > queryPos - *window);
    blocked = allowed.logical_not();
  }
  const auto perSequence = std::max<std::int64_t>(1, H * T * S);
  const auto chunk = std::max<std::int64_t>(1, kScoreBudget / perSequence);
  if (chunk >= B) return attend(q, k, v, scale, blocked).transpose(1, 2).reshape({B, T, H * D});
  auto out = at::empty({B, T, H * D}, v.options());
  for (std::int64_t b = 0; b < B; b += chunk) {
    const auto n = std::min(chunk, B - b);
    const auto part = attend(q.narrow(0, b, n), k.narrow(0, b, n), v.narrow(0, b, n), scale, blocked);
    out.narrow(0, b, n).view({n, T, H, D}).copy_(part.transpose(1, 2));
  }
  return out;
}

} // namespace mg::lm::detail
