#include "theta/checkpoint_diff.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "io/dtype.h"
#include "io/io_error.h"
#include "io/safetensors_file.h"
#include "io/tensor.h"
#include "theta/object_id.h"

namespace mg::theta {

namespace {

// The side's tensor bytes: from the checkpoint when the side is one, else from the store.
class SideReader {
public:
  SideReader(const CheckpointSide& side, const ObjectStore& store) : store_(store) {
    if (side.checkpoint) file_ = std::make_unique<io::SafetensorsFile>(side.path);
  }
  std::vector<std::byte> bytes(const std::string& name, const StoredTensor& tensor) const {
    if (!file_) return store_.get(tensor);
    const auto loaded = file_->load(name).bytes;
    return {loaded.begin(), loaded.end()};
  }

private:
  const ObjectStore& store_;
  std::unique_ptr<io::SafetensorsFile> file_;
};

std::vector<float> asFloats(const StoredTensor& tensor, const std::vector<std::byte>& bytes) {
  const auto dtype = io::dtypeFromName(tensor.dtype);
  if (!dtype) return {};
  std::vector<float> values(bytes.size() / io::dtypeSize(*dtype));
  io::convertToFloat32(*dtype, bytes.data(), values.size(), values.data());
  return values;
}

std::string describe(const StoredTensor& tensor) {
  return tensor.dtype + " " + io::shapeToString(tensor.shape);
}

} // namespace

CheckpointSide readSide(const std::string& path) {
  CheckpointSide side{path, std::nullopt};
  if (path == "/dev/null") return side;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io::IoError(path, "cannot be read");
  if (fileLooksLikeManifest(path)) {
    std::stringstream text;
    text << in.rdbuf();
    side.manifest = manifestFromText(text.str(), path);
    return side;
  }
  const io::SafetensorsFile file(path); // throws IoError naming the file when it is not a checkpoint
  side.checkpoint = true;
  Manifest manifest;
  manifest.size = file.fileSize();
  manifest.header = "(checkpoint)"; // not raw: its tensors are listed by name
  for (const io::TensorInfo& info : file.tensors()) {
    const io::TensorData data = file.load(info.name);
    const std::string dtype(io::dtypeName(info.dtype));
    manifest.tensors.push_back(
        {info.name, {dtype, info.shape, objectId(dtype, info.shape, data.bytes.data(), data.bytes.size())}});
  }
  side.manifest = std::move(manifest);
  return side;
}

CheckpointDiff diffCheckpoints(const CheckpointSide& before, const CheckpointSide& after,
                               const ObjectStore& store) {
  std::map<std::string, const StoredTensor*> old, now;
  if (before.manifest)
    for (const ManifestEntry& entry : before.manifest->tensors)
      old[entry.name] = &entry.tensor;
  if (after.manifest)
    for (const ManifestEntry& entry : after.manifest->tensors)
      now[entry.name] = &entry.tensor;
  const SideReader oldReader(before, store), newReader(after, store);
  CheckpointDiff diff;
  for (const auto& [name, tensor] : old)
    if (!now.count(name)) diff.changes.push_back({TensorChange::Kind::Removed, name, *tensor, {}});
  for (const auto& [name, tensor] : now) {
    const auto found = old.find(name);
    if (found == old.end()) {
      diff.changes.push_back({TensorChange::Kind::Added, name, {}, *tensor});
      continue;
    }
    const StoredTensor& was = *found->second;
    if (was.id == tensor->id) {
      ++diff.unchanged;
      continue;
    }
    if (was.dtype != tensor->dtype || was.shape != tensor->shape) {
      diff.changes.push_back({TensorChange::Kind::Relaid, name, was, *tensor});
      continue;
    }
    TensorChange change{TensorChange::Kind::Changed, name, was, *tensor};
    const std::vector<float> a = asFloats(was, oldReader.bytes(name, was));
    const std::vector<float> b = asFloats(*tensor, newReader.bytes(name, *tensor));
    double delta = 0, base = 0;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
      delta += (double(b[i]) - a[i]) * (double(b[i]) - a[i]);
      base += double(a[i]) * a[i];
    }
    change.normOfChange = std::sqrt(delta);
    change.normBefore = std::sqrt(base);
    diff.changes.push_back(std::move(change));
  }
  std::sort(diff.changes.begin(), diff.changes.end(),
            [](const TensorChange& x, const TensorChange& y) { return x.name < y.name; });
  return diff;
}

std::string diffReport(const std::string& name, const CheckpointDiff& diff) {
  std::size_t counts[4] = {0, 0, 0, 0};
  for (const TensorChange& change : diff.changes)
    ++counts[int(change.kind)];
  char line[512];
  std::snprintf(
      line, sizeof line, "theta diff %s: %zu changed, %zu added, %zu removed, %zu unchanged\n", name.c_str(),
      counts[int(TensorChange::Kind::Changed)] + counts[int(TensorChange::Kind::Relaid)],
      counts[int(TensorChange::Kind::Added)], counts[int(TensorChange::Kind::Removed)], diff.unchanged);
  std::string report = line;
  for (const TensorChange& change : diff.changes) {
    switch (change.kind) {
    case TensorChange::Kind::Added:
      report += "  added    " + change.name + "  " + describe(change.after) + "\n";
      break;
    case TensorChange::Kind::Removed:
      report += "  removed  " + change.name + "  " + describe(change.before) + "\n";
      break;
    case TensorChange::Kind::Relaid:
      report += "  changed  " + change.name + "  " + describe(change.before) + " -> " +
                describe(change.after) + "\n";
      break;
    case TensorChange::Kind::Changed: {
      const double relative = change.normBefore > 0 ? change.normOfChange / change.normBefore : 0;
      std::snprintf(line, sizeof line, "  changed  %s  %s  |change| %.4g (%.3g%% of |before| %.4g)\n",
                    change.name.c_str(), describe(change.after).c_str(), change.normOfChange, 100 * relative,
                    change.normBefore);
      report += line;
      break;
    }
    }
  }
  return report;
}

} // namespace mg::theta
