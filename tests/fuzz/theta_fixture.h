#pragma once
// The object store the theta fuzz target reads against, and the seeds made from it: a small checkpoint and
// a second version with one value changed (stored as a sparse object), cleaned into a store.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "io/safetensors_writer.h"
#include "io/tensor.h"
#include "theta/filters.h"

namespace mg::fuzz {

struct ThetaFixture {
  std::vector<std::string> manifests; // the two versions' manifest texts
  std::string sparseObject;           // the path of the sparse object the second version made
};

inline ThetaFixture makeThetaStore(const std::filesystem::path& folder, theta::ObjectStore& store) {
  std::filesystem::create_directories(folder);
  std::vector<float> a(64); // large enough that one changed value is stored as a sparse object
  for (std::size_t i = 0; i < a.size(); ++i)
    a[i] = float(i);
  ThetaFixture fixture;
  std::optional<theta::Manifest> previous;
  for (int version = 0; version < 2; ++version) {
    if (version == 1) a[5] = 50;
    const std::string file = (folder / "model.safetensors").string();
    io::writeSafetensors(file,
                         {io::TensorData::fromFloat32("a", {64}, a),
                          io::TensorData::fromFloat32("b", {2, 3}, {1, 2, 3, 4, 5, 6}, io::DType::BF16)});
    const theta::Manifest manifest = theta::storeCheckpoint(file, store, previous);
    fixture.manifests.push_back(theta::manifestToText(manifest));
    previous = manifest;
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(store.root()))
    if (entry.path().extension() == ".sparse") fixture.sparseObject = entry.path().string();
  return fixture;
}

} // namespace mg::fuzz
