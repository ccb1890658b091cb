#include "theta/manifest.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <fstream>

#include "io/io_error.h"
#include "io/strict_json.h"
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

bool fileLooksLikeManifest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(std::char_traits<char>::length(kPrefix), '\0');
  in.read(head.data(), std::streamsize(head.size()));
  head.resize(std::size_t(in.gcount()));
  return looksLikeManifest(head);
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
  // Strict: no duplicate keys, no absurd nesting (a manifest may come from a stranger's repository).
  const nlohmann::json json = io::parseStrictJson(text, file, "theta manifest");
  // Numbers are checked for their kind before they are read: nlohmann converts 1e300 to an integer silently.
  auto unsignedAt = [&](const nlohmann::json& object, const char* key) {
    const auto found = object.find(key);
    if (found == object.end() || !found->is_number_unsigned())
      throw fail(std::string("'") + key + "' is not a count");
    return found->get<std::uint64_t>();
  };
  auto textAt = [&](const nlohmann::json& object, const char* key) {
    const auto found = object.find(key);
    if (found == object.end() || !found->is_string()) throw fail(std::string("'") + key + "' is not a text");
    return found->get<std::string>();
  };
  if (!json.is_object() || unsignedAt(json, kFormatKey) != 1) throw fail("unknown format version");
  Manifest manifest;
  manifest.size = unsignedAt(json, "size");
  manifest.header = textAt(json, "header");
  const auto tensors = json.find("tensors");
  if (tensors == json.end() || !tensors->is_array()) throw fail("'tensors' is not a list");
  for (const auto& line : *tensors) {
    if (!line.is_object()) throw fail("a tensor is not an object");
    ManifestEntry entry;
    entry.name = textAt(line, "name");
    entry.tensor.dtype = textAt(line, "dtype");
    entry.tensor.id = textAt(line, "object");
    const auto shape = line.find("shape");
    if (shape == line.end() || !shape->is_array())
      throw fail("tensor " + io::quoteName(entry.name) + " has no shape");
    for (const auto& dim : *shape) {
      if (!dim.is_number_unsigned() || dim.get<std::uint64_t>() > std::uint64_t(INT64_MAX))
        throw fail("tensor " + io::quoteName(entry.name) + " has a dimension that is not a count");
      entry.tensor.shape.push_back(dim.get<std::int64_t>());
    }
    if (!isObjectId(entry.tensor.id))
      throw fail("tensor " + io::quoteName(entry.name) + " names no object id");
    manifest.tensors.push_back(std::move(entry));
  }
  if (manifest.raw() && manifest.tensors.size() != 1) throw fail("a raw file has one object");
  return manifest;
}

} // namespace mg::theta
