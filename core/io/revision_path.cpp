#include "io/revision_path.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "io/atomic_file.h"
#include "io/git_command.h"
#include "io/io_error.h"

namespace fs = std::filesystem;

namespace mg::io {

namespace {

std::string firstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

std::string displayName(const RevisionPath& where) {
  return where.path + "@" + where.revision;
}

// The nearest folder of `path` that exists (the path itself may be gone from the work tree since).
fs::path existingFolder(const fs::path& path) {
  std::error_code ec;
  fs::path folder = fs::absolute(path, ec).parent_path();
  while (!folder.empty() && !fs::is_directory(folder, ec) && folder != folder.root_path())
    folder = folder.parent_path();
  return folder;
}

struct Repository {
  fs::path top;       // the work tree's top folder
  fs::path gitCommon; // its git folder (shared by worktrees)
};

Repository repositoryOf(const RevisionPath& where) {
  const fs::path folder = existingFolder(where.path);
  const GitResult top = runGit({"rev-parse", "--show-toplevel", "--git-common-dir"}, folder.string());
  std::istringstream lines(top.output);
  std::string topLine, commonLine;
  std::getline(lines, topLine);
  std::getline(lines, commonLine);
  if (top.status != 0 || topLine.empty() || commonLine.empty())
    throw IoError(displayName(where), "not inside a git repository");
  fs::path common(commonLine);
  if (common.is_relative()) common = folder / common;
  return {fs::path(topLine), common.lexically_normal()};
}

} // namespace

std::optional<RevisionPath> parseRevisionPath(const std::string& text) {
  std::error_code ec;
  if (fs::exists(text, ec)) return std::nullopt;
  const auto at = text.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 == text.size()) return std::nullopt;
  return RevisionPath{text.substr(0, at), text.substr(at + 1)};
}

std::string revisionCommit(const RevisionPath& where) {
  const Repository repository = repositoryOf(where);
  // "--end-of-options": a revision is never read as an option of git's.
  const GitResult commit =
      runGit({"rev-parse", "--verify", "--quiet", "--end-of-options", where.revision + "^{commit}"},
             repository.top.string());
  const std::string sha = firstLine(commit.output);
  if (commit.status != 0 || sha.size() != 40)
    throw IoError(displayName(where), "no revision '" + where.revision + "' in " + repository.top.string());
  return sha;
}

std::string materializeRevision(const RevisionPath& where) {
  const Repository repository = repositoryOf(where);
  const std::string commit = revisionCommit(where);
  const fs::path relative = fs::absolute(where.path).lexically_normal().lexically_relative(repository.top);
  if (relative.empty() || *relative.begin() == "..")
    throw IoError(displayName(where), "not inside the repository " + repository.top.string());
  const GitResult listed = runGit({"ls-tree", "-r", "-z", "--name-only", commit, "--", relative.string()},
                                  repository.top.string());
  std::vector<std::string> files;
  std::istringstream names(listed.output);
  for (std::string name; std::getline(names, name, '\0');)
    if (!name.empty()) files.push_back(name);
  if (listed.status != 0 || files.empty())
    throw IoError(displayName(where),
                  "not in revision " + where.revision + " (" + commit.substr(0, 12) + ")");

  const fs::path copy = repository.gitCommon / "theta" / "revisions" / commit;
  for (const std::string& file : files) {
    const fs::path destination = copy / file;
    std::error_code ec;
    if (fs::exists(destination, ec)) continue; // made before: a commit never changes
    fs::create_directories(destination.parent_path(), ec);
    if (ec) throw IoError(destination.parent_path().string(), "cannot create folder: " + ec.message());
    AtomicFile output(destination.string());
    const int fd = ::open(output.temporaryPath().c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw IoError(output.temporaryPath(), "cannot be written");
    const GitResult read =
        runGitInto({"cat-file", "--filters", commit + ":" + file}, repository.top.string(), fd);
    ::fsync(fd);
    ::close(fd);
    if (read.status != 0) {
      std::string why = firstLine(read.error);
      throw IoError(displayName(where), why.empty() ? "git could not read " + file : why);
    }
    output.commit();
  }
  return (copy / relative).string();
}

std::string localPath(const std::string& text) {
  const auto revision = parseRevisionPath(text);
  return revision ? materializeRevision(*revision) : text;
}

} // namespace mg::io
