#pragma once
// The commits that changed a file or folder, newest first, for the Library's per-model history. Each can be
// opened as PATH@COMMIT (io/revision_path.h).
#include <string>
#include <vector>

namespace mg::io {

struct FileRevision {
  std::string commit; // 40 hex digits
  std::string author;
  std::string date;    // ISO 8601, as git prints %aI
  std::string subject; // the first line of the message
};

// At most `limit` commits that touched `path`; empty when it is in no git work tree or git is missing.
std::vector<FileRevision> fileHistory(const std::string& path, int limit = 20);

} // namespace mg::io
