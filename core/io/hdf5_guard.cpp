// Reading an HDF5 file from a stranger without trusting libhdf5 with the process: Debian's HDF5 1.10
// crashes (SIGSEGV in H5A__close, found by tests/fuzz/fuzz_task_file) on crafted attribute messages, and
// no check before opening can rule such files out. So the first read of each file happens in a forked
// child: a child that dies tells the parent the file is corrupt, and the parent never reads it. A file that
// read cleanly (or failed with an ordinary error, which the parent then reports itself) is remembered by
// its size and modification time, so it is read in a child once per process.
#include "io/hdf5_util.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <thread>
#include <tuple>

#include "io/hdf5_checkpoint.h"
#include "io/io_error.h"

namespace mg::io::h5 {

namespace {

constexpr int kReadCleanly = 0;
constexpr int kThrew = 3; // an ordinary error: the parent reads again and reports it

bool inGuardChild = false; // set in the child: it reads directly

struct Stamp {
  std::uintmax_t size;
  std::filesystem::file_time_type modified;
  bool operator==(const Stamp& o) const { return size == o.size && modified == o.modified; }
};

std::map<std::string, Stamp>& survivedFiles() {
  static std::map<std::string, Stamp> files; // guarded by hdf5Mutex (the caller holds the Lock)
  return files;
}

// What the child does: every read the project's HDF5 layer makes of a checkpoint or task file (open, root
// attributes, the dataset walk, dtype attributes, shapes, every dataset's values).
void readEverything(const std::string& path) {
  const Hdf5Checkpoint file(path);
  for (const auto& info : file.tensors())
    file.load(info.name);
}

// Seconds the child may take: a hang is as bad as a crash, but a large file read from a slow disk is not.
// MERGANSER_HDF5_READ_SECONDS replaces the first minute (the fuzz targets give it a few seconds).
int childDeadlineSeconds(std::uintmax_t bytes) {
  int base = 60;
  if (const char* text = std::getenv("MERGANSER_HDF5_READ_SECONDS"); text && std::atoi(text) > 0)
    base = std::atoi(text);
  return base + static_cast<int>(bytes / (20u << 20)); // 20 MB/s beyond that
}

// This process's resident memory now (kB), from /proc/self/statm; 0 when it cannot be read.
long residentKb() {
  long pages = 0, resident = 0;
  if (FILE* statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(statm);
  }
  return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

} // namespace

void readInChildFirst(const std::string& path) {
  // MERGANSER_HDF5_TRUST_LIBRARY=1 reads in this process: for fuzzing, where a forked read per input is far
  // too slow and libhdf5's own crashes must be seen (packaging/dev.sh fuzz replays them with the guard).
  if (inGuardChild || std::getenv("MERGANSER_HDF5_TRUST_LIBRARY")) return;
  std::error_code ec;
  const Stamp stamp{std::filesystem::file_size(path, ec), std::filesystem::last_write_time(path, ec)};
  if (ec) return; // the reader reports a missing or unreadable file itself
  if (const auto it = survivedFiles().find(path); it != survivedFiles().end() && it->second == stamp) return;

  // The caller holds hdf5Mutex, so no other thread is inside libhdf5 while the process is copied.
  const pid_t child = ::fork();
  if (child < 0) return; // cannot isolate (no memory for a process): read as before
  if (child == 0) {
    inGuardChild = true;
    const rlimit noCore{0, 0};
    ::setrlimit(RLIMIT_CORE, &noCore); // a crash here is expected of a bad file: no core dump to wait for
    // Nor the program's crash handlers (Qt Test's runs a debugger for a stack trace, seconds per crash).
    for (const int crash : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT})
      ::signal(crash, SIG_DFL);
    hdf5Mutex().unlock(); // held by the forking thread, which is this one in the child
    const int devNull = ::open("/dev/null", O_WRONLY);
    if (devNull >= 0) ::dup2(devNull, STDERR_FILENO); // a sanitizer's report of the crash is the parent's
    int code = kReadCleanly;
    try {
      readEverything(path);
    } catch (...) {
      code = kThrew;
    }
    ::_exit(code); // no atexit handlers or static destructors of the parent's program
  }

  const long parentRssKb = residentKb();
  int status = 0;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(childDeadlineSeconds(stamp.size));
  rusage usage{};
  for (;;) {
    const pid_t done = ::wait4(child, &status, WNOHANG, &usage);
    if (done == child) break;
    if (done < 0 && errno != EINTR) return;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(child, SIGKILL);
      ::waitpid(child, &status, 0);
      throw IoError(path, "reading it with the HDF5 library did not finish in " +
                              std::to_string(childDeadlineSeconds(stamp.size)) + " s: the file is corrupt");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const bool clean =
      WIFEXITED(status) && (WEXITSTATUS(status) == kReadCleanly || WEXITSTATUS(status) == kThrew);
  if (!clean) {
    const std::string how = WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                                                : "exit code " + std::to_string(WEXITSTATUS(status));
    throw IoError(path, "the HDF5 library crashed reading it (" + how + "): the file is corrupt or crafted");
  }
  // Memory: what the child's read added may not exceed what the file could expand to (deflate: 1032-fold)
  // plus a margin; libhdf5 trusts lengths in crafted files (a 8 KB file made it take 1.7 GB).
  const long addedKb = usage.ru_maxrss - parentRssKb;
  const long allowedKb =
      64 * 1024 + static_cast<long>(std::min<std::uintmax_t>(stamp.size / 1024 * 1032, LONG_MAX / 2));
  if (addedKb > allowedKb)
    throw IoError(path, "reading it made the HDF5 library take " + std::to_string(addedKb / 1024) +
                            " MB for a " + std::to_string(stamp.size) +
                            "-byte file: the file is corrupt or crafted");
  survivedFiles()[path] = stamp;
}

} // namespace mg::io::h5
