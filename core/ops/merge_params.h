#pragma once
// The typed parameters of the merge methods and the definitions (type, default, range, help) that a GUI
// renders and that parsing checks against. Plain C++: no torch, no Qt. Which parameters a method takes, and
// its own defaults, live in merge_method.h.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mg::ops {

// Spec, task arithmetic step 3: how kept entries are rescaled after pruning. Spelled as mergekit's boolean
// `rescale` (false / true), plus inverse_density; the earlier spellings none / l1 still read.
enum class Rescale {
  None,          // false
  L1,            // true, mergekit: match the L1 norm of the unpruned δ
  InverseDensity // DARE paper, PEFT >= 0.19: divide by the keep probability
};

// Spec, step 5: how the sign is elected and what the mixed delta is divided by.
enum class Consensus {
  None,
  Sum,      // mergekit (TIES paper): sign of Σ w_i·δ_i, divide by Σ of agreeing weights
  CountPeft // PEFT: sign of Σ δ_i (unweighted), divide by the number of agreeing models
};

// The dtype a merge's arithmetic runs in (ops/precision.h): float32, or bf16 / f16 as mergekit computes
// on checkpoints stored in those dtypes.
enum class Precision : std::uint8_t { F32, BF16, F16 };

struct MergeParams {
  double lambda = 1.0;           // step 6: scale of the mixed delta
  double density = 1.0;          // step 2: fraction of δ kept, for every input...
  std::vector<double> densities; // ...unless given per input (input order); non-empty overrides `density`
  double gamma = 0.01;           // breadcrumbs: fraction of the largest |δ| dropped
  std::vector<double> gammas;    // per input (mergekit's per-model gamma); non-empty overrides `gamma`
  double epsilon = 0.15;         // della: spread of the keep probabilities around the density
  std::vector<double> epsilons;  // per input (mergekit's per-model epsilon); non-empty overrides `epsilon`
  double t = 0.5;                // slerp: 0 gives the first input, 1 the second
  double selectTopK = 1.0;       // sce: fraction of highest-variance positions kept
  double scale = 1.0;            // passthrough: multiplier
  std::optional<bool> normalize; // unset: the method's default (see its schema)
  std::optional<Rescale> rescale;
  std::optional<Consensus> consensus;
  std::uint64_t seed = 0; // random pruning; salted per tensor and input, so order of evaluation is irrelevant
  Precision precision = Precision::F32; // set by the engine (compute dtype), not a parsed parameter
  bool filterWise = false;              // model_stock: one ratio per vector along the last dimension
  bool nuslerpRowWise = false;          // nuslerp: vectors along dim 0 instead of the last one
  bool nuslerpFlatten = true;           // nuslerp: one vector per tensor
  double eps = 1e-8;                    // multislerp: numerical floor of the norms
  bool weighted = false;       // karcher: weighted mean of task vectors instead of mergekit's equal points
  bool int8Mask = false;       // mergekit's memory option for masks; no numerical effect, accepted as such
  int maxIter = 10;            // karcher
  double tol = 1e-5;           // karcher
  double r = 0.1;              // ramplus_tl: strength of the rescaling of unique entries
  double alpha = 0.2;          // ramplus_tl: bound of the shared-to-unique ratio
  double commonFraction = 0.8; // iso_cts: share of the rank budget given to the common subspace
  bool randomizedSvd = false;  // tsv: randomized top singular triplets instead of exact SVDs
  int steps = 300;             // wudi: Adam steps from task arithmetic's start
  double learningRate = 1e-5;  // wudi: Adam's step size
  std::string knotsMerge = "ties"; // knots: how the aligned coefficients are merged (ties, task_arithmetic)
  int examples = 256; // fisher, regmean: inputs of each model's task the statistics are gathered on

  // The density of input `input` (0-based): densities[input] when per-input densities are given.
  double densityOf(std::size_t input) const;
  double gammaOf(std::size_t input) const;
  double epsilonOf(std::size_t input) const;
};

enum class ParamType { Bool, Int, Real, RealList, Choice };

// One parameter as a GUI shows it and as parsing checks it.
struct ParamSpec {
  std::string name;
  ParamType type = ParamType::Real;
  std::string defaultValue; // as text, in the syntax setParam accepts
  std::optional<double> min;
  std::optional<double> max;
  bool minInclusive = true;
  bool maxInclusive = true;
  std::vector<std::string> choices; // ParamType::Choice
  std::string help;
  // Earlier names that still read (project files, scripts): "row_wise" for filter_wise. A method never
  // takes two parameters sharing an alias, so parsing resolves them per method (parseMergeParams).
  std::vector<std::string> aliases;
  // Earlier spellings of a Choice value and what they mean now: {"l1", "true"} for rescale.
  std::vector<std::pair<std::string, std::string>> valueAliases;
  bool required = false; // set per method (nearswap's t): parsing without it is an error, as in mergekit

  // "(0, 1]", "[0, inf)", or "" when unbounded or not numeric.
  std::string rangeText() const;
  // Whether a numeric value lies in the range.
  bool inRange(double value) const;
};

// The definition of `name`, shared by every method that takes it. Throws std::invalid_argument if unknown.
const ParamSpec& paramSpec(const std::string& name);
std::vector<std::string> paramNames();

// Sets `name` from text ("0.5", "true", "l1", "0.3,0.5"), checking type and range. Throws
// std::invalid_argument naming the parameter, e.g. "density must be in (0, 1], got 1.5".
void setParam(MergeParams& params, const std::string& name, const std::string& value);
// The current value as text in setParam's syntax; "" for an unset optional (the method default applies).
std::string paramText(const MergeParams& params, const std::string& name);
// Checks the range of a value set in code rather than parsed; throws like setParam.
void checkParam(const MergeParams& params, const std::string& name);

std::string toString(Rescale rescale);
std::string toString(Consensus consensus);

} // namespace mg::ops
