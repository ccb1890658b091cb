#pragma once
// LibTorch's intra-op thread count for a scope: set on construction, restored on destruction, so a merge
// or an evaluation that changes it (to share the cores with its own workers) leaves the thread that ran
// it as it found it. The one place core changes at::set_num_threads.

namespace mg::tensor {

class ScopedIntraOpThreads {
public:
  // threads <= 0: as many as the machine has cores.
  explicit ScopedIntraOpThreads(int threads);
  ~ScopedIntraOpThreads();
  ScopedIntraOpThreads(const ScopedIntraOpThreads&) = delete;
  ScopedIntraOpThreads& operator=(const ScopedIntraOpThreads&) = delete;

  static int current();

private:
  int previous_;
};

} // namespace mg::tensor
