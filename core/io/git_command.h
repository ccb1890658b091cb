#pragma once
// Runs git as a child process (no shell: arguments are passed as they are) and captures what it prints.
// The theta filters ask git where the repository keeps its data and what a file looked like before; a source
// path@revision is read through it.
#include <string>
#include <vector>

namespace mg::io {

struct GitResult {
  int status = -1;    // git's exit status; -1 when it could not be started or was killed
  std::string output; // runGit: its standard output (its standard error is discarded)
  std::string error;  // runGitInto: its standard error (a filter's message, say)
};

struct GitOptions {
  std::vector<std::string> environment; // "NAME=value": added to git's environment, or replacing a variable
  std::string inputFile;                // git's standard input (default: /dev/null)
};

// `git ARGS...` in `folder` ("" for the current one).
GitResult runGit(const std::vector<std::string>& args, const std::string& folder = "",
                 const GitOptions& options = {});
// The same with git's standard output written to the open file `outputFd` (a checkpoint need not fit in
// memory).
GitResult runGitInto(const std::vector<std::string>& args, const std::string& folder, int outputFd,
                     const GitOptions& options = {});

} // namespace mg::io
