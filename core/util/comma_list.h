#pragma once
// "q_proj, v_proj" -> {"q_proj", "v_proj"}: the lists node parameters and command-line options take as text.
#include <algorithm>
#include <string>
#include <vector>

namespace mg::util {

// The comma-separated items of `text`, each trimmed of spaces; empty items are dropped.
inline std::vector<std::string> commaList(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    const auto first = text.find_first_not_of(" \t", start);
    if (first != std::string::npos && first < comma) {
      const auto last = text.find_last_not_of(" \t", comma - 1);
      items.push_back(text.substr(first, last - first + 1));
    }
    start = comma + 1;
  }
  return items;
}

} // namespace mg::util
