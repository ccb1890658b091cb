#pragma once
// Splitting a piece of text on delimiters, with the five behaviours of the tokenizers library
// (SplitDelimiterBehavior): what becomes of each delimiter and the text around it.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "text/tokenizer_parts.h"

namespace mg::text {

enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

// Reads "Removed", "Isolated", ...; throws FormatError naming `what`.
SplitBehavior splitBehavior(const std::string& name, const std::string& what);

// The delimiters of a text of `length` bytes as byte ranges (leftmost first, not overlapping); `invert`:
// the ranges are what is kept and the rest delimits. Appends the resulting non-empty pieces of `piece`.
void splitPiece(const Piece& piece, const std::vector<std::pair<std::size_t, std::size_t>>& delimiters,
                SplitBehavior behavior, bool invert, std::vector<Piece>& out);

} // namespace mg::text
