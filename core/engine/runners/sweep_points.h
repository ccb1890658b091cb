#pragma once
// A Sweep's points, run here one after the other, or divided among the ranks of an MPI job: point i runs on
// rank i mod N (alone: its sub-pass does no collective), and every rank ends with every point's scores,
// exactly as computed (engine/scores_value_json.h), so what follows the Sweep is the same on every rank.
#include <functional>
#include <string>
#include <vector>

#include "engine/node_value.h"
#include "weights/cancel.h"

namespace mg::cluster {
class Communicator;
}

namespace mg::engine {

struct SweepPoint {
  ScoresValue scores;
  std::vector<std::string> warnings;
};

using PointRunner = std::function<SweepPoint(std::size_t point)>;

std::vector<SweepPoint> sweepHere(std::size_t count, const PointRunner& run, const CancelToken* cancel);
// A collective. A point's failure on any rank is every rank's (its message); Cancelled when cancelled.
std::vector<SweepPoint> sweepOverRanks(std::size_t count, const PointRunner& run,
                                       cluster::Communicator& ranks, const CancelToken* cancel);

} // namespace mg::engine
