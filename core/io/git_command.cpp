#include "io/git_command.h"

#include <algorithm>
#include <cerrno>
#include <string_view>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ; // the process's environment (POSIX)

namespace mg::io {

namespace {

// Starts git with its standard output on `outputFd` and its standard error on `errorFd` (-1: /dev/null).
// Everything the child does between fork and exec is async-signal-safe (the environment and argument
// arrays are built before the fork): the engine calls this from a multi-threaded process.
pid_t startGit(const std::vector<std::string>& args, const std::string& folder, int outputFd, int errorFd,
               int closeInChild, const GitOptions& options) {
  std::vector<std::string> owned(args); // execvpe wants mutable strings
  std::vector<char*> argv;
  static char git[] = "git";
  argv.push_back(git);
  for (std::string& arg : owned)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> environment(options.environment);
  std::vector<char*> envp;
  for (char** variable = environ; *variable; ++variable) {
    const std::string_view entry(*variable);
    const auto replaced = [&](const std::string& extra) {
      return entry.substr(0, entry.find('=') + 1) == std::string_view(extra).substr(0, extra.find('=') + 1);
    };
    if (std::none_of(environment.begin(), environment.end(), replaced)) envp.push_back(*variable);
  }
  for (std::string& extra : environment)
    envp.push_back(extra.data());
  envp.push_back(nullptr);
  const char* input = options.inputFile.empty() ? "/dev/null" : options.inputFile.c_str();
  const pid_t child = fork();
  if (child == 0) {
    const int in = open(input, O_RDONLY);
    if (in < 0) _exit(127);
    dup2(in, STDIN_FILENO);
    dup2(outputFd, STDOUT_FILENO);
    const int err = errorFd >= 0 ? errorFd : open("/dev/null", O_WRONLY);
    if (err >= 0) dup2(err, STDERR_FILENO);
    if (closeInChild >= 0) close(closeInChild);
    if (!folder.empty() && chdir(folder.c_str()) != 0) _exit(127);
    execvpe("git", argv.data(), envp.data());
    _exit(127);
  }
  return child;
}

std::string drain(int fd) {
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      text.append(buffer, std::size_t(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      return text;
    }
  }
}

int waitFor(pid_t child) {
  int status = 0;
  while (waitpid(child, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

GitResult runGit(const std::vector<std::string>& args, const std::string& folder, const GitOptions& options) {
  GitResult result;
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return result;
  const pid_t child = startGit(args, folder, out[1], -1, out[0], options);
  close(out[1]);
  if (child > 0) result.output = drain(out[0]);
  close(out[0]);
  if (child > 0) result.status = waitFor(child);
  return result;
}

GitResult runGitInto(const std::vector<std::string>& args, const std::string& folder, int outputFd,
                     const GitOptions& options) {
  GitResult result;
  int err[2];
  if (pipe2(err, O_CLOEXEC) != 0) return result;
  const pid_t child = startGit(args, folder, outputFd, err[1], err[0], options);
  close(err[1]);
  if (child > 0) result.error = drain(err[0]);
  close(err[0]);
  if (child > 0) result.status = waitFor(child);
  return result;
}

} // namespace mg::io
