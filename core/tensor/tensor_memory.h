#pragma once
// LibTorch's CPU tensors on util/large_blocks: large tensors (1 MiB and more) are mapped on huge pages and,
// inside a TensorMemoryReuse scope, their memory is handed to the next tensor of the same size instead of
// being unmapped and faulted in again. A merge or export opens one scope around its stream of tensors.
#include "util/large_blocks.h"

namespace mg::tensor {

// Installs the allocator for the rest of the process (idempotent, thread-safe). Tensors allocated before
// keep their own deleters.
void useLargeBlockAllocator();

// Installs the allocator and keeps released large blocks for reuse while alive (see util::LargeBlockReuse
// for the memory bound).
class TensorMemoryReuse {
public:
  TensorMemoryReuse();

private:
  util::LargeBlockReuse reuse_;
};

} // namespace mg::tensor
