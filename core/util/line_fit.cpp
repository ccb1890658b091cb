#include "util/line_fit.h"

#include <algorithm>
#include <cmath>

namespace mg::util {

LineFit fitLine(const std::vector<double>& x, const std::vector<double>& y) {
  LineFit fit;
  const std::size_t n = std::min(x.size(), y.size());
  if (n < 2) return fit;
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += x[i] / double(n);
    my += y[i] / double(n);
  }
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  // Relative to the size of the values, so rounding noise in constant data does not read as a spread.
  const bool xVaries = sxx > 1e-24 * (1 + mx * mx) * double(n);
  const bool yVaries = syy > 1e-24 * (1 + my * my) * double(n);
  if (!xVaries) return fit;
  fit.hasLine = true;
  fit.slope = sxy / sxx;
  fit.intercept = my - fit.slope * mx;
  if (yVaries) fit.r = sxy / std::sqrt(sxx * syy);
  return fit;
}

} // namespace mg::util
