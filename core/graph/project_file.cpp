#include "graph/project_file.h"

#include <filesystem>
#include <stdexcept>

#include "graph/graph_json.h"
#include "io/atomic_file.h"
#include "io/text_file.h"

namespace mg::graph {

namespace {

constexpr const char* kFormat = "merganser-project";

std::string folderOf(const std::string& path) {
  return std::filesystem::absolute(path).lexically_normal().parent_path().string();
}

} // namespace

std::string projectText(const Document& document, const std::string& folder) {
  return detail::writeGraphJson(document, kFormat, folder);
}

Document parseProject(const std::string& text, const std::string& folder, const std::string& file,
                      const NodeTypeRegistry& registry) {
  try {
    return detail::readGraphJson(text, kFormat, folder, file, registry);
  } catch (const io::IoError& error) {
    throw ProjectError(file, error.problem());
  } catch (const std::invalid_argument& error) {
    throw ProjectError(file, error.what());
  }
}

void saveProject(const Document& document, const std::string& path) {
  std::string text;
  try {
    text = projectText(document, folderOf(path));
  } catch (const std::invalid_argument& error) {
    throw ProjectError(path, error.what());
  }
  io::writeFileAtomically(path, text);
}

Document loadProject(const std::string& path, const NodeTypeRegistry& registry) {
  std::string text;
  try {
    text = io::readTextFile(path);
  } catch (const io::IoError& error) {
    throw ProjectError(path, error.problem());
  }
  return parseProject(text, folderOf(path), path, registry);
}

} // namespace mg::graph
