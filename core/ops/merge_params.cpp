#include "ops/merge_params.h"

#include "util/number_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>

namespace mg::ops {

namespace {

// Locale-independent number -> text (util::parseFiniteReal reads it back).
std::string realText(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

[[noreturn]] void badValue(const ParamSpec& spec, const std::string& value, const std::string& expected) {
  throw std::invalid_argument(spec.name + " must be " + expected + ", got '" + value + "'");
}

void requireInRange(const ParamSpec& spec, double value) {
  if (!spec.inRange(value)) {
    throw std::invalid_argument(spec.name + " must be in " + spec.rangeText() + ", got " + realText(value));
  }
}

double parseReal(const ParamSpec& spec, const std::string& text) {
  const auto value = util::parseFiniteReal(text);
  if (!value) {
    badValue(spec, text, "a number");
  }
  requireInRange(spec, *value);
  return *value;
}

std::vector<double> parseRealList(const ParamSpec& spec, const std::string& text) {
  std::vector<double> values;
  std::size_t start = 0;
  while (true) {
    const auto comma = text.find(',', start);
    values.push_back(parseReal(spec, text.substr(start, comma - start)));
    if (comma == std::string::npos) {
      return values;
    }
    start = comma + 1;
  }
}

bool parseBool(const ParamSpec& spec, const std::string& text) {
  const auto t = lower(text);
  if (t == "true" || t == "1" || t == "yes" || t == "on") {
    return true;
  }
  if (t == "false" || t == "0" || t == "no" || t == "off") {
    return false;
  }
  badValue(spec, text, "true or false");
}

std::uint64_t parseUnsigned(const ParamSpec& spec, const std::string& text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) {
    badValue(spec, text, "a non-negative integer");
  }
  requireInRange(spec, static_cast<double>(value));
  return value;
}

std::size_t choiceIndex(const ParamSpec& spec, const std::string& text) {
  auto value = lower(text);
  for (const auto& [earlier, now] : spec.valueAliases) {
    if (value == earlier) value = now;
  }
  const auto it = std::find(spec.choices.begin(), spec.choices.end(), value);
  if (it == spec.choices.end()) {
    std::string list;
    for (const auto& choice : spec.choices) {
      list += (list.empty() ? "" : " | ") + choice;
    }
    badValue(spec, text, "one of " + list);
  }
  return static_cast<std::size_t>(it - spec.choices.begin());
}

// The order of Rescale / Consensus enumerators matches their choice lists below.
const std::vector<std::string> kRescaleChoices = {"false", "true", "inverse_density"};
const std::vector<std::string> kConsensusChoices = {"none", "sum", "count_peft"};

// A parameter definition bound to its field of MergeParams.
struct Binding {
  explicit Binding(ParamSpec s) : spec(std::move(s)) {}

  ParamSpec spec;
  std::function<void(MergeParams&, const std::string&)> set;
  std::function<std::string(const MergeParams&)> text;
  std::function<std::vector<double>(const MergeParams&)> numbers; // numeric values, to range-check (if any)
};

ParamSpec withAliases(ParamSpec spec, std::vector<std::string> aliases) {
  spec.aliases = std::move(aliases);
  return spec;
}

ParamSpec makeSpec(std::string name, ParamType type, std::string defaultValue, std::string help,
                   std::optional<double> min = std::nullopt, std::optional<double> max = std::nullopt,
                   bool minInclusive = true, bool maxInclusive = true) {
  ParamSpec spec;
  spec.name = std::move(name);
  spec.type = type;
  spec.defaultValue = std::move(defaultValue);
  spec.help = std::move(help);
  spec.min = min;
  spec.max = max;
  spec.minInclusive = minInclusive;
  spec.maxInclusive = maxInclusive;
  return spec;
}

Binding realField(ParamSpec spec, double MergeParams::*field) {
  Binding b(std::move(spec));
  b.set = [field, s = b.spec](MergeParams& p, const std::string& v) { p.*field = parseReal(s, v); };
  b.text = [field](const MergeParams& p) { return realText(p.*field); };
  b.numbers = [field](const MergeParams& p) { return std::vector<double>{p.*field}; };
  return b;
}

Binding boolField(ParamSpec spec, bool MergeParams::*field) {
  Binding b(std::move(spec));
  b.set = [field, s = b.spec](MergeParams& p, const std::string& v) { p.*field = parseBool(s, v); };
  b.text = [field](const MergeParams& p) { return std::string(p.*field ? "true" : "false"); };
  return b;
}

// MergeParams::normalize, unset until given (the method's default applies), under `spec`'s name.
Binding normalizeField(ParamSpec spec) {
  Binding b(std::move(spec));
  b.set = [s = b.spec](MergeParams& p, const std::string& v) { p.normalize = parseBool(s, v); };
  b.text = [](const MergeParams& p) {
    return p.normalize ? std::string(*p.normalize ? "true" : "false") : std::string();
  };
  return b;
}

Binding densityField() {
  Binding b(makeSpec("density", ParamType::RealList, "1",
                     "Fraction of each task vector kept by sparsification; one value, or one per input "
                     "separated by commas",
                     0.0, 1.0, false, true));
  b.set = [s = b.spec](MergeParams& p, const std::string& v) {
    auto values = parseRealList(s, v);
    if (values.size() == 1) {
      p.density = values.front();
      p.densities.clear();
    } else {
      p.densities = std::move(values);
    }
  };
  b.text = [](const MergeParams& p) {
    if (p.densities.empty()) {
      return realText(p.density);
    }
    std::string text;
    for (const double d : p.densities) {
      text += (text.empty() ? "" : ",") + realText(d);
    }
    return text;
  };
  b.numbers = [](const MergeParams& p) {
    return p.densities.empty() ? std::vector<double>{p.density} : p.densities;
  };
  return b;
}

const std::vector<Binding>& bindings() {
  static const std::vector<Binding> table = [] {
    std::vector<Binding> t;
    t.push_back(realField(makeSpec("lambda", ParamType::Real, "1", "Scale of the merged task vector"),
                          &MergeParams::lambda));
    t.push_back(densityField());
    t.push_back(realField(
        makeSpec("gamma", ParamType::Real, "0.01",
                 "Breadcrumbs: fraction of the largest-magnitude entries dropped as outliers", 0.0, 1.0),
        &MergeParams::gamma));
    t.push_back(realField(makeSpec("epsilon", ParamType::Real, "0.15",
                                   "DELLA: keep probabilities range over density ± epsilon by magnitude rank",
                                   0.0, 1.0, true, false),
                          &MergeParams::epsilon));
    t.push_back(
        realField(makeSpec("t", ParamType::Real, "0.5",
                           "Interpolation factor: 0 gives the first input (or base), 1 the second", 0.0, 1.0),
                  &MergeParams::t));
    t.push_back(realField(makeSpec("select_topk", ParamType::Real, "1",
                                   "SCE: fraction of positions with the highest variance across inputs kept",
                                   0.0, 1.0, false, true),
                          &MergeParams::selectTopK));
    t.push_back(realField(makeSpec("scale", ParamType::Real, "1", "Multiplier applied to the tensor"),
                          &MergeParams::scale));
    t.push_back(realField(makeSpec("tol", ParamType::Real, "1e-05", "Karcher mean: convergence tolerance",
                                   0.0, 1.0, false, false),
                          &MergeParams::tol));
    t.push_back(realField(makeSpec("r", ParamType::Real, "0.1",
                                   "RAM+: strength of the rescaling of entries only one input changed"),
                          &MergeParams::r));
    t.push_back(realField(makeSpec("alpha", ParamType::Real, "0.2",
                                   "RAM+: bound of the shared-to-unique ratio in the rescaling", 0.0),
                          &MergeParams::alpha));
    t.push_back(realField(makeSpec("common_fraction", ParamType::Real, "0.8",
                                   "Iso-CTS: share of each matrix's rank given to the directions the tasks "
                                   "share; the rest is split equally among the tasks' own directions",
                                   0.0, 1.0),
                          &MergeParams::commonFraction));
    t.push_back(boolField(makeSpec("randomized_svd", ParamType::Bool, "false",
                                   "TSV: each task vector's top singular vectors by a seeded randomized SVD "
                                   "instead of the exact one; much faster with many tasks, approximate"),
                          &MergeParams::randomizedSvd));
    t.push_back(realField(makeSpec("learning_rate", ParamType::Real, "1e-05",
                                   "WUDI: Adam's step size (the paper's 1e-5)", 0.0, std::nullopt, false),
                          &MergeParams::learningRate));
    {
      Binding b(makeSpec("steps", ParamType::Int, "300",
                         "WUDI: Adam steps from task arithmetic's start (the paper's 300; 0 gives task "
                         "arithmetic)",
                         0.0, 1e6));
      b.set = [s = b.spec](MergeParams& p, const std::string& v) {
        p.steps = static_cast<int>(parseUnsigned(s, v));
      };
      b.text = [](const MergeParams& p) { return std::to_string(p.steps); };
      b.numbers = [](const MergeParams& p) { return std::vector<double>{double(p.steps)}; };
      t.push_back(std::move(b));
    }
    {
      Binding b(makeSpec("merge", ParamType::Choice, "ties",
                         "KnOTS: how the adapters' aligned coefficients are merged: ties (pruned to "
                         "density, sign consensus) or task_arithmetic (their weighted sum)"));
      b.spec.choices = {"ties", "task_arithmetic"};
      b.set = [s = b.spec](MergeParams& p, const std::string& v) {
        p.knotsMerge = s.choices.at(choiceIndex(s, v));
      };
      b.text = [](const MergeParams& p) { return p.knotsMerge; };
      t.push_back(std::move(b));
    }
    {
      Binding b(
          makeSpec("examples", ParamType::Int, "256",
                   "Fisher, RegMean: inputs of each model's task its statistics are gathered on (evenly "
                   "spaced over the task file)",
                   1.0, 1e7));
      b.set = [s = b.spec](MergeParams& p, const std::string& v) {
        p.examples = static_cast<int>(parseUnsigned(s, v));
      };
      b.text = [](const MergeParams& p) { return std::to_string(p.examples); };
      b.numbers = [](const MergeParams& p) { return std::vector<double>{double(p.examples)}; };
      t.push_back(std::move(b));
    }
    t.push_back(boolField(withAliases(makeSpec("filter_wise", ParamType::Bool, "false",
                                               "model_stock: one ratio per vector along the last dimension "
                                               "(a 1-D tensor is one vector) instead of one per tensor"),
                                      {"row_wise"}),
                          &MergeParams::filterWise));
    t.push_back(boolField(withAliases(makeSpec("nuslerp_row_wise", ParamType::Bool, "false",
                                               "nuslerp without flattening: interpolate the vectors along "
                                               "dim 0 instead of the last dimension"),
                                      {"row_wise"}),
                          &MergeParams::nuslerpRowWise));
    t.push_back(boolField(withAliases(makeSpec("nuslerp_flatten", ParamType::Bool, "true",
                                               "nuslerp: treat the whole tensor as one vector"),
                                      {"flatten"}),
                          &MergeParams::nuslerpFlatten));
    t.push_back(realField(makeSpec("eps", ParamType::Real, "1e-08",
                                   "multislerp: added to the norms so that zero vectors do not divide by 0",
                                   0.0, std::nullopt, false),
                          &MergeParams::eps));
    t.push_back(boolField(makeSpec("weighted", ParamType::Bool, "false",
                                   "karcher: the weighted mean of the task vectors (Merganser's variant) "
                                   "instead of mergekit's equal-weight mean of the models and the base"),
                          &MergeParams::weighted));
    t.push_back(boolField(makeSpec("int8_mask", ParamType::Bool, "false",
                                   "Accepted for mergekit recipes (a memory option there); no effect on "
                                   "the result"),
                          &MergeParams::int8Mask));
    t.push_back(normalizeField(makeSpec("normalize", ParamType::Bool, "false",
                                        "Divide the merged result by the sum of the (agreeing) weights")));
    // multislerp's (mergekit's) and karcher's name for the same switch.
    t.push_back(normalizeField(
        withAliases(makeSpec("normalize_weights", ParamType::Bool, "true", "Divide the weights by their sum"),
                    {"normalize"})));
    {
      Binding b(makeSpec("rescale", ParamType::Choice, "false",
                         "After pruning: true matches the L1 norm of the unpruned task vector (mergekit), "
                         "inverse_density divides by the keep probability (DARE paper, PEFT); earlier "
                         "spellings: none = false, l1 = true"));
      b.spec.choices = kRescaleChoices;
      b.spec.valueAliases = {{"none", "false"}, {"l1", "true"}};
      b.set = [s = b.spec](MergeParams& p, const std::string& v) {
        p.rescale = static_cast<Rescale>(choiceIndex(s, v));
      };
      b.text = [](const MergeParams& p) { return p.rescale ? toString(*p.rescale) : std::string(); };
      t.push_back(std::move(b));
    }
    {
      Binding b(makeSpec("consensus", ParamType::Choice, "sum",
                         "Sign election: sum elects on weighted task vectors and divides by the agreeing "
                         "weights (mergekit); count_peft elects on unweighted ones and divides by the "
                         "number of agreeing models (PEFT)"));
      b.spec.choices = kConsensusChoices;
      b.set = [s = b.spec](MergeParams& p, const std::string& v) {
        p.consensus = static_cast<Consensus>(choiceIndex(s, v));
      };
      b.text = [](const MergeParams& p) { return p.consensus ? toString(*p.consensus) : std::string(); };
      t.push_back(std::move(b));
    }
    {
      Binding b(makeSpec("seed", ParamType::Int, "0",
                         "Random pruning seed; the same seed gives bit-identical results", 0.0));
      b.set = [s = b.spec](MergeParams& p, const std::string& v) { p.seed = parseUnsigned(s, v); };
      b.text = [](const MergeParams& p) { return std::to_string(p.seed); };
      t.push_back(std::move(b));
    }
    {
      Binding b(makeSpec("max_iter", ParamType::Int, "10", "Karcher mean: maximum iterations", 1.0, 1000.0));
      b.set = [s = b.spec](MergeParams& p, const std::string& v) {
        p.maxIter = static_cast<int>(parseUnsigned(s, v));
      };
      b.text = [](const MergeParams& p) { return std::to_string(p.maxIter); };
      b.numbers = [](const MergeParams& p) { return std::vector<double>{double(p.maxIter)}; };
      t.push_back(std::move(b));
    }
    return t;
  }();
  return table;
}

const Binding& binding(const std::string& name) {
  for (const auto& b : bindings()) {
    if (b.spec.name == name) {
      return b;
    }
  }
  throw std::invalid_argument("unknown parameter '" + name + "'");
}

} // namespace

double MergeParams::densityOf(std::size_t input) const {
  return densities.empty() ? density : densities.at(input);
}

double MergeParams::gammaOf(std::size_t input) const {
  return gammas.empty() ? gamma : gammas.at(input);
}

double MergeParams::epsilonOf(std::size_t input) const {
  return epsilons.empty() ? epsilon : epsilons.at(input);
}

std::string ParamSpec::rangeText() const {
  if (!min && !max) {
    return {};
  }
  return std::string(minInclusive && min ? "[" : "(") + (min ? realText(*min) : "-inf") + ", " +
         (max ? realText(*max) : "inf") + (maxInclusive && max ? "]" : ")");
}

bool ParamSpec::inRange(double value) const {
  if (min && (minInclusive ? value < *min : value <= *min)) {
    return false;
  }
  return !(max && (maxInclusive ? value > *max : value >= *max));
}

const ParamSpec& paramSpec(const std::string& name) {
  return binding(name).spec;
}

std::vector<std::string> paramNames() {
  std::vector<std::string> names;
  for (const auto& b : bindings()) {
    names.push_back(b.spec.name);
  }
  return names;
}

void setParam(MergeParams& params, const std::string& name, const std::string& value) {
  binding(name).set(params, value);
}

std::string paramText(const MergeParams& params, const std::string& name) {
  return binding(name).text(params);
}

void checkParam(const MergeParams& params, const std::string& name) {
  const auto& b = binding(name);
  if (!b.numbers) {
    return; // booleans and choices cannot be out of range once set
  }
  for (const double value : b.numbers(params)) {
    requireInRange(b.spec, value);
  }
}

std::string toString(Rescale rescale) {
  return kRescaleChoices.at(static_cast<std::size_t>(rescale));
}

std::string toString(Consensus consensus) {
  return kConsensusChoices.at(static_cast<std::size_t>(consensus));
}

} // namespace mg::ops
