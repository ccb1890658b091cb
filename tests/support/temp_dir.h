#pragma once
// Helpers shared by the test executables.
#include <QTemporaryDir>

#include <cstdint>
#include <string>
#include <vector>

namespace mg::test {

// A fresh temporary folder removed at the end of the test; path() as std::string.
class TempDir {
public:
  TempDir();
  std::string path() const;
  std::string file(const std::string& name) const; // path()/name
private:
  QTemporaryDir dir_;
};

void writeBytes(const std::string& path, const std::string& bytes);
std::string readBytes(const std::string& path);
// Names of the entries of a folder (files and folders, not . and ..), sorted.
std::vector<std::string> listFolder(const std::string& path);

} // namespace mg::test
