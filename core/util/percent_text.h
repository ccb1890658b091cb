#pragma once
// "81.2%" for 0.812: how accuracies read in node facts and CLI tables.
#include <cstdio>
#include <string>

namespace mg::util {

inline std::string percentText(double fraction, bool withSign = true) {
  char text[32];
  std::snprintf(text, sizeof text, withSign ? "%.1f%%" : "%.1f", 100.0 * fraction);
  return text;
}

} // namespace mg::util
