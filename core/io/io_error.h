#pragma once
// The one error type of core/io: its message is a single line "FILE: what is wrong".
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "io/staging_paths.h"

namespace mg::io {

// Control characters (a newline, a tab, DEL) spelled \xNN: text quoted from a file stays on one line.
inline std::string escapeControls(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out;
}

class IoError : public std::runtime_error {
public:
  // The problem may quote the file's text (a parser's message, a key): its control characters are escaped.
  // Files inside a folder being built are named as they will be once it is in place (io/staging_paths.h).
  IoError(const std::string& file, const std::string& problem)
      : IoError(withDestinationPaths(file), withDestinationPaths(problem), 0) {}
  const std::string& file() const { return file_; }
  const std::string& problem() const { return problem_; }

private:
  IoError(std::string file, std::string problem, int)
      : std::runtime_error(file + ": " + escapeControls(problem)), file_(std::move(file)),
        problem_(std::move(problem)) {}
  std::string file_;
  std::string problem_;
};

} // namespace mg::io
