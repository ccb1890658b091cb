#pragma once
// `merganser-cli theta ...` and the merganser-theta program git runs as its filter and diff drivers (the same
// commands without LibTorch, so each of git's calls starts in milliseconds rather than a second).
#include <string>
#include <vector>

namespace mg::cli {

int runTheta(const std::vector<std::string>& args);

} // namespace mg::cli
