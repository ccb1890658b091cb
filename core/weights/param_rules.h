#pragma once
// Evaluates a recipe's parameter rules for one tensor as mergekit's evaluate_setting does: the first rule of
// a name whose filter matches wins; a gradient is read at the tensor's position t. Per-model values (weight,
// density, gamma, epsilon, scale) are looked up in the input's rules before the recipe-wide ones and handed
// to the kernels as per-input vectors (ops::MergeParams::densities, gammas, epsilons).
#include "weights/merge_recipe.h"

#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace mg::ops {
struct MergeParams;
struct MethodInfo;
} // namespace mg::ops

namespace mg::engine {

// mergekit's t of a tensor (plan.py): i/(n−1) for layer i of n layers, 1 when n = 1; 0 outside the layers.
double gradientPosition(int layer, int layerCount);

// The value of one rule at t: one value as is; a gradient of numbers interpolated linearly between its two
// neighbouring entries, of other values stepped (values[int(t·(n−1))]). Throws std::invalid_argument
// naming the parameter when a gradient mixes numbers and text.
std::string ruleValueAt(const ParamRule& rule, double t);

// A list of rules with their filters compiled.
class ParamRules {
public:
  ParamRules() = default;
  // Throws std::invalid_argument naming the parameter when a regex filter does not compile.
  explicit ParamRules(std::vector<ParamRule> rules);

  bool matches(std::size_t rule, const std::string& tensorName) const;
  // The first rule named `name` that matches, evaluated at t; nullopt when none does.
  std::optional<std::string> value(const std::string& name, const std::string& tensorName, double t) const;
  // NAME=VALUE for each name some rule gives the tensor (first match per name), skipping `skip` names.
  std::vector<std::string> assignments(const std::string& tensorName, double t,
                                       const std::vector<std::string>& skip = {}) const;
  const std::vector<ParamRule>& rules() const { return rules_; }

private:
  std::vector<ParamRule> rules_;
  std::vector<std::optional<std::regex>> regexes_; // nullopt: mergekit substring filter or no filter
};

// The names filters are matched against when they differ from the names a merge sees (a slice's merge sees
// its layers from 0): `output` for recipe-wide values, `input` for the per-model values of input i. Unset:
// the tensor's name.
struct RuleNaming {
  std::function<std::string(const std::string&)> output;
  std::function<std::string(const std::string&, std::size_t)> input;
};

// The rules of a whole recipe: recipe-wide and per input.
class RecipeRules {
public:
  RecipeRules() = default;
  // Checks the rules against the method: per-input rules may only name per-model parameters the method
  // takes, values must be numbers in range ("input 2: density must be in (0, 1], got 1.5"). A `weight`
  // the method ignores is a warning, as mergekit ignores it.
  RecipeRules(const MergeRecipe& recipe, const ops::MethodInfo& method, std::vector<std::string>& warnings,
              RuleNaming naming = {});

  // The recipe-wide NAME=VALUE assignments for a tensor (without `weight`, which is per model only).
  std::vector<std::string> assignments(const std::string& tensorName, double t) const;
  // Sets the per-model values of a tensor for the inputs `present` (indices into the recipe's inputs, in
  // the order they are passed to the merge): `weights` gets one weight each, `params` the per-input
  // densities / gammas / epsilons (left empty when no rule gives one) and scale.
  void applyPerModel(const std::vector<std::size_t>& present, const std::string& tensorName, double t,
                     std::vector<double>& weights, ops::MergeParams& params) const;

private:
  std::optional<double> perModel(std::size_t input, const std::string& name, const std::string& tensorName,
                                 double t) const;

  ParamRules recipe_;
  std::vector<ParamRules> inputs_;
  RuleNaming naming_;
  std::vector<double> defaultWeights_;
};

} // namespace mg::engine
