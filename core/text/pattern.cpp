#include "text/pattern.h"

#include <nlohmann/json.hpp>

namespace mg::text {

Pattern::Pattern(const Json& config, const std::string& what) {
  if (const Json* s = optionalMember(config, "String"); s && s->is_string()) {
    literal_ = s->get<std::string>();
  } else if (const Json* r = optionalMember(config, "Regex"); r && r->is_string()) {
    try {
      regex_ = std::make_shared<Regex>(r->get<std::string>());
    } catch (const FormatError& e) {
      throw FormatError(what + ": " + e.what());
    }
  } else {
    throw FormatError(what + ": pattern is neither {\"String\": ...} nor {\"Regex\": ...}");
  }
}

std::vector<std::pair<std::size_t, std::size_t>> Pattern::findAll(std::string_view text) const {
  if (regex_) return regex_->findAll(text);
  std::vector<std::pair<std::size_t, std::size_t>> matches;
  if (literal_.empty()) return matches;
  for (std::size_t at = text.find(literal_); at != std::string_view::npos;
       at = text.find(literal_, at + literal_.size()))
    matches.emplace_back(at, at + literal_.size());
  return matches;
}

std::string Pattern::replaceAll(std::string_view text, const std::string& content) const {
  std::string out;
  std::size_t previous = 0;
  for (const auto& [begin, end] : findAll(text)) {
    out.append(text.substr(previous, begin - previous));
    out += content;
    previous = end;
  }
  out.append(text.substr(previous));
  return out;
}

} // namespace mg::text
