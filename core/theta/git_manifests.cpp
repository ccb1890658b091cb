#include "theta/git_manifests.h"

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <unistd.h>

#include "io/git_command.h"
#include "io/io_error.h"

namespace fs = std::filesystem;

namespace mg::theta {

bool isCheckpointPath(const std::string& path) {
  static const std::string suffix = ".safetensors";
  return path.size() >= suffix.size() &&
         path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<Manifest> manifestsOfBlobs(const std::vector<std::string>& blobs, const std::string& scratch) {
  std::vector<Manifest> manifests;
  if (blobs.empty()) return manifests;
  std::string list = (fs::path(scratch) / "blobs-XXXXXX").string();
  const int fd = mkstemp(list.data());
  if (fd < 0) throw io::IoError(list, "cannot create a temporary file");
  std::string text;
  for (const std::string& blob : blobs)
    text += blob + '\n';
  const bool written = ::write(fd, text.data(), text.size()) == ssize_t(text.size());
  ::close(fd);
  io::GitOptions options;
  options.inputFile = list;
  const io::GitResult batch = written ? io::runGit({"cat-file", "--batch"}, "", options) : io::GitResult{};
  std::error_code ec;
  fs::remove(list, ec);
  if (batch.status != 0) throw io::IoError(scratch, "git cat-file --batch failed");
  // Each: "<blob> <type> <size>\n<content>\n", or "<blob> missing\n".
  for (std::size_t at = 0; at < batch.output.size();) {
    const std::size_t end = batch.output.find('\n', at);
    if (end == std::string::npos) break;
    std::istringstream header(batch.output.substr(at, end - at));
    std::string blob, type;
    std::size_t size = 0;
    header >> blob >> type >> size;
    at = end + 1;
    if (type == "missing") continue;
    const std::string content = batch.output.substr(at, size);
    at += size + 1;
    if (type != "blob" || !looksLikeManifest(content)) continue;
    try {
      manifests.push_back(manifestFromText(content, blob));
    } catch (const io::IoError&) {
      // a broken manifest is skipped: nothing of theta's to read from it
    }
  }
  return manifests;
}

} // namespace mg::theta
