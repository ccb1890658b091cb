#include "weights/param_rules.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "ops/family_methods.h"
#include "ops/method_schemas.h"
#include "util/number_text.h"

namespace mg::engine {
namespace {

std::string ruleNumberText(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value); // shortest exact round trip
  return std::string(buffer, result.ptr);
}

std::string inputLabel(const MergeRecipe& recipe, std::size_t i) {
  return "input " + std::to_string(i + 1) + " (" + recipe.inputs[i].label + ")";
}

// Whether `method` reads per-model `name` (mergekit's tensor_parameters()).
bool takesPerModel(const ops::MethodInfo& method, const std::string& name) {
  if (name == "weight") return true; // ignored by some methods: a warning, not an error
  if (name == "epsilon")             // DELLA's per-model spread; RAM's epsilon is recipe-wide
    return method.param(name) && ops::findFamilyMethod(method.name);
  return method.param(name) != nullptr;
}

// Every value of a per-model rule is a number, in the parameter's range.
void checkPerModelValues(const ParamRule& rule, const std::string& owner) {
  for (const auto& v : rule.values) {
    const auto number = util::parseFiniteReal(v);
    if (!number) throw std::invalid_argument(owner + rule.name + " must be a number, got '" + v + "'");
    if (rule.name == "weight") continue;
    const auto& spec = ops::paramSpec(rule.name);
    if (!spec.inRange(*number))
      throw std::invalid_argument(owner + rule.name + " must be in " + spec.rangeText() + ", got " + v);
  }
}

} // namespace

double gradientPosition(int layer, int layerCount) {
  if (layer < 0) return 0.0;
  return layerCount > 1 ? double(layer) / double(layerCount - 1) : 1.0;
}

std::string ruleValueAt(const ParamRule& rule, double t) {
  if (rule.values.size() == 1) return rule.values.front();
  if (rule.values.empty()) throw std::invalid_argument("parameter " + rule.name + " has no value");
  std::vector<double> numbers;
  for (const auto& v : rule.values)
    if (const auto n = util::parseFiniteReal(v)) numbers.push_back(*n);
  const double scaled = t * double(rule.values.size() - 1);
  const auto i0 = static_cast<std::size_t>(scaled);
  if (numbers.empty()) return rule.values[i0]; // mergekit steps through lists of non-numbers
  if (numbers.size() != rule.values.size())
    throw std::invalid_argument("parameter " + rule.name + ": a gradient mixes numbers and text");
  const auto i1 = std::min(numbers.size() - 1, i0 + 1);
  const double frac = scaled - double(i0);
  return ruleNumberText((1 - frac) * numbers[i0] + frac * numbers[i1]);
}

ParamRules::ParamRules(std::vector<ParamRule> rules) : rules_(std::move(rules)) {
  for (const auto& rule : rules_) {
    if (rule.syntax != FilterSyntax::Regex || rule.filter.empty()) {
      regexes_.emplace_back();
      continue;
    }
    try {
      regexes_.emplace_back(std::regex(rule.filter));
    } catch (const std::regex_error&) {
      throw std::invalid_argument("parameter " + rule.name + ": filter '" + rule.filter +
                                  "' is not a valid regex");
    }
  }
}

bool ParamRules::matches(std::size_t i, const std::string& tensorName) const {
  const ParamRule& rule = rules_[i];
  if (rule.filter.empty()) return true;
  if (rule.syntax == FilterSyntax::Mergekit)
    return rule.filter == "*" || tensorName.find(rule.filter) != std::string::npos;
  return std::regex_search(tensorName, *regexes_[i]);
}

std::optional<std::string> ParamRules::value(const std::string& name, const std::string& tensorName,
                                             double t) const {
  for (std::size_t i = 0; i < rules_.size(); ++i)
    if (rules_[i].name == name && matches(i, tensorName)) return ruleValueAt(rules_[i], t);
  return std::nullopt;
}

std::vector<std::string> ParamRules::assignments(const std::string& tensorName, double t,
                                                 const std::vector<std::string>& skip) const {
  std::vector<std::string> out, seen = skip;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const auto& name = rules_[i].name;
    if (std::find(seen.begin(), seen.end(), name) != seen.end() || !matches(i, tensorName)) continue;
    seen.push_back(name); // first match wins
    out.push_back(name + "=" + ruleValueAt(rules_[i], t));
  }
  return out;
}

RecipeRules::RecipeRules(const MergeRecipe& recipe, const ops::MethodInfo& method,
                         std::vector<std::string>& warnings, RuleNaming naming)
    : recipe_(recipe.params), naming_(std::move(naming)) {
  bool weightGiven = false;
  for (const auto& rule : recipe.params) {
    if (rule.name != "weight") continue;
    checkPerModelValues(rule, "");
    weightGiven = true;
  }
  for (std::size_t i = 0; i < recipe.inputs.size(); ++i) {
    const std::string owner = inputLabel(recipe, i) + ": ";
    for (const auto& rule : recipe.inputs[i].params) {
      if (!isPerModelParam(rule.name))
        throw std::invalid_argument(owner + rule.name +
                                    " is not a per-model parameter (weight, density, gamma, epsilon, scale)");
      if (!takesPerModel(method, rule.name))
        throw std::invalid_argument(owner + "method " + method.name + " takes no per-model " + rule.name);
      checkPerModelValues(rule, owner);
      weightGiven = weightGiven || rule.name == "weight";
    }
    try {
      inputs_.emplace_back(recipe.inputs[i].params);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(owner + e.what());
    }
    defaultWeights_.push_back(recipe.inputs[i].weight);
  }
  if (weightGiven && !method.usesWeights)
    warnings.push_back("method " + method.name + " ignores the inputs' weights");
}

std::vector<std::string> RecipeRules::assignments(const std::string& tensorName, double t) const {
  return recipe_.assignments(naming_.output ? naming_.output(tensorName) : tensorName, t, {"weight"});
}

std::optional<double> RecipeRules::perModel(std::size_t input, const std::string& name,
                                            const std::string& localName, double t) const {
  // mergekit evaluates every level of a per-model value on the input's own tensor name.
  const std::string tensorName = naming_.input ? naming_.input(localName, input) : localName;
  auto text = inputs_.at(input).value(name, tensorName, t);
  if (!text) text = recipe_.value(name, tensorName, t);
  return text ? util::parseFiniteReal(*text) : std::nullopt;
}

void RecipeRules::applyPerModel(const std::vector<std::size_t>& present, const std::string& tensorName,
                                double t, std::vector<double>& weights, ops::MergeParams& params) const {
  weights.clear();
  for (const auto i : present)
    weights.push_back(perModel(i, "weight", tensorName, t).value_or(defaultWeights_.at(i)));

  // density, gamma, epsilon: a per-input vector when some input has its own value, the others keeping the
  // recipe-wide one. A positional density list (density=0.3,0.5) follows the inputs that are present.
  const auto perInput = [&](const std::string& name, double scalar, std::vector<double>& out) {
    const bool positional = !out.empty() && out.size() == defaultWeights_.size();
    bool own = false;
    std::vector<double> values;
    for (const auto i : present) {
      const std::string inputName = naming_.input ? naming_.input(tensorName, i) : tensorName;
      const bool mine = inputs_.at(i).value(name, inputName, t).has_value();
      own = own || mine;
      const auto v = perModel(i, name, tensorName, t);
      values.push_back(mine || !positional ? v.value_or(scalar) : out[i]);
    }
    // With slices the recipe-wide value is read on each input's name, which may differ from the output's.
    if (own || positional || naming_.input) out = std::move(values);
  };
  perInput("density", params.density, params.densities);
  perInput("gamma", params.gamma, params.gammas);
  perInput("epsilon", params.epsilon, params.epsilons);
  for (const auto i : present) // passthrough: one input, whose scale is the scale
    if (const auto scale = perModel(i, "scale", tensorName, t)) params.scale = *scale;
}

} // namespace mg::engine
