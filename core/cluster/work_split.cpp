#include "cluster/work_split.h"

#include <algorithm>

namespace mg::cluster {

std::pair<std::int64_t, std::int64_t> partOf(std::int64_t count, int rank, int ranks, std::int64_t granule) {
  granule = std::max<std::int64_t>(1, granule);
  const std::int64_t granules = (count + granule - 1) / granule;
  // The first `extra` ranks take one granule more.
  const std::int64_t each = granules / ranks, extra = granules % ranks;
  const std::int64_t firstGranule = rank * each + std::min<std::int64_t>(rank, extra);
  const std::int64_t ownGranules = each + (rank < extra ? 1 : 0);
  const std::int64_t first = std::min(count, firstGranule * granule);
  return {first, std::min(count, (firstGranule + ownGranules) * granule)};
}

} // namespace mg::cluster
