#include "graph/merge_rules.h"

#include <algorithm>
#include <stdexcept>

#include "ops/method_schemas.h"
#include "util/number_text.h"

namespace mg::graph {

namespace {

std::string trimmedRule(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// Splits at `separators` outside parentheses (a gradient's commas stay in its rule).
std::vector<std::string> splitTopLevel(const std::string& text, const std::string& separators) {
  std::vector<std::string> parts;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '(' || c == '[') ++depth;
    if ((c == ')' || c == ']') && depth > 0) --depth;
    if (depth == 0 && separators.find(c) != std::string::npos) {
      parts.push_back(trimmedRule(current));
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(trimmedRule(current));
  std::vector<std::string> kept;
  for (auto& p : parts)
    if (!p.empty()) kept.push_back(std::move(p));
  return kept;
}

// A positive 1-based number, returned 0-based.
std::size_t ordinal(const std::string& text, const std::string& rule) {
  const auto n = util::parseInteger(text);
  if (!n || *n < 1) throw std::invalid_argument("'" + rule + "': '" + text + "' is not a number from 1");
  return static_cast<std::size_t>(*n - 1);
}

int layerNumber(const std::string& text, const std::string& slice) {
  const auto n = util::parseInteger(text);
  if (!n || *n < 0 || *n > 1'000'000)
    throw std::invalid_argument("slice '" + slice + "': '" + text + "' is not a layer number");
  return static_cast<int>(*n);
}

MergeRuleText parseRule(const std::string& text) {
  MergeRuleText rule;
  std::string body = text;
  // The scope ends at the first ':' before the name; a filter's "sub:" comes after '@'.
  const auto colon = text.find(':');
  const auto at = text.find('@');
  const auto eq = text.find('=');
  if (colon != std::string::npos && colon < std::min(at, eq)) {
    const std::string scope = trimmedRule(text.substr(0, colon));
    body = trimmedRule(text.substr(colon + 1));
    if (scope.rfind("models ", 0) == 0) {
      rule.scope = MergeRuleText::Scope::Input;
      rule.input = ordinal(trimmedRule(scope.substr(7)), text);
    } else if (scope.rfind("slice ", 0) == 0) {
      const std::string where = trimmedRule(scope.substr(6));
      const auto dot = where.find('.');
      rule.slice = ordinal(where.substr(0, dot), text);
      rule.scope = MergeRuleText::Scope::Slice;
      if (dot != std::string::npos) {
        rule.scope = MergeRuleText::Scope::SliceSource;
        rule.source = ordinal(where.substr(dot + 1), text);
      }
    } else {
      throw std::invalid_argument("'" + text + "': the scope must be 'models N' or 'slice S[.K]', got '" +
                                  scope + "'");
    }
  }
  const auto bodyEq = body.find('=');
  if (bodyEq == std::string::npos || bodyEq == 0 || bodyEq + 1 == body.size())
    throw std::invalid_argument("'" + text + "' is not NAME[@FILTER]=VALUE");
  std::string lhs = trimmedRule(body.substr(0, bodyEq));
  std::string rhs = trimmedRule(body.substr(bodyEq + 1));
  if (const auto bodyAt = lhs.find('@'); bodyAt != std::string::npos) {
    rule.filter = lhs.substr(bodyAt + 1);
    lhs = trimmedRule(lhs.substr(0, bodyAt));
    if (rule.filter.empty()) throw std::invalid_argument("'" + text + "' has an empty filter");
  }
  rule.name = lhs;
  if (rule.name.empty() || rule.name.find_first_of(" \t") != std::string::npos)
    throw std::invalid_argument("'" + text + "' does not start with a parameter name");
  if (rhs.rfind("grad(", 0) == 0) {
    if (rhs.back() != ')') throw std::invalid_argument("'" + text + "': grad( has no closing ')'");
    rule.gradient = true;
    for (const auto& v : splitTopLevel(rhs.substr(5, rhs.size() - 6), ","))
      rule.values.push_back(v);
    if (rule.values.empty()) throw std::invalid_argument("'" + text + "': grad() lists no value");
  } else {
    rule.values = {rhs};
  }
  return rule;
}

} // namespace

const std::vector<std::string>& mergeRecipeParamNames() {
  static const std::vector<std::string> names = {
      "rules",        "slices", "dtype", "tokenizer_source", "tokenizer_model", "pad_to_multiple_of",
      "chat_template"};
  return names;
}

bool isMergeRecipeParam(const std::string& name) {
  const auto& names = mergeRecipeParamNames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool mergeTakesParam(const std::string& method, const std::string& name) {
  const auto names = ops::perModelParamsOf(method);
  return std::find(names.begin(), names.end(), name) != names.end() || ops::mergeMethod(method).param(name);
}

std::string MergeRuleText::body() const {
  std::string s = name;
  if (!filter.empty()) s += "@" + filter;
  s += "=";
  if (!gradient) return s + (values.empty() ? "" : values.front());
  std::string list;
  for (const auto& v : values)
    list += (list.empty() ? "" : ",") + v;
  return s + "grad(" + list + ")";
}

std::string MergeRuleText::text() const {
  switch (scope) {
  case Scope::All: return body();
  case Scope::Input: return "models " + std::to_string(input + 1) + ": " + body();
  case Scope::Slice: return "slice " + std::to_string(slice + 1) + ": " + body();
  case Scope::SliceSource:
    return "slice " + std::to_string(slice + 1) + "." + std::to_string(source + 1) + ": " + body();
  }
  return body();
}

std::vector<MergeRuleText> parseMergeRules(const std::string& text) {
  std::vector<MergeRuleText> rules;
  for (const auto& part : splitTopLevel(text, ";\n"))
    rules.push_back(parseRule(part));
  return rules;
}

std::vector<SliceText> parseMergeSlices(const std::string& text) {
  std::vector<SliceText> slices;
  for (const auto& sliceText : splitTopLevel(text, ";\n")) {
    SliceText slice;
    for (const auto& sourceText : splitTopLevel(sliceText, ",")) {
      const auto open = sourceText.find('[');
      const auto colon = sourceText.find(':', open == std::string::npos ? 0 : open);
      if (open == std::string::npos || colon == std::string::npos || sourceText.back() != ']')
        throw std::invalid_argument("slice '" + sliceText + "': '" + sourceText +
                                    "' is not SOURCE[START:END]");
      SliceSourceText source;
      const std::string who = trimmedRule(sourceText.substr(0, open));
      if (who != "base") source.input = ordinal(who, sliceText);
      source.layerStart = layerNumber(trimmedRule(sourceText.substr(open + 1, colon - open - 1)), sliceText);
      source.layerEnd =
          layerNumber(trimmedRule(sourceText.substr(colon + 1, sourceText.size() - colon - 2)), sliceText);
      if (source.layerEnd <= source.layerStart)
        throw std::invalid_argument("slice '" + sliceText + "': '" + sourceText +
                                    "' has no layer (END must be above START)");
      slice.push_back(source);
    }
    slices.push_back(std::move(slice));
  }
  return slices;
}

std::string mergeRulesText(const std::vector<MergeRuleText>& rules) {
  std::string s;
  for (const auto& r : rules)
    s += (s.empty() ? "" : "; ") + r.text();
  return s;
}

std::string mergeSlicesText(const std::vector<SliceText>& slices) {
  std::string s;
  for (const auto& slice : slices) {
    std::string one;
    for (const auto& src : slice)
      one += (one.empty() ? "" : ", ") + (src.input ? std::to_string(*src.input + 1) : std::string("base")) +
             "[" + std::to_string(src.layerStart) + ":" + std::to_string(src.layerEnd) + "]";
    s += (s.empty() ? "" : "; ") + one;
  }
  return s;
}

} // namespace mg::graph
