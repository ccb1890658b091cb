#pragma once
// What every fuzz target shares: parsers that read paths get the input as a file on tmpfs, and a parser may
// only answer bad input with an exception whose message is one line naming the file. Anything else (a
// crash, a sanitizer report, a leak, another exception, a message without the file) aborts, which libFuzzer
// records as a finding.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>

namespace mg::fuzz {

// A folder of this process's own on tmpfs (falls back to the temporary folder), removed at exit.
inline const std::filesystem::path& scratchFolder() {
  static const std::filesystem::path folder = [] {
    const std::filesystem::path shm = "/dev/shm";
    const auto root = std::filesystem::is_directory(shm) ? shm : std::filesystem::temp_directory_path();
    auto path = root / ("merganser-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    std::atexit([] { std::filesystem::remove_all(scratchFolder()); });
    return path;
  }();
  return folder;
}

// Writes the input to `name` in the scratch folder (replacing it) and returns the path.
inline std::string writeScratch(const std::string& name, const std::uint8_t* data, std::size_t size) {
  const auto path = scratchFolder() / name;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path.string();
}

[[noreturn]] inline void finding(const std::string& what) {
  std::fprintf(stderr, "FUZZ FINDING: %s\n", what.c_str());
  std::abort();
}

// Runs `parse`; an exception must be a std::exception whose message is one line naming `file`.
template <class Parse> void expectCleanFailure(const std::string& file, Parse&& parse) {
  try {
    parse();
  } catch (const std::exception& e) {
    const std::string message = e.what();
    if (message.find(file) == std::string::npos)
      finding("the message does not name " + file + ": " + message);
    if (message.find('\n') != std::string::npos) finding("the message is not one line: " + message);
  } catch (...) {
    finding("an exception that is not a std::exception");
  }
}

} // namespace mg::fuzz
