#include "graph/issue_texts.h"

namespace mg::graph {

namespace issue_texts {

const std::vector<const char*>& all() {
  static const std::vector<const char*> patterns = {
      kUnknownType,        kCycle,          kParamMissing,   kParamNotSet, kParamIgnored,  kInputNotConnected,
      kGroupNotConnected,  kNoSuchInput,    kNoSuchOutput,   kWrongType,   kAdapterOnBase, kAdapterNeedsBase,
      kAdapterWithoutBase, kMergeNeedsBase, kMergeUnusedBase};
  return patterns;
}

} // namespace issue_texts

std::string fillPattern(const std::string& pattern, const std::vector<std::string>& args) {
  std::string text;
  text.reserve(pattern.size());
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const bool placeholder =
        pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] >= '1' && pattern[i + 1] <= '9';
    const std::size_t index = placeholder ? std::size_t(pattern[i + 1] - '1') : 0;
    if (placeholder && index < args.size()) {
      text += args[index];
      ++i;
    } else {
      text += pattern[i];
    }
  }
  return text;
}

} // namespace mg::graph
