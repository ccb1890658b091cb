// Saved evaluation results in HDF5 (layout in score_file.h; the model groups are eval/score_groups.cpp's).
#include "eval/score_file.h"

#include <filesystem>
#include <set>

#include "eval/score_groups.h"
#include "io/hdf5_records.h"

namespace mg::eval {

std::string scoreFileFor(const std::string& projectPath) {
  std::filesystem::path path(projectPath);
  if (path.extension() == ".mgproj") path.replace_extension();
  return path.string() + ".scores.h5";
}

void writeScoreFile(const std::string& path, const std::vector<ModelScores>& results) {
  io::h5::writeVersionedFile(path, kScoreFormat, kScoreVersion, [&](hid_t root, hid_t ordered) {
    writeModelGroups(root, ordered, results, path);
  });
}

std::vector<ModelScores> readScoreFile(const std::string& path) {
  io::h5::Lock lock;
  std::int64_t version = 0;
  const auto file = io::h5::openVersionedFile(path, kScoreFormat, "score file", kScoreVersion, version);
  return readModelGroups(file.get(), path);
}

std::vector<ModelScores> mergeScores(std::vector<ModelScores> saved, const std::vector<ModelScores>& fresh) {
  std::set<std::uint64_t> replaced;
  for (const auto& entry : fresh)
    replaced.insert(entry.evaluateNode);
  std::vector<ModelScores> merged;
  for (auto& entry : saved)
    if (!replaced.count(entry.evaluateNode)) merged.push_back(std::move(entry));
  merged.insert(merged.end(), fresh.begin(), fresh.end());
  return merged;
}

} // namespace mg::eval
