#pragma once
// What a Sweep node varies: which node's parameter, found upstream of the node that feeds its scores (an
// Evaluate node), and the values it takes. Validation (the Sweep type's check) and the engine's runner both
// use this, so the badge on the node and the error of a run say the same thing.
#include <string>
#include <vector>

#include "graph/node.h"

namespace mg::graph {

class Document;
struct ParamDef;

struct SweepPlan {
  NodeId scored = kNoNode; // the node feeding 'scores', run again at every point
  NodeId target = kNoNode; // the node whose parameter varies
  std::string parameter;   // "lambda"
  const ParamDef* def = nullptr;
  std::vector<double> values; // from..to in `steps` even steps (rounded to integers for an int parameter)

  // Why the sweep cannot run, one line ("" when it can), and the Sweep parameter it is about.
  std::string error;
  std::string errorParam;
  bool ok() const { return error.empty(); }
};

// The plan of Sweep node `sweep`. The target is the node titled by its 'node' parameter, or when that is
// empty the nearest node upstream of the scored node that has the parameter (an error names both when two
// are equally near). An unconnected 'scores' or an empty 'parameter' give an empty error without a target:
// generic validation reports those.
SweepPlan planSweep(const Document& document, NodeId sweep);

// The document of one point: `document` with the target's parameter set to `value` (a one-element list for
// a list parameter). Throws std::invalid_argument when the parameter refuses the value.
Document sweepPoint(const Document& document, const SweepPlan& plan, double value);

// "0.30", "1.00", "0.125", "16": every value of `values` in as few decimals (at least two for a
// fractional sweep) as tell them apart.
std::vector<std::string> sweepValueTexts(const std::vector<double>& values, bool integral);

} // namespace mg::graph
