#include "io/git_history.h"

#include <filesystem>
#include <sstream>

#include "io/git_command.h"

namespace fs = std::filesystem;

namespace mg::io {

std::vector<FileRevision> fileHistory(const std::string& path, int limit) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  const fs::path folder = fs::is_directory(absolute, ec) ? absolute : absolute.parent_path();
  // Fields split by the unit separator, commits by NUL: authors and subjects may hold any other character.
  const GitResult log = runGit(
      {"log", "-n", std::to_string(limit), "-z", "--format=%H%x1f%an%x1f%aI%x1f%s", "--", absolute.string()},
      folder.string());
  std::vector<FileRevision> history;
  if (log.status != 0) return history;
  std::istringstream records(log.output);
  for (std::string record; std::getline(records, record, '\0');) {
    std::vector<std::string> fields;
    std::istringstream parts(record);
    for (std::string field; std::getline(parts, field, '\x1f');)
      fields.push_back(field);
    if (fields.size() >= 3 && fields[0].size() == 40)
      history.push_back({fields[0], fields[1], fields[2], fields.size() > 3 ? fields[3] : std::string()});
  }
  return history;
}

} // namespace mg::io
