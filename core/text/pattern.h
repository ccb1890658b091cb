#pragma once
// The {"String": "..."} or {"Regex": "..."} patterns of Split, Replace and their decoders.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/regex.h"
#include "text/tokenizer_parts.h"

namespace mg::text {

class Pattern {
public:
  Pattern(const Json& config, const std::string& what);
  std::vector<std::pair<std::size_t, std::size_t>> findAll(std::string_view text) const;
  std::string replaceAll(std::string_view text, const std::string& content) const;

private:
  std::string literal_;
  std::shared_ptr<const Regex> regex_; // null: a literal
};

} // namespace mg::text
