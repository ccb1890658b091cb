#include "io/safetensors_writer.h"

#include "io/atomic_file.h"
#include "io/io_error.h"
#include "io/strict_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <set>
#include <stdexcept>

namespace mg::io {
namespace {

namespace fs = std::filesystem;

// Checks the tensor list a caller wants written: names unique and usable, sizes representable.
// Returns the total byte count.
std::uint64_t checkTensorList(const std::string& path, const std::vector<TensorInfo>& tensors) {
  std::set<std::string> seen;
  std::uint64_t total = 0;
  for (const TensorInfo& t : tensors) {
    if (t.name == "__metadata__") throw IoError(path, "'__metadata__' cannot name a tensor");
    if (!isValidUtf8(t.name)) throw IoError(path, "tensor name " + quoteName(t.name) + " is not valid UTF-8");
    if (!seen.insert(t.name).second) throw IoError(path, "tensor " + quoteName(t.name) + " is listed twice");
    const auto numel = checkedNumel(t.shape);
    const std::uint64_t size = dtypeSize(t.dtype);
    if (!numel || *numel > UINT64_MAX / size || *numel * size > UINT64_MAX - total)
      throw IoError(path, "tensor " + quoteName(t.name) + " has an invalid shape " + shapeToString(t.shape));
    total += *numel * size;
  }
  return total;
}

// The JSON header, tensors in the given order, padded with spaces to a multiple of 8 so the data
// buffer starts 8-aligned in the file.
std::string makeHeader(const std::string& path, const std::vector<TensorInfo>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  for (const auto& [key, value] : metadata)
    if (!isValidUtf8(key) || !isValidUtf8(value))
      throw IoError(path, "metadata " + quoteName(key) + " is not valid UTF-8");
  nlohmann::ordered_json header;
  auto& meta = header["__metadata__"] = nlohmann::ordered_json::object();
  for (const auto& [key, value] : metadata)
    meta[key] = value;
  meta["format"] = "pt"; // transformers refuses any other format
  std::uint64_t offset = 0;
  for (const TensorInfo& t : tensors) {
    const std::uint64_t end = offset + t.nbytes();
    header[t.name] = {
        {"dtype", std::string(dtypeName(t.dtype))}, {"shape", t.shape}, {"data_offsets", {offset, end}}};
    offset = end;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  return text;
}

// Streams the tensors to `path` atomically; get(i) yields tensor i's data (by value or reference).
template <typename Get>
void writeFile(const std::string& path, const std::vector<TensorInfo>& tensors,
               const std::map<std::string, std::string>& metadata, Get&& get) {
  checkTensorList(path, tensors);
  const std::string header = makeHeader(path, tensors, metadata);
  AtomicFile file(path);
  std::uint64_t total = sizeof(std::uint64_t) + header.size();
  for (const TensorInfo& t : tensors)
    total += t.nbytes();
  file.reserve(total);
  const std::uint64_t headerLength = header.size(); // written little-endian, as the host stores it
  file.write(&headerLength, sizeof headerLength);
  file.write(header.data(), header.size());
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    const TensorInfo& want = tensors[i];
    const TensorData& got = get(i);
    if (got.info.dtype != want.dtype || got.info.shape != want.shape || got.bytes.size() != want.nbytes())
      throw IoError(path, "tensor " + quoteName(want.name) + " was produced as " +
                              std::string(dtypeName(got.info.dtype)) + " " + shapeToString(got.info.shape) +
                              " with " + std::to_string(got.bytes.size()) + " bytes, expected " +
                              std::string(dtypeName(want.dtype)) + " " + shapeToString(want.shape) +
                              " with " + std::to_string(want.nbytes()) + " bytes");
    file.write(got.bytes.data(), got.bytes.size());
  }
  file.commit();
}

std::string shardName(const std::string& prefix, std::size_t index, std::size_t count) {
  char numbers[32];
  std::snprintf(numbers, sizeof numbers, "-%05zu-of-%05zu", index, count);
  return prefix + numbers + ".safetensors";
}

bool allDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// "<prefix>-<digits>-of-<digits>.safetensors", the shard files of any earlier export.
bool isShardName(const std::string& file, const std::string& prefix) {
  const std::string head = prefix + "-", tail = ".safetensors";
  if (file.size() <= head.size() + tail.size() || file.rfind(head, 0) != 0 ||
      file.compare(file.size() - tail.size(), tail.size(), tail) != 0)
    return false;
  const std::string middle = file.substr(head.size(), file.size() - head.size() - tail.size());
  const auto of = middle.find("-of-");
  return of != std::string::npos && allDigits(middle.substr(0, of)) && allDigits(middle.substr(of + 4));
}

// After a successful export, removes whatever an earlier export with the same prefix left that the
// new one does not use, so no reader picks up a stale single file, index or shard.
void removeStale(const fs::path& folder, const std::string& prefix, const std::vector<std::string>& keep) {
  const std::set<std::string> kept(keep.begin(), keep.end());
  std::vector<fs::path> stale;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (kept.count(name)) continue;
    if (name == prefix + ".safetensors" || name == prefix + ".safetensors.index.json" ||
        isShardName(name, prefix))
      stale.push_back(it->path());
  }
  // The index goes first: a reader must never see an index naming a shard that is gone.
  std::sort(stale.begin(), stale.end(), [](const fs::path& a, const fs::path& b) {
    return (a.extension() == ".json") > (b.extension() == ".json");
  });
  for (const auto& p : stale)
    fs::remove(p, ec);
}

// The multiplier of a size unit: "" or "B" → 1, "KB" → 1e3, "MiB" → 2^20, ... (any case); 0 if unknown.
unsigned __int128 unitMultiplier(std::string unit) {
  for (char& c : unit)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (unit.empty() || unit == "B") return 1;
  const std::string prefixes = "KMGTP";
  const auto power = prefixes.find(unit[0]);
  const bool decimal = unit.size() == 2 && unit[1] == 'B';
  const bool binary = unit.size() == 3 && unit[1] == 'I' && unit[2] == 'B';
  if (power == std::string::npos || (!decimal && !binary)) return 0;
  unsigned __int128 multiplier = 1;
  for (std::size_t p = 0; p <= power; ++p)
    multiplier *= decimal ? 1000 : 1024;
  return multiplier;
}

} // namespace

void writeSafetensors(const std::string& path, const std::vector<TensorInfo>& tensors,
                      const TensorProducer& produce, const std::map<std::string, std::string>& metadata) {
  writeFile(path, tensors, metadata, [&](std::size_t i) { return produce(tensors[i]); });
}

void writeSafetensors(const std::string& path, const std::vector<TensorData>& tensors,
                      const std::map<std::string, std::string>& metadata) {
  std::vector<TensorInfo> infos;
  infos.reserve(tensors.size());
  for (const TensorData& t : tensors)
    infos.push_back(t.info);
  writeFile(path, infos, metadata, [&](std::size_t i) -> const TensorData& { return tensors[i]; });
}

ShardPlan planShards(const std::string& folder, const std::vector<TensorInfo>& tensors,
                     std::uint64_t maxShardBytes, const std::string& prefix) {
  if (maxShardBytes == 0) throw IoError(folder, "the shard size limit must be positive");
  if (prefix.empty() || prefix.find('/') != std::string::npos || prefix == "." || prefix == "..")
    throw IoError(folder, "invalid file name prefix " + quoteName(prefix));
  ShardPlan plan;
  plan.prefix = prefix;
  plan.totalBytes = checkTensorList(folder, tensors);
  // Greedy, in order: a tensor opens a new shard when it would push a non-empty one over the budget.
  plan.shards.emplace_back();
  std::uint64_t shardBytes = 0;
  for (const TensorInfo& t : tensors) {
    const std::uint64_t size = t.nbytes();
    if (!plan.shards.back().empty() && size > maxShardBytes - std::min(shardBytes, maxShardBytes)) {
      plan.shards.emplace_back();
      shardBytes = 0;
    }
    plan.shards.back().push_back(t);
    shardBytes += size;
  }
  for (std::size_t i = 0; i < plan.shards.size(); ++i)
    plan.files.push_back(plan.shards.size() == 1 ? prefix + ".safetensors"
                                                 : shardName(prefix, i + 1, plan.shards.size()));
  return plan;
}

void finishShards(const std::string& folder, const ShardPlan& plan) {
  const fs::path dir(folder);
  std::vector<std::string> keep = plan.files;
  if (plan.shards.size() > 1) {
    nlohmann::json weightMap = nlohmann::json::object();
    for (std::size_t i = 0; i < plan.shards.size(); ++i)
      for (const TensorInfo& t : plan.shards[i])
        weightMap[t.name] = plan.files[i];
    const nlohmann::json index = {{"metadata", {{"total_size", plan.totalBytes}}}, {"weight_map", weightMap}};
    const std::string indexName = plan.prefix + ".safetensors.index.json";
    writeFileAtomically((dir / indexName).string(), index.dump(2) + "\n");
    keep.push_back(indexName);
  }
  removeStale(dir, plan.prefix, keep);
}

void removeShards(const std::string& folder, const ShardPlan& plan) {
  std::error_code ec;
  for (const std::string& f : plan.files)
    fs::remove(fs::path(folder) / f, ec);
}

ShardedWriteResult writeShardedSafetensors(const std::string& folder, const std::vector<TensorInfo>& tensors,
                                           const TensorProducer& produce,
                                           const std::map<std::string, std::string>& metadata,
                                           std::uint64_t maxShardBytes, const std::string& prefix) {
  const ShardPlan plan = planShards(folder, tensors, maxShardBytes, prefix);
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw IoError(folder, "cannot create the folder: " + ec.message());
  try {
    for (std::size_t i = 0; i < plan.shards.size(); ++i)
      writeSafetensors((fs::path(folder) / plan.files[i]).string(), plan.shards[i], produce, metadata);
  } catch (...) {
    // Shards of an export that did not finish are useless without their index.
    removeShards(folder, plan);
    throw;
  }
  // The index is written last, so a reader never sees an index naming a shard that is not there.
  finishShards(folder, plan);
  return {plan.files, plan.totalBytes};
}

std::uint64_t parseByteSize(const std::string& text) {
  const auto bad = [&text]() { return std::invalid_argument("not a byte size: '" + text + "'"); };
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
    ++i;
  // Parsed by hand: strtod follows the locale, and Qt sets it from the environment ("1,5" in German).
  unsigned __int128 whole = 0, fraction = 0, fractionScale = 1;
  std::size_t digits = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, ++digits) {
    whole = whole * 10 + static_cast<unsigned>(text[i] - '0');
    if (whole > UINT64_MAX) throw bad();
  }
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, ++digits) {
      if (fractionScale > UINT64_MAX) continue; // digits beyond 1e-19 cannot change the result
      fraction = fraction * 10 + static_cast<unsigned>(text[i] - '0');
      fractionScale *= 10;
    }
  }
  if (digits == 0) throw bad();
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
    ++i;
  std::size_t unitEnd = text.size();
  while (unitEnd > i && std::isspace(static_cast<unsigned char>(text[unitEnd - 1])))
    --unitEnd;
  const unsigned __int128 multiplier = unitMultiplier(text.substr(i, unitEnd - i));
  if (multiplier == 0) throw bad();
  const unsigned __int128 bytes =
      whole * multiplier + (fraction * multiplier + fractionScale / 2) / fractionScale;
  if (bytes > UINT64_MAX) throw bad();
  return static_cast<std::uint64_t>(bytes);
}

} // namespace mg::io
