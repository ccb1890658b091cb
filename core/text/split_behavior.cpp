#include "text/split_behavior.h"

#include <algorithm>

namespace mg::text {

SplitBehavior splitBehavior(const std::string& name, const std::string& what) {
  if (name == "Removed") return SplitBehavior::Removed;
  if (name == "Isolated") return SplitBehavior::Isolated;
  if (name == "MergedWithPrevious") return SplitBehavior::MergedWithPrevious;
  if (name == "MergedWithNext") return SplitBehavior::MergedWithNext;
  if (name == "Contiguous") return SplitBehavior::Contiguous;
  throw FormatError(what + ": unknown behavior \"" + name +
                    "\" (one of Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous)");
}

namespace {

struct Span {
  std::size_t begin, end;
  bool delimiter;
};

} // namespace

// Follows NormalizedString::split of the tokenizers library step by step (including that two adjacent
// delimiters stay apart under MergedWithPrevious / MergedWithNext).
void splitPiece(const Piece& piece, const std::vector<std::pair<std::size_t, std::size_t>>& delimiters,
                SplitBehavior behavior, bool invert, std::vector<Piece>& out) {
  const std::size_t length = piece.text.size();
  std::vector<Span> spans;
  std::size_t previous = 0;
  for (const auto& [begin, end] : delimiters) {
    if (begin != previous) spans.push_back({previous, begin, invert});
    spans.push_back({begin, end, !invert});
    previous = end;
  }
  if (previous != length) spans.push_back({previous, length, invert});

  std::vector<Span> kept; // `delimiter` now means "remove"
  bool previousDelimiter = false;
  switch (behavior) {
  case SplitBehavior::Removed: kept = spans; break;
  case SplitBehavior::Isolated:
    for (const Span& s : spans)
      kept.push_back({s.begin, s.end, false});
    break;
  case SplitBehavior::Contiguous:
    for (const Span& s : spans) {
      if (s.delimiter == previousDelimiter && !kept.empty())
        kept.back().end = s.end;
      else
        kept.push_back({s.begin, s.end, false});
      previousDelimiter = s.delimiter;
    }
    break;
  case SplitBehavior::MergedWithPrevious:
    for (const Span& s : spans) {
      if (s.delimiter && !previousDelimiter && !kept.empty())
        kept.back().end = s.end;
      else
        kept.push_back({s.begin, s.end, false});
      previousDelimiter = s.delimiter;
    }
    break;
  case SplitBehavior::MergedWithNext:
    for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
      if (it->delimiter && !previousDelimiter && !kept.empty())
        kept.back().begin = it->begin;
      else
        kept.push_back({it->begin, it->end, false});
      previousDelimiter = it->delimiter;
    }
    std::reverse(kept.begin(), kept.end());
    break;
  }
  for (const Span& s : kept) {
    if (s.delimiter || s.end == s.begin) continue;
    out.push_back({piece.text.substr(s.begin, s.end - s.begin), piece.atStart && s.begin == 0});
  }
}

} // namespace mg::text
