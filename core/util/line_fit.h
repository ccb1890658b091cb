#pragma once
// The least-squares line through points (x, y) and Pearson's correlation r: how the Merge gain node sums up
// "do close tasks merge with less loss" and the line its plot draws. One copy for the node and the view.
#include <optional>
#include <vector>

namespace mg::util {

struct LineFit {
  double slope = 0, intercept = 0;
  bool hasLine = false;    // false with fewer than two points or when x does not vary
  std::optional<double> r; // nullopt when either x or y does not vary (or fewer than two points)
};

// x and y of the same length (the shorter length is used otherwise).
LineFit fitLine(const std::vector<double>& x, const std::vector<double>& y);

} // namespace mg::util
