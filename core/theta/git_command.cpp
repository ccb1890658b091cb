#include "theta/git_command.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mg::theta {

GitResult runGit(const std::vector<std::string>& args, const std::string& folder) {
  GitResult result;
  int out[2];
  if (pipe(out) != 0) return result;
  std::vector<char*> argv;
  std::string git = "git";
  argv.push_back(git.data());
  std::vector<std::string> owned(args); // execvp wants mutable strings
  for (std::string& arg : owned)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t child = fork();
  if (child < 0) {
    close(out[0]);
    close(out[1]);
    return result;
  }
  if (child == 0) {
    dup2(out[1], STDOUT_FILENO);
    const int devNull = open("/dev/null", O_WRONLY); // git's complaints ("no such path") are ours to word
    if (devNull >= 0) dup2(devNull, STDERR_FILENO);
    close(out[0]);
    close(out[1]);
    if (!folder.empty() && chdir(folder.c_str()) != 0) _exit(127);
    execvp("git", argv.data());
    _exit(127);
  }
  close(out[1]);
  char buffer[65536];
  for (;;) {
    const ssize_t n = read(out[0], buffer, sizeof buffer);
    if (n > 0) {
      result.output.append(buffer, std::size_t(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  close(out[0]);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

} // namespace mg::theta
