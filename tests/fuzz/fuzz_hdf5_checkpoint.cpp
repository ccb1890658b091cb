// An HDF5 checkpoint (datasets as tensors, dtype attributes, metadata) and every tensor's values.
#include <cstdlib>

#include "fuzz_support.h"
#include "io/hdf5_checkpoint.h"

// packaging/dev.sh fuzz runs this target with MERGANSER_HDF5_TRUST_LIBRARY=1 (reads in process, so libhdf5's
// crashes show) and replays each crash with the guard that reads in a child first, which must turn it into
// an error; a file that hangs libhdf5 there is given up after 3 s instead of a minute.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ::setenv("MERGANSER_HDF5_READ_SECONDS", "3", 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = mg::fuzz::writeScratch("checkpoint.h5", data, size);
  mg::fuzz::expectCleanFailure(path, [&] {
    const mg::io::Hdf5Checkpoint checkpoint(path);
    for (const auto& info : checkpoint.tensors())
      checkpoint.load(info.name);
  });
  return 0;
}
