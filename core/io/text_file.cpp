#include "io/text_file.h"

#include "io/io_error.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace mg::io {

std::string readTextFile(const std::string& path, std::uintmax_t maxBytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (!fs::exists(status)) throw IoError(path, "no such file");
  if (!fs::is_regular_file(status)) throw IoError(path, "not a regular file");
  const auto size = fs::file_size(path, ec);
  if (ec) throw IoError(path, "cannot read: " + ec.message());
  if (size > maxBytes)
    throw IoError(path, "is " + std::to_string(size) + " bytes, too large for a config file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path, "cannot open for reading");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw IoError(path, "cannot read");
  return text;
}

} // namespace mg::io
