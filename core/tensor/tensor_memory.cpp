#include "tensor/tensor_memory.h"

#include <ATen/ATen.h>
#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>

#include <mutex>

namespace mg::tensor {
namespace {

// Large requests from util::allocateLarge, small ones as LibTorch's default CPU allocator makes them
// (c10::alloc_cpu). One deleter tells them apart, so raw_allocate/raw_deleter work too.
class LargeBlockAllocator final : public c10::Allocator {
public:
  c10::DataPtr allocate(size_t bytes) const override {
    void* data = bytes >= util::kLargeBlockBytes ? util::allocateLarge(bytes) : c10::alloc_cpu(bytes);
    return {data, data, &release, c10::Device(c10::DeviceType::CPU)};
  }
  c10::DeleterFnPtr raw_deleter() const override { return &release; }

private:
  static void release(void* data) {
    if (!util::releaseLarge(data)) c10::free_cpu(data);
  }
};

} // namespace

void useLargeBlockAllocator() {
  static std::once_flag once;
  std::call_once(once, [] {
    static auto* allocator = new LargeBlockAllocator; // outlives every tensor it allocates
    // Above LibTorch's default priority (0), so a later default registration cannot replace it.
    c10::SetCPUAllocator(allocator, 1);
  });
}

TensorMemoryReuse::TensorMemoryReuse() {
  useLargeBlockAllocator();
}

} // namespace mg::tensor
