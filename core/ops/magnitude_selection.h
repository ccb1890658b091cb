#pragma once
// Magnitude pruning's selection (spec, task arithmetic step 2, `magnitude`): which entries of a task vector
// are the k largest in |δ|. Plain C++ on a float array, no LibTorch.
#include <cstdint>

namespace mg::ops {

// Keeps the k largest |x| of x[0, n) in place and sets the others to +0: every entry above the k-th largest
// magnitude plus, among entries equal to it, the lowest indices — exactly the set a stable descending sort of
// |x| keeps. NaN counts as the largest magnitude. 0 < k < n.
void keepLargestMagnitudes(float* x, std::int64_t n, std::int64_t k);

} // namespace mg::ops
