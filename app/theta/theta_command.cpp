// theta install|clean|smudge|diff|show: checkpoints under git version control, each tensor stored once by
// content (core/theta). `install` sets a repository up; git runs the others itself, through merganser-theta.
#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include "theta/theta_command.h"

#include "cli/command.h"
#include "io/io_error.h"
#include "io/tensor.h"
#include "theta/checkpoint_diff.h"
#include "theta/filters.h"
#include "theta/install.h"
#include "theta/manifest.h"

namespace mg::cli {

namespace {

constexpr const char* kThetaUsage =
    "usage: merganser-cli theta install [DIR]     set up the git repository DIR is in (default: here)\n"
    "       merganser-cli theta diff OLD NEW      tensors changed, added and removed, with norms of change\n"
    "       merganser-cli theta show FILE         one line per tensor: name, dtype, shape, object\n"
    "       merganser-cli theta clean|smudge PATH git's filter driver (stdin to stdout), run by git\n";

// What git should run, by absolute path (git may run with another PATH): merganser-theta beside this
// program when it is there, else this program's own theta command.
std::string driverCommand() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "merganser-cli theta";
  const std::filesystem::path light = self.parent_path() / "merganser-theta";
  if (self.filename() == "merganser-theta" || std::filesystem::exists(light, ec))
    return theta::shellQuoted(light.string());
  return theta::shellQuoted(self.string()) + " theta";
}

int showFile(const std::string& file) {
  const theta::CheckpointSide side = theta::readSide(file);
  if (!side.manifest) return kExitOk;
  for (const theta::ManifestEntry& entry : side.manifest->tensors)
    std::printf("%s %s %s %s\n", entry.name.empty() ? "(whole file)" : entry.name.c_str(),
                entry.tensor.dtype.c_str(), io::shapeToString(entry.tensor.shape).c_str(),
                entry.tensor.id.c_str());
  return kExitOk;
}

int diffFiles(const std::string& name, const std::string& before, const std::string& after) {
  const theta::ObjectStore store = theta::ObjectStore::forRepository();
  const auto diff = theta::diffCheckpoints(theta::readSide(before), theta::readSide(after), store);
  std::fputs(theta::diffReport(name, diff).c_str(), stdout);
  return kExitOk;
}

} // namespace

int runTheta(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help") {
    std::fputs(kThetaUsage, args.empty() ? stderr : stdout);
    return args.empty() ? kExitBadInput : kExitOk;
  }
  const std::string& command = args[0];
  try {
    if (command == "install" && args.size() <= 2) {
      std::fputs(theta::installInRepository(args.size() == 2 ? args[1] : ".", driverCommand()).c_str(),
                 stdout);
      return kExitOk;
    }
    if (command == "clean" && args.size() == 2) {
      theta::ObjectStore store = theta::ObjectStore::forRepository();
      store.setTolerance(theta::configuredTolerance());
      theta::cleanFilter(stdin, stdout, store, args[1], theta::indexedUpdateBases(args[1]));
      return std::fflush(stdout) == 0 ? kExitOk : kExitFailure;
    }
    if (command == "smudge" && args.size() == 2) {
      theta::smudgeFilter(stdin, stdout, theta::ObjectStore::forRepository(), args[1]);
      return kExitOk;
    }
    // git runs an external diff with PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE.
    if (command == "diff" && args.size() == 8) return diffFiles(args[1], args[2], args[5]);
    if (command == "diff" && args.size() == 3) return diffFiles(args[2], args[1], args[2]);
    if (command == "show" && args.size() == 2) return showFile(args[1]);
  } catch (const io::IoError& error) {
    std::fprintf(stderr, "merganser-cli theta %s: %s\n", command.c_str(), error.what());
    return command == "clean" || command == "smudge" ? kExitFailure : kExitBadInput;
  }
  std::fprintf(stderr, "merganser-cli theta: unknown command or wrong arguments\n%s", kThetaUsage);
  return kExitBadInput;
}

} // namespace mg::cli
