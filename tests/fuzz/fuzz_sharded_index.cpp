// The index of a sharded checkpoint (model.safetensors.index.json) beside one real shard: the index's JSON,
// shard names (paths outside the folder, missing shards) and weight map.
#include "fuzz_support.h"
#include "io/safetensors_writer.h"
#include "io/sharded_safetensors.h"

namespace {

// The shard the seed indexes point at, written once: two small float32 tensors.
void writeShard() {
  static const bool written = [] {
    const auto folder = mg::fuzz::scratchFolder() / "sharded";
    std::filesystem::create_directories(folder);
    std::vector<mg::io::TensorData> tensors;
    for (const char* name : {"a.weight", "b.weight"})
      tensors.push_back(mg::io::TensorData::fromFloat32(name, {2, 3}, {1, 2, 3, 4, 5, 6}));
    mg::io::writeSafetensors((folder / "model-00001-of-00001.safetensors").string(), tensors);
    return true;
  }();
  (void)written;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  writeShard();
  const auto path = mg::fuzz::writeScratch("sharded/model.safetensors.index.json", data, size);
  mg::fuzz::expectCleanFailure(path, [&] {
    const mg::io::ShardedSafetensors sharded(path);
    for (const auto& info : sharded.tensors())
      sharded.load(info.name);
  });
  return 0;
}
