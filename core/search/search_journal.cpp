#include "search/search_journal.h"

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "util/number_text.h"

namespace mg::search {

SearchJournal::SearchJournal(std::string path) : path_(std::move(path)) {
  std::ifstream in(path_);
  if (!in) return; // a new journal
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const auto tab = line.rfind('\t');
    const auto score = tab == std::string::npos ? std::nullopt : util::parseFiniteReal(line.substr(tab + 1));
    if (!score)
      throw std::runtime_error(path_ + ":" + std::to_string(number) +
                               ": not a search journal entry (candidate, a tab, a score)");
    scores_[line.substr(0, tab)] = *score;
  }
}

std::optional<double> SearchJournal::find(const std::string& candidate) const {
  std::lock_guard lock(mutex_);
  const auto found = scores_.find(candidate);
  if (found == scores_.end()) return std::nullopt;
  return found->second;
}

void SearchJournal::record(const std::string& candidate, double score) {
  std::lock_guard lock(mutex_);
  scores_[candidate] = score;
  if (path_.empty() || !appends_) return;
  std::ofstream out(path_, std::ios::app);
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", score);
  out << candidate << '\t' << text << '\n';
  out.flush();
  if (!out) throw std::runtime_error(path_ + ": cannot write the search journal");
}

std::size_t SearchJournal::size() const {
  std::lock_guard lock(mutex_);
  return scores_.size();
}

std::string SearchJournal::key(const std::vector<std::pair<std::string, std::vector<double>>>& parts) {
  std::string text;
  for (const auto& [name, values] : parts) {
    if (!text.empty()) text += " | ";
    text += name;
    for (const double v : values) {
      char number[40];
      std::snprintf(number, sizeof number, " %.17g", v);
      text += number;
    }
  }
  return text;
}

} // namespace mg::search
