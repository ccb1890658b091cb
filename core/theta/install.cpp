#include "theta/install.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/atomic_file.h"
#include "io/io_error.h"
#include "io/git_command.h"

namespace fs = std::filesystem;

namespace mg::theta {

namespace {

constexpr const char* kAttributes = "*.safetensors filter=theta diff=theta";

} // namespace

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
  return done.empty() ? "theta already installed in " + root + "\n" : done;
}

} // namespace mg::theta
