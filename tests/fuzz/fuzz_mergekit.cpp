// A mergekit YAML recipe, read and then turned into a graph as the importer does.
#include "fuzz_support.h"
#include "mergekit/config_graph.h"
#include "mergekit/yaml_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  mg::fuzz::expectCleanFailure("recipe.yml", [&] {
    const auto config = mg::mergekit::parseConfig(text, "recipe.yml", "/recipes");
    mg::mergekit::importConfig(config, "");
  });
  return 0;
}
