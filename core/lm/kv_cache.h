#pragma once
// The keys and values a causal LM has computed for the tokens it has seen, so that generation feeds one new
// token per step instead of the whole sequence. Buffers are allocated for `reserve` tokens up front and
// grow by doubling, so a generation loop does not reallocate per step. One cache serves one batch of
// sequences that share their positions (generation runs batch 1); clear() starts over.
#include <cstdint>
#include <memory>

namespace mg::lm {

namespace detail {
struct KvCacheState;
}

class KvCache {
public:
  // `reserve`: the tokens (prompt + new ones) the buffers hold before they first grow.
  explicit KvCache(std::int64_t reserve = 256);
  ~KvCache();
  KvCache(const KvCache&) = delete;
  KvCache& operator=(const KvCache&) = delete;

  // Tokens whose keys and values are held: the position of the next token fed.
  std::int64_t length() const;
  void clear();

  detail::KvCacheState& state() { return *state_; }

private:
  std::unique_ptr<detail::KvCacheState> state_;
};

} // namespace mg::lm
