// An HDF5 task file (inputs, labels, label names, skills) through the project's HDF5 layer.
#include <cstdlib>

#include "fuzz_support.h"
#include "io/task_file.h"

// packaging/dev.sh fuzz runs this target with MERGANSER_HDF5_TRUST_LIBRARY=1 (reads in process, so libhdf5's
// crashes show) and replays each crash with the guard that reads in a child first, which must turn it into
// an error; a file that hangs libhdf5 there is given up after 3 s instead of a minute.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ::setenv("MERGANSER_HDF5_READ_SECONDS", "3", 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = mg::fuzz::writeScratch("task.h5", data, size);
  mg::fuzz::expectCleanFailure(path, [&] { mg::io::readTaskFile(path); });
  return 0;
}
