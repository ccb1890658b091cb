// A JSONL text task: the header line, each example line of each kind.
#include "fuzz_support.h"
#include "io/text_task_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = mg::fuzz::writeScratch("task.jsonl", data, size);
  mg::fuzz::expectCleanFailure(path, [&] { mg::io::readTextTaskFile(path); });
  return 0;
}
