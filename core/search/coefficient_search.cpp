#include "search/coefficient_search.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "search/cma_es.h"

namespace mg::search {

const Candidate& bestCandidate(const std::vector<Candidate>& candidates) {
  if (candidates.empty()) throw std::invalid_argument("no candidate was evaluated");
  std::size_t best = 0;
  for (std::size_t i = 1; i < candidates.size(); ++i)
    if (candidates[i].score >= candidates[best].score) best = i;
  return candidates[best];
}

namespace {

// Evaluates a point, records it and tells the listener.
class Evaluations {
public:
  Evaluations(const Objective& objective, const CandidateListener& listener)
      : objective_(objective), listener_(listener) {}

  const Candidate& evaluate(std::vector<double> point, std::string note) {
    Candidate candidate;
    candidate.index = int(all_.size());
    candidate.score = objective_(point);
    candidate.point = std::move(point);
    candidate.note = std::move(note);
    all_.push_back(std::move(candidate));
    if (all_.size() == 1 || all_.back().score >= all_[best_].score) best_ = all_.size() - 1;
    if (listener_) listener_(all_.back(), all_[best_]);
    return all_.back();
  }
  std::vector<Candidate> take() { return std::move(all_); }

private:
  const Objective& objective_;
  const CandidateListener& listener_;
  std::vector<Candidate> all_;
  std::size_t best_ = 0;
};

} // namespace

std::vector<Candidate> greedySoup(int ingredients, const Objective& objective,
                                  const CandidateListener& listener) {
  if (ingredients < 1) throw std::invalid_argument("a greedy soup needs at least one ingredient");
  Evaluations evaluations(objective, listener);
  std::vector<double> alone(std::size_t(ingredients), 0.0);
  std::vector<std::pair<double, int>> ranked;
  for (int i = 0; i < ingredients; ++i) {
    std::vector<double> point(std::size_t(ingredients), 0.0);
    point[std::size_t(i)] = 1.0;
    ranked.push_back({evaluations.evaluate(point, "ingredient " + std::to_string(i + 1)).score, i});
  }
  // Best first; equal scores keep input order.
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<double> soup(std::size_t(ingredients), 0.0);
  soup[std::size_t(ranked.front().second)] = 1.0;
  double soupScore = ranked.front().first;
  for (std::size_t k = 1; k < ranked.size(); ++k) {
    const int next = ranked[k].second;
    std::vector<double> trial = soup;
    trial[std::size_t(next)] = 1.0;
    const double score = evaluations.evaluate(trial, "soup + " + std::to_string(next + 1)).score;
    if (score >= soupScore) {
      soup = std::move(trial);
      soupScore = score;
    }
  }
  return evaluations.take();
}

std::vector<Candidate> cmaesSearch(const SearchBox& box, int budget, std::uint64_t seed,
                                   const Objective& objective, const CandidateListener& listener) {
  const std::size_t n = box.start.size();
  if (n == 0 || box.lower.size() != n || box.upper.size() != n)
    throw std::invalid_argument("the search box needs a start, lower and upper bound per coordinate");
  if (budget < 1) throw std::invalid_argument("the search needs a budget of at least one evaluation");
  for (std::size_t i = 0; i < n; ++i)
    if (!(box.lower[i] < box.upper[i]))
      throw std::invalid_argument("each coordinate's lower bound must be below its upper bound");

  // CMA-ES works in the unit box, where one step size suits every coordinate.
  auto toBox = [&](const std::vector<double>& unit, double& outside) {
    std::vector<double> point(n);
    outside = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double u = std::clamp(unit[i], 0.0, 1.0);
      outside += (unit[i] - u) * (unit[i] - u);
      point[i] = box.lower[i] + u * (box.upper[i] - box.lower[i]);
    }
    return point;
  };
  std::vector<double> start(n);
  for (std::size_t i = 0; i < n; ++i)
    start[i] = std::clamp((box.start[i] - box.lower[i]) / (box.upper[i] - box.lower[i]), 0.0, 1.0);

  Evaluations evaluations(objective, listener);
  double outside = 0;
  evaluations.evaluate(toBox(start, outside), "start");
  CmaEs strategy(start, 0.3, seed);
  int used = 1, generation = 0;
  while (used < budget) {
    ++generation;
    const auto asked = strategy.ask();
    std::vector<double> values;
    for (const auto& unit : asked) {
      if (used >= budget) break;
      const auto& candidate =
          evaluations.evaluate(toBox(unit, outside), "generation " + std::to_string(generation));
      values.push_back(-candidate.score + outside);
      ++used;
    }
    if (values.size() < asked.size()) break; // the budget ended inside this generation
    strategy.tell(values);
  }
  return evaluations.take();
}

} // namespace mg::search
