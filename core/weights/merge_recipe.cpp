#include "weights/merge_recipe.h"

#include <algorithm>
#include <stdexcept>

#include "ops/method_schemas.h"

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

// "NAME@sub:TEXT=VALUE": mergekit's substring filter instead of a regex.
constexpr const char* kSubstringPrefix = "sub:";

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
    if (rule.filter.rfind(kSubstringPrefix, 0) == 0) {
      rule.filter.erase(0, std::string(kSubstringPrefix).size());
      rule.syntax = FilterSyntax::Mergekit;
    }
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

std::pair<int, ParamRule> parseModelParamRule(const std::string& text) {
  const auto colon = text.find(':');
  const std::string number = colon == std::string::npos ? std::string() : text.substr(0, colon);
  int n = 0;
  if (!number.empty() && number.find_first_not_of("0123456789") == std::string::npos && number.size() < 6)
    n = std::stoi(number);
  if (n < 1)
    throw std::invalid_argument("model parameter '" + text +
                                "' is not N:NAME=VALUE (N: a model number from 1)");
  return {n - 1, parseParamRule(text.substr(colon + 1))};
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

ComputeDtype parseComputeDtype(const std::string& text) {
  if (text == "auto") return ComputeDtype::Auto;
  if (text == "f32" || text == "float32") return ComputeDtype::F32;
  if (text == "bf16" || text == "bfloat16") return ComputeDtype::BF16;
  if (text == "f16" || text == "float16") return ComputeDtype::F16;
  throw std::invalid_argument("compute dtype must be auto, f32, bf16 or f16, got '" + text + "'");
}

std::string toString(ComputeDtype dtype) {
  switch (dtype) {
  case ComputeDtype::F32: return "f32";
  case ComputeDtype::BF16: return "bf16";
  case ComputeDtype::F16: return "f16";
  case ComputeDtype::Auto: break;
  }
  return "auto";
}

bool isPerModelParam(const std::string& name) {
  const auto& names = ops::perModelParamNames();
  return std::find(names.begin(), names.end(), name) != names.end();
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
