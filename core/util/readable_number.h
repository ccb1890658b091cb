#pragma once
// Numbers as a person writes them, for what the workbench shows (node summaries, the properties panel):
// 0.3333333333333333 reads "1/3", 0.7071067811865476 reads "0.707" at three significant digits, 0.25 stays
// "0.25". Machine-readable text (project files, mergekit YAML, recipes) keeps graph::valueText's exact
// spelling instead.
#include <optional>
#include <string>

namespace mg::util {

struct Fraction {
  long long numerator = 0;
  long long denominator = 1; // > 1
};

// The fraction p/q with the smallest q ≤ maxDenominator whose double is exactly `value`, when `value` is no
// short decimal (0.5 and 0.125 are not fractions here: their decimals are as short). nullopt otherwise.
std::optional<Fraction> exactFraction(double value, long long maxDenominator = 64);

// How to write `value` with at most `maxSignificant` significant digits: as a fraction when it is exactly
// one, else rounded to as few digits as its shortest exact spelling needs (0.25 → 2, 0.1 → 1), capped.
struct ReadableNumber {
  std::optional<Fraction> fraction;
  int significantDigits = 1; // for a decimal spelling ("%.*g")
};
ReadableNumber readableNumber(double value, int maxSignificant);

// The C-locale spelling of readableNumber: "1/3", "0.707", "1e-05", "-2".
std::string readableNumberText(double value, int maxSignificant);

} // namespace mg::util
