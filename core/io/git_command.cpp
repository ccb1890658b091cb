#include "io/git_command.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mg::io {

namespace {

// Starts git with its standard output on `outputFd` and its standard error on `errorFd` (-1: /dev/null).
// Everything the child does between fork and exec is async-signal-safe: the engine calls this from a
// multi-threaded process.
pid_t startGit(const std::vector<std::string>& args, const std::string& folder, int outputFd, int errorFd,
               int closeInChild) {
  std::vector<std::string> owned(args); // execvp wants mutable strings
  std::vector<char*> argv;
  static char git[] = "git";
  argv.push_back(git);
  for (std::string& arg : owned)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t child = fork();
  if (child == 0) {
    dup2(outputFd, STDOUT_FILENO);
    const int err = errorFd >= 0 ? errorFd : open("/dev/null", O_WRONLY);
    if (err >= 0) dup2(err, STDERR_FILENO);
    if (closeInChild >= 0) close(closeInChild);
    if (!folder.empty() && chdir(folder.c_str()) != 0) _exit(127);
    execvp("git", argv.data());
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

GitResult runGit(const std::vector<std::string>& args, const std::string& folder) {
  GitResult result;
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return result;
  const pid_t child = startGit(args, folder, out[1], -1, out[0]);
  close(out[1]);
  if (child > 0) result.output = drain(out[0]);
  close(out[0]);
  if (child > 0) result.status = waitFor(child);
  return result;
}

GitResult runGitInto(const std::vector<std::string>& args, const std::string& folder, int outputFd) {
  GitResult result;
  int err[2];
  if (pipe2(err, O_CLOEXEC) != 0) return result;
  const pid_t child = startGit(args, folder, outputFd, err[1], err[0]);
  close(err[1]);
  if (child > 0) result.error = drain(err[0]);
  close(err[0]);
  if (child > 0) result.status = waitFor(child);
  return result;
}

} // namespace mg::io
