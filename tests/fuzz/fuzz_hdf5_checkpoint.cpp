// An HDF5 checkpoint (datasets as tensors, dtype attributes, metadata) and every tensor's values.
#include "fuzz_support.h"
#include "io/hdf5_checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = mg::fuzz::writeScratch("checkpoint.h5", data, size);
  mg::fuzz::expectCleanFailure(path, [&] {
    const mg::io::Hdf5Checkpoint checkpoint(path);
    for (const auto& info : checkpoint.tensors())
      checkpoint.load(info.name);
  });
  return 0;
}
