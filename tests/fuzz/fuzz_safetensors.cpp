// A safetensors file: the header (its length, JSON, dtypes, shapes, offsets) and every tensor's bytes.
#include "fuzz_support.h"
#include "io/safetensors_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = mg::fuzz::writeScratch("model.safetensors", data, size);
  mg::fuzz::expectCleanFailure(path, [&] {
    const mg::io::SafetensorsFile file(path);
    for (const auto& info : file.tensors())
      file.load(info.name);
  });
  return 0;
}
