#include "weights/merge_recipe.h"

#include <stdexcept>

namespace mg::engine {
namespace {

std::vector<std::string> splitList(const std::string& s) {
  std::vector<std::string> out;
  std::string item;
  for (char c : s) {
    if (c == ',') {
      out.push_back(item);
      item.clear();
    } else if (c != ' ') {
      item += c;
    }
  }
  out.push_back(item);
  return out;
}

} // namespace

ParamRule parseParamRule(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw std::invalid_argument("parameter '" + text + "' is not NAME=VALUE");
  ParamRule rule;
  std::string lhs = text.substr(0, eq);
  const std::string rhs = text.substr(eq + 1);
  if (const auto at = lhs.find('@'); at != std::string::npos) {
    rule.filter = lhs.substr(at + 1);
    lhs = lhs.substr(0, at);
  }
  rule.name = lhs;
  if (rhs.rfind("grad(", 0) == 0 && rhs.size() > 6 && rhs.back() == ')') {
    rule.values = splitList(rhs.substr(5, rhs.size() - 6));
    for (const auto& v : rule.values)
      if (v.empty()) throw std::invalid_argument("parameter '" + text + "' has an empty gradient value");
  } else {
    rule.values = {rhs};
  }
  if (rule.name.empty() || rhs.empty())
    throw std::invalid_argument("parameter '" + text + "' is not NAME=VALUE");
  return rule;
}

TakeRule parseTakeRule(const std::string& text) {
  const auto eq = text.rfind('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    throw std::invalid_argument("take rule '" + text + "' is not FILTER=INPUT");
  TakeRule rule;
  rule.filter = text.substr(0, eq);
  const std::string which = text.substr(eq + 1);
  if (which == "base") {
    rule.input = -1;
  } else {
    std::size_t used = 0;
    int n = 0;
    try {
      n = std::stoi(which, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != which.size() || n < 1)
      throw std::invalid_argument("take rule '" + text + "': INPUT must be a model number from 1 or 'base'");
    rule.input = n - 1;
  }
  return rule;
}

int layerIndexOf(const std::string& name) {
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto end = std::min(name.find('.', start), name.size());
    const std::string part = name.substr(start, end - start);
    if (!part.empty() && part.find_first_not_of("0123456789") == std::string::npos && part.size() < 9)
      return std::stoi(part);
    start = end + 1;
  }
  return -1;
}

} // namespace mg::engine
