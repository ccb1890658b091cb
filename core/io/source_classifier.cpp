#include "io/source_classifier.h"

#include <algorithm>
#include <filesystem>

#include "io/revision_path.h"

namespace fs = std::filesystem;

namespace mg::io {

const char* sourceRoleName(SourceRole role) {
  switch (role) {
  case SourceRole::Model: return "model";
  case SourceRole::Adapter: return "adapter";
  case SourceRole::Tasks: return "tasks";
  }
  return "unknown";
}

SourceRole sourceRoleOf(PathKind kind) {
  switch (kind) {
  case PathKind::PeftAdapter: return SourceRole::Adapter;
  case PathKind::TaskFile:
  case PathKind::TaskFolder: return SourceRole::Tasks;
  case PathKind::HfModelFolder:
  case PathKind::ShardedIndex:
  case PathKind::SafetensorsFile:
  case PathKind::Hdf5Checkpoint: return SourceRole::Model;
  }
  return SourceRole::Model;
}

Classification classifySourcePath(const std::string& path) {
  // PATH@REV whose PATH is still there: classified as it is now, without reading the revision (which may be
  // gigabytes; the GUI classifies a drop on its own thread). Opening it reads the revision itself.
  const auto revision = parseRevisionPath(path);
  std::error_code ec;
  const PathDetection detection =
      detectPath(revision && fs::exists(revision->path, ec) ? revision->path : path);
  if (!detection.kind) return {std::nullopt, detection.reason};
  return {sourceRoleOf(*detection.kind), {}};
}

namespace {

std::string absolutePath(const fs::path& path) {
  return fs::absolute(path).lexically_normal().string();
}

// A file that names its folder (config.json, adapter_config.json) is listed as that folder, never twice; a
// shard index inside a listed folder is the folder's, so the walk does not reach it.
bool namesItsFolder(const std::string& name) {
  return name == "config.json" || name == "adapter_config.json";
}

void walk(const fs::path& folder, int depthLeft, std::vector<FoundSource>& found) {
  std::error_code ec;
  for (const auto& entry :
       fs::directory_iterator(folder, fs::directory_options::skip_permission_denied, ec)) {
    const auto name = entry.path().filename().string();
    if (name.empty() || name.front() == '.') continue;
    if (entry.is_directory(ec)) {
      const auto detection = detectPath(entry.path().string());
      if (detection.kind) {
        found.push_back({absolutePath(entry.path()), sourceRoleOf(*detection.kind)});
      } else if (depthLeft > 0) {
        walk(entry.path(), depthLeft - 1, found);
      }
    } else if (entry.is_regular_file(ec) && !namesItsFolder(name)) {
      const auto detection = detectPath(entry.path().string());
      if (detection.kind) found.push_back({absolutePath(entry.path()), sourceRoleOf(*detection.kind)});
    }
  }
}

} // namespace

std::vector<FoundSource> findSources(const std::string& folder, int maxDepth) {
  std::vector<FoundSource> found;
  std::error_code ec;
  if (fs::is_directory(folder, ec)) {
    if (const auto top = detectPath(folder); top.kind) {
      found.push_back({absolutePath(folder), sourceRoleOf(*top.kind)});
      return found;
    }
  }
  walk(folder, maxDepth - 1, found);
  std::sort(found.begin(), found.end(),
            [](const FoundSource& a, const FoundSource& b) { return a.path < b.path; });
  return found;
}

} // namespace mg::io
