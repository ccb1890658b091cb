#pragma once
// Waits for our own code (the CLI, the engine, a save) are sized for a normal build. Sanitizer builds run
// it 3 to 15 times slower, so CTest passes MERGANSER_TEST_TIME_SCALE there and those waits go through
// scaledMs. Waits for tools we do not build (Python references, lupdate) stay as they are.
#include <cstdlib>

namespace mg::test {

inline int timeScale() {
  static const int scale = [] {
    const char* text = std::getenv("MERGANSER_TEST_TIME_SCALE");
    const int value = text ? std::atoi(text) : 1;
    return value > 0 ? value : 1;
  }();
  return scale;
}

inline int scaledMs(int ms) {
  return ms * timeScale();
}

} // namespace mg::test
