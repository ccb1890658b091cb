#include "tensor/intra_op_threads.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <thread>

namespace mg::tensor {

ScopedIntraOpThreads::ScopedIntraOpThreads(int threads) : previous_(at::get_num_threads()) {
  const int wanted =
      threads > 0 ? threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  if (wanted != previous_) at::set_num_threads(wanted);
}

ScopedIntraOpThreads::~ScopedIntraOpThreads() {
  if (at::get_num_threads() != previous_) at::set_num_threads(previous_);
}

int ScopedIntraOpThreads::current() {
  return at::get_num_threads();
}

} // namespace mg::tensor
