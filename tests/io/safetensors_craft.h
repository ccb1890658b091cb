#pragma once
// Hand-made safetensors bytes for the io tests: the reader must be checked against files our own
// writer would never produce.
#include <QtTest>

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>

#include "io/io_error.h"

namespace mg::test {

// u64 little-endian `headerLength` (by default the header's size), the header, then the data.
inline std::string craftSafetensors(const std::string& header, const std::string& data,
                                    std::uint64_t headerLength = UINT64_MAX) {
  if (headerLength == UINT64_MAX) headerLength = header.size();
  std::string out(8, '\0');
  std::memcpy(out.data(), &headerLength, 8); // the test hosts are little-endian, like the format
  return out + header + data;
}

// The IoError `action` throws; fails the test when it throws nothing or something else.
inline mg::io::IoError expectIoError(const std::function<void()>& action) {
  try {
    action();
  } catch (const mg::io::IoError& e) {
    return e;
  } catch (const std::exception& e) {
    return mg::io::IoError("<test>", std::string("expected an IoError, got: ") + e.what());
  }
  return mg::io::IoError("<test>", "expected an IoError, nothing was thrown");
}

} // namespace mg::test

// Checks that the error names `file` and contains `fragment`, printing the message otherwise.
#define MG_VERIFY_IO_ERROR(error, path, fragment)                                                            \
  do {                                                                                                       \
    const std::string mgMessage_ = (error).what();                                                           \
    QVERIFY2((error).file() == (path) && mgMessage_.find(path) != std::string::npos &&                       \
                 mgMessage_.find(fragment) != std::string::npos &&                                           \
                 mgMessage_.find('\n') == std::string::npos,                                                 \
             ("unexpected message: " + mgMessage_ + " (wanted '" + std::string(fragment) + "')").c_str());   \
  } while (0)
