#include "theta/install.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <vector>

#include "io/atomic_file.h"
#include "io/io_error.h"
#include "theta/manifest.h"
#include "theta/object_store.h"
#include "io/git_command.h"

namespace fs = std::filesystem;

namespace mg::theta {

namespace {

constexpr const char* kAttributes = "*.safetensors filter=theta diff=theta";

// The origin's theta store as an alternate when the origin is a repository on this machine.
std::string useOriginStore(const std::string& root) {
  const io::GitResult url = io::runGit({"config", "--get", "remote.origin.url"}, root);
  std::string origin = url.output.substr(0, url.output.find('\n'));
  if (url.status != 0 || origin.empty()) return {};
  if (origin.rfind("file://", 0) == 0) origin = origin.substr(7);
  std::error_code ec;
  fs::path folder(origin);
  if (folder.is_relative()) folder = fs::path(root) / folder;
  if (!fs::is_directory(folder, ec)) return {}; // a remote host: checkouts fetch its objects
  const io::GitResult common = io::runGit({"rev-parse", "--git-common-dir"}, folder.string());
  fs::path gitDir(common.output.substr(0, common.output.find('\n')));
  if (common.status != 0 || gitDir.empty()) return {};
  if (gitDir.is_relative()) gitDir = folder / gitDir;
  const std::string theirs = (gitDir.lexically_normal() / "theta").string();
  ObjectStore store = ObjectStore::forRepository(root);
  if (!fs::is_directory(theirs, ec) || theirs == store.root()) return {};
  const auto before = store.alternates().size();
  store.addAlternate(theirs);
  return store.alternates().size() == before ? std::string()
                                             : "reads objects from the origin's store " + theirs + "\n";
}

constexpr const char* kHookMarker = "# merganser theta:";

// .git/hooks/pre-push running `DRIVER pre-push`, unless a hook of the user's own is there (then it says
// what to add to it).
std::string installPrePushHook(const std::string& root, const std::string& driver) {
  const io::GitResult where = io::runGit({"rev-parse", "--git-path", "hooks/pre-push"}, root);
  fs::path hook(where.output.substr(0, where.output.find('\n')));
  if (where.status != 0 || hook.empty()) return {};
  if (hook.is_relative()) hook = fs::path(root) / hook;
  const std::string text =
      std::string("#!/bin/sh\n") + kHookMarker +
      " push the theta objects of the commits being pushed (merganser-cli theta install)\n" + "exec " +
      driver + " pre-push \"$@\"\n";
  std::error_code ec;
  if (fs::exists(hook, ec)) {
    std::ifstream in(hook);
    std::stringstream current;
    current << in.rdbuf();
    if (current.str() == text) return {};
    if (current.str().find(kHookMarker) == std::string::npos)
      return "a pre-push hook of your own is in " + hook.string() + ": add `" + driver +
             " pre-push \"$@\" || exit 1` to it, so that `git push` carries the checkpoints' objects\n";
  }
  fs::create_directories(hook.parent_path(), ec);
  io::writeFileAtomically(hook.string(), text);
  fs::permissions(hook,
                  fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                      fs::perms::others_read | fs::perms::others_exec,
                  ec);
  return "installed " + hook.string() + ": git push also pushes the objects its commits name\n";
}

} // namespace

// Checkpoints the work tree holds as manifests are checked out again, now through the smudge filter.
std::string checkOutManifests(const std::string& root) {
  const io::GitResult listed = io::runGit({"ls-files", "-z", "--", "*.safetensors"}, root);
  std::vector<std::string> args{"checkout-index", "-u", "--"}; // -u: the index learns the new size
  std::istringstream names(listed.output);
  for (std::string name; std::getline(names, name, '\0');) {
    if (!fileLooksLikeManifest((fs::path(root) / name).string())) continue;
    // Removed first: git takes a file whose index entry is up to date as checked out, even with -f.
    std::error_code ec;
    fs::remove(fs::path(root) / name, ec);
    args.push_back(name);
  }
  if (args.size() == 3) return {};
  const io::GitResult checkedOut = io::runGitInto(args, root, STDERR_FILENO);
  if (checkedOut.status != 0) {
    const std::string why = checkedOut.error.substr(0, checkedOut.error.find('\n'));
    throw io::IoError(root, "checking out the checkpoints failed: " + why);
  }
  return "checked out " + std::to_string(args.size() - 3) + " checkpoint(s) stored as manifests\n";
}

std::string shellQuoted(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text)
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string installInRepository(const std::string& repository, const std::string& driver) {
  const io::GitResult top = io::runGit({"rev-parse", "--show-toplevel"}, repository);
  const std::string root = top.output.substr(0, top.output.find('\n'));
  if (top.status != 0 || root.empty()) throw io::IoError(repository, "not inside a git work tree");
  const std::string command = driver + " ";
  const std::pair<const char*, std::string> settings[] = {
      {"filter.theta.clean", command + "clean %f"},
      {"filter.theta.smudge", command + "smudge %f"},
      {"filter.theta.required", "true"}, // a failed filter stops git rather than storing the file whole
      {"diff.theta.command", command + "diff"},
      {"diff.theta.textconv", command + "show"}, // for `git log -p` and `git show`, which skip external diffs
  };
  std::string done;
  for (const auto& [key, value] : settings) {
    const io::GitResult current = io::runGit({"config", "--local", "--get", key}, root);
    if (current.status == 0 && current.output == value + "\n") continue;
    if (io::runGit({"config", "--local", key, value}, root).status != 0)
      throw io::IoError(root, std::string("git config ") + key + " failed");
    done += std::string("set ") + key + " = " + value + "\n";
  }
  const fs::path attributes = fs::path(root) / ".gitattributes";
  std::string text;
  if (fs::exists(attributes)) {
    std::ifstream in(attributes);
    std::stringstream content;
    content << in.rdbuf();
    text = content.str();
  }
  std::istringstream lines(text);
  std::string line;
  bool present = false;
  while (std::getline(lines, line))
    present = present || line == kAttributes;
  if (!present) {
    if (!text.empty() && text.back() != '\n') text += '\n';
    io::writeFileAtomically(attributes.string(), text + kAttributes + "\n");
    done += std::string("added to .gitattributes: ") + kAttributes + "\n";
  }
  done += installPrePushHook(root, driver);
  done += useOriginStore(root);
  done += checkOutManifests(root);
  return done.empty() ? "theta already installed in " + root + "\n" : done;
}

} // namespace mg::theta
