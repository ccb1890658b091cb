#pragma once
// Black-box searches over a merge node's coefficients (one weight per input, optionally one density per
// input), maximising a score the caller computes: the engine's Search node merges and evaluates each
// candidate on validation examples (engine/runners/search_runner.cpp). Plain C++ and deterministic for a
// seed, so a stopped search run again with its journal of scores (search/search_journal.h) replays the
// same candidates instantly and goes on where it stopped.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mg::search {

struct Candidate {
  int index = 0;             // 0-based, in the order evaluated
  std::vector<double> point; // the coordinates evaluated (within the bounds)
  double score = 0;          // what the objective returned (higher is better)
  std::string note;          // "ingredient 3", "soup + 2 (kept)", "generation 2"
};

using Objective = std::function<double(const std::vector<double>& point)>;
// Called after every evaluation with it and the best so far.
using CandidateListener = std::function<void(const Candidate& latest, const Candidate& best)>;

// Greedy soup (Wortsman et al., ICML 2022): each of `ingredients` inputs alone (a one-hot weight vector),
// then, best first, each added to the soup (weight 1 for every member) when the soup's score does not drop.
// 2n − 1 evaluations; the result is never worse than the best ingredient. Returns every candidate;
// bestCandidate() of them is the final soup (a kept soup scores at least as well as everything before it).
std::vector<Candidate> greedySoup(int ingredients, const Objective& objective,
                                  const CandidateListener& listener = {});

struct SearchBox {
  std::vector<double> start, lower, upper; // per coordinate; start is clamped into [lower, upper]
};

// CMA-ES (search/cma_es.h) from box.start with a step of 30 % of each range (coordinates scaled to the
// unit box), for `budget` evaluations (the last generation is cut short). Candidates outside the box are
// evaluated at their projection onto it and ranked with a penalty for the distance, so the search stays
// inside. Throws std::invalid_argument for an empty or inconsistent box or a budget below 1.
std::vector<Candidate> cmaesSearch(const SearchBox& box, int budget, std::uint64_t seed,
                                   const Objective& objective, const CandidateListener& listener = {});

// The best of `candidates` (the last of equals: a greedy soup's latest kept soup); throws
// std::invalid_argument when there are none.
const Candidate& bestCandidate(const std::vector<Candidate>& candidates);

} // namespace mg::search
