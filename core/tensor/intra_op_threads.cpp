#include "tensor/intra_op_threads.h"

#include <ATen/Parallel.h>

#include "cluster/world.h"

namespace mg::tensor {

ScopedIntraOpThreads::ScopedIntraOpThreads(int threads) : previous_(at::get_num_threads()) {
  // 0: every core, or this rank's share when ranks of an MPI job share the machine.
  const int wanted = threads > 0 ? threads : cluster::coresOfThisRank();
  if (wanted != previous_) at::set_num_threads(wanted);
}

ScopedIntraOpThreads::~ScopedIntraOpThreads() {
  if (at::get_num_threads() != previous_) at::set_num_threads(previous_);
}

int ScopedIntraOpThreads::current() {
  return at::get_num_threads();
}

} // namespace mg::tensor
