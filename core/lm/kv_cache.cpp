#include "lm/kv_cache.h"

#include <ATen/ATen.h>

#include <stdexcept>

#include "lm/kv_cache_state.h"

namespace mg::lm {

namespace detail {

namespace {

// A buffer of `capacity` positions holding `old`'s first `used` positions.
at::Tensor grown(const at::Tensor& old, const at::Tensor& like, std::int64_t capacity, std::int64_t used) {
  auto buffer = at::empty({like.size(0), like.size(1), capacity, like.size(3)}, like.options());
  if (old.defined() && used > 0) buffer.narrow(2, 0, used).copy_(old.narrow(2, 0, used));
  return buffer;
}

} // namespace

std::pair<at::Tensor, at::Tensor> KvCacheState::append(std::size_t layer, const at::Tensor& k,
                                                       const at::Tensor& v) {
  if (keys.size() <= layer) {
    keys.resize(layer + 1);
    values.resize(layer + 1);
  }
  auto& kb = keys[layer];
  auto& vb = values[layer];
  const auto tokens = k.size(2), total = length + tokens;
  if (kb.defined() && (kb.size(0) != k.size(0) || kb.scalar_type() != k.scalar_type()))
    throw std::invalid_argument("KV cache: the batch size or dtype changed; clear() the cache first");
  if (!kb.defined() || kb.size(2) < total) {
    std::int64_t capacity = kb.defined() ? kb.size(2) : std::max<std::int64_t>(reserve, 1);
    while (capacity < total)
      capacity *= 2;
    kb = grown(kb, k, capacity, length);
    vb = grown(vb, v, capacity, length);
  }
  kb.narrow(2, length, tokens).copy_(k);
  vb.narrow(2, length, tokens).copy_(v);
  return {kb.narrow(2, 0, total), vb.narrow(2, 0, total)};
}

} // namespace detail

KvCache::KvCache(std::int64_t reserve) : state_(std::make_unique<detail::KvCacheState>()) {
  state_->reserve = reserve;
}
KvCache::~KvCache() = default;

std::int64_t KvCache::length() const {
  return state_->length;
}

void KvCache::clear() {
  state_->length = 0;
  state_->keys.clear();
  state_->values.clear();
}

} // namespace mg::lm
