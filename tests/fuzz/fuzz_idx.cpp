// An IDX file (Fashion-MNIST's format), plain or gzip-compressed.
#include "fuzz_support.h"
#include "io/idx_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = mg::fuzz::writeScratch("images-idx3-ubyte", data, size);
  mg::fuzz::expectCleanFailure(path, [&] { mg::io::readIdxFile(path); });
  return 0;
}
