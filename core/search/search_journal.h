#pragma once
// The scores a coefficient search has already computed, keyed by the candidate, so that a search stopped
// (cancelled, or a budget raised) and run again replays them without merging and evaluating again. The
// searches are deterministic (search/coefficient_search.h), so a replay asks for the same candidates in the
// same order and resumes where the first run stopped.
//
// Kept in memory (the GUI's engine keeps one per search for the session) and, when given a file, appended
// to it one line per score ("<candidate>\t<score>"), flushed at once, so that a search killed mid-way keeps
// every score it finished. Plain C++.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace mg::search {

class SearchJournal {
public:
  // In memory only.
  SearchJournal() = default;
  // Reads `path` when it exists and appends to it from then on. Throws std::runtime_error
  // "<path>:<line>: ..." for a line that is not a journal entry.
  explicit SearchJournal(std::string path);

  // From now on record() keeps scores in memory only: the ranks of an MPI job other than the root read the
  // file as the root does, but only the root appends to it.
  void stopAppending() { appends_ = false; }

  std::optional<double> find(const std::string& candidate) const;
  // Throws std::runtime_error naming the file when it cannot be written.
  void record(const std::string& candidate, double score);
  std::size_t size() const;
  const std::string& path() const { return path_; }

  // The key of a candidate: its coordinates in shortest round-trip form, with what they mean ("weights"),
  // e.g. "weights 1 0.25 0 | density 0.5 0.5".
  static std::string key(const std::vector<std::pair<std::string, std::vector<double>>>& parts);

private:
  std::string path_;
  bool appends_ = true;
  mutable std::mutex mutex_;
  std::map<std::string, double> scores_;
};

} // namespace mg::search
