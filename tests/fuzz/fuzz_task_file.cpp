// An HDF5 task file (inputs, labels, label names, skills) through the project's HDF5 layer.
#include "fuzz_support.h"
#include "io/task_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = mg::fuzz::writeScratch("task.h5", data, size);
  mg::fuzz::expectCleanFailure(path, [&] { mg::io::readTaskFile(path); });
  return 0;
}
