#pragma once
// What a Search node searches: the merge node upstream of the Evaluate node that feeds its scores, whose
// input weights (and densities) it varies, and how. Validation (the Search type's check), the engine's runner
// and the CLI use this, so the node's badge, a run's error and `merganser-cli search` say the same thing.
//
// Validation and test examples stay apart: the scored Evaluate node's tasks are split, per task, into the
// first `validation_examples` examples (every candidate is scored on them) and the rest (only the winner is
// scored on them, and that test score is what the Search reports); or, with the Search's 'validation' input
// connected, candidates are scored on those tasks and the winner on the Evaluate node's.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "graph/node.h"

namespace mg::graph {

class Document;

enum class SearchAlgorithm { CmaEs, GreedySoup, AdaMerging }; // in searchAlgorithmNames() order

struct SearchPlan {
  NodeId scored = kNoNode; // the Evaluate node feeding 'scores'
  NodeId target = kNoNode; // the merge node whose coefficients vary
  SearchAlgorithm algorithm = SearchAlgorithm::CmaEs;
  std::string method;     // the target's core/ops method
  std::size_t inputs = 0; // connected inputs of the target's models group
  std::vector<double> startWeights;
  bool searchDensity = false; // CMA-ES also varies one density per input (methods with a density)
  double startDensity = 1.0;
  std::int64_t validationExamples = 0;
  // The Search's 'validation' input when connected: candidates are scored on these tasks (at most
  // validationExamples of each) and the winner on all of the Evaluate node's own tasks. Else both come from
  // the Evaluate node's tasks, split by position.
  std::optional<PortRef> validationTasks;

  std::string error; // one line, "" when the search can run
  std::string errorParam;
  bool ok() const { return error.empty(); }
};

const std::vector<std::string>& searchAlgorithmNames(); // cmaes (the default), greedy_soup, adamerging

// The plan of Search node `search`; an unconnected 'scores' gives an empty error and no target (generic
// validation reports it).
SearchPlan planSearch(const Document& document, NodeId search);

// `document` with the target's input weights set to `weights` and, when `densities` is not empty, a
// per-input density rule for each input, then `extraRules`, put before the node's own rules, so they win.
Document searchCandidate(const Document& document, const SearchPlan& plan, const std::vector<double>& weights,
                         const std::vector<double>& densities = {}, const std::string& extraRules = {});

// `document` with the scored Evaluate node restricted to its tasks' examples [first, first + count)
// (count 0: to the end).
Document restrictEvaluation(const Document& document, const SearchPlan& plan, std::int64_t first,
                            std::int64_t count);

// The document whose scored Evaluate node scores candidates (the validation examples), and the one whose
// Evaluate node tests the winner (the test examples): restrictEvaluation's split of one task set, or the
// 'validation' input's tasks and the Evaluate node's own.
Document validationDocument(const Document& document, const SearchPlan& plan);
Document testDocument(const Document& document, const SearchPlan& plan);

// Adds the winner to `document` as an ordinary merge node: a copy of the target (same method and
// parameters) with the winner's weights, densities and `extraRules` (AdaMerging's per-tensor weights) put
// before its own rules, fed by the same inputs, placed below the target and titled "<target> (searched)".
// Returns its id. Throws std::invalid_argument when a value is refused.
NodeId addSearchWinner(Document& document, const SearchPlan& plan, const std::vector<double>& weights,
                       const std::vector<double>& densities = {}, const std::string& extraRules = {});

} // namespace mg::graph
