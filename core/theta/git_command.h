#pragma once
// Runs git as a child process (no shell: arguments are passed as they are) and captures what it prints.
// The theta filters ask git where the repository keeps its data and what a file looked like before.
#include <string>
#include <vector>

namespace mg::theta {

struct GitResult {
  int status = -1;    // git's exit status; -1 when it could not be started or was killed
  std::string output; // its standard output (its standard error is discarded)
};

// `git ARGS...` in `folder` ("" for the current one).
GitResult runGit(const std::vector<std::string>& args, const std::string& folder = "");

} // namespace mg::theta
