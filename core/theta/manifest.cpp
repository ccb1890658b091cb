#include "theta/manifest.h"

#include <nlohmann/json.hpp>

#include "io/io_error.h"
#include "theta/object_id.h"

namespace mg::theta {

namespace {
constexpr const char* kFormatKey = "merganser_theta";
constexpr const char* kPrefix = "{\"merganser_theta\":";
} // namespace

const StoredTensor* Manifest::find(const std::string& name) const {
  for (const ManifestEntry& entry : tensors)
    if (entry.name == name) return &entry.tensor;
  return nullptr;
}

bool looksLikeManifest(const std::string& text) {
  return text.rfind(kPrefix, 0) == 0;
}

std::string manifestToText(const Manifest& manifest) {
  // One tensor per line (and the header on its own line): git's own diff of two manifests stays readable.
  std::string text = std::string(kPrefix) + "1,\n\"size\":" + std::to_string(manifest.size) +
                     ",\n\"header\":" + nlohmann::json(manifest.header).dump() + ",\n\"tensors\":[";
  for (std::size_t i = 0; i < manifest.tensors.size(); ++i) {
    const ManifestEntry& entry = manifest.tensors[i];
    const nlohmann::json line = {{"name", entry.name},
                                 {"dtype", entry.tensor.dtype},
                                 {"shape", entry.tensor.shape},
                                 {"object", entry.tensor.id}};
    text += (i ? ",\n" : "\n") + line.dump();
  }
  return text + "\n]}\n";
}

Manifest manifestFromText(const std::string& text, const std::string& file) {
  auto fail = [&](const std::string& problem) {
    return io::IoError(file, "not a theta manifest: " + problem);
  };
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& error) {
    throw fail(error.what());
  }
  if (!json.is_object() || json.value(kFormatKey, 0) != 1) throw fail("unknown format version");
  Manifest manifest;
  try {
    manifest.size = json.at("size").get<std::uint64_t>();
    manifest.header = json.at("header").get<std::string>();
    for (const auto& line : json.at("tensors")) {
      ManifestEntry entry;
      entry.name = line.at("name").get<std::string>();
      entry.tensor.dtype = line.at("dtype").get<std::string>();
      entry.tensor.shape = line.at("shape").get<std::vector<std::int64_t>>();
      entry.tensor.id = line.at("object").get<std::string>();
      for (const std::int64_t dim : entry.tensor.shape)
        if (dim < 0) throw fail("tensor '" + entry.name + "' has a negative dimension");
      if (!isObjectId(entry.tensor.id)) throw fail("tensor '" + entry.name + "' names no object id");
      manifest.tensors.push_back(std::move(entry));
    }
  } catch (const nlohmann::json::exception& error) {
    throw fail(error.what());
  }
  if (manifest.raw() && manifest.tensors.size() != 1) throw fail("a raw file has one object");
  return manifest;
}

} // namespace mg::theta
