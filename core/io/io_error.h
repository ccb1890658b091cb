#pragma once
// The one error type of core/io: its message is a single line "FILE: what is wrong".
#include <stdexcept>
#include <string>

namespace mg::io {

class IoError : public std::runtime_error {
public:
  IoError(const std::string& file, const std::string& problem)
      : std::runtime_error(file + ": " + problem), file_(file), problem_(problem) {}
  const std::string& file() const { return file_; }
  const std::string& problem() const { return problem_; }

private:
  std::string file_;
  std::string problem_;
};

} // namespace mg::io
