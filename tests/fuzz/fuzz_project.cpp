// A project file (.mgproj): JSON, format versions and their migrations, nodes, parameters and wires.
#include "fuzz_support.h"
#include "graph/project_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  mg::fuzz::expectCleanFailure("fuzz.mgproj",
                               [&] { mg::graph::parseProject(text, "/projects", "fuzz.mgproj"); });
  return 0;
}
