#pragma once
// Validation messages as patterns, %1, %2 standing for names (a node type's title, an input, a parameter).
// An Issue's English message is its pattern filled in; the workbench translates the pattern and fills it
// the same way, so a problem reads in the user's language. The patterns are named here, once, so that
// engine::translatableTexts() lists them for the catalogues. Messages built otherwise (a parameter's range,
// file headers, a plan's errors) carry no pattern and stay English.
#include <string>
#include <vector>

namespace mg::graph::issue_texts {

inline constexpr const char* kUnknownType =
    "node type '%1' is unknown to this version (a newer Merganser or a "
    "plug-in that is not loaded): it is kept as it is but cannot run";
inline constexpr const char* kCycle = "is part of a cycle: a node cannot depend on its own result";
inline constexpr const char* kParamMissing = "%1 is missing";
inline constexpr const char* kParamNotSet = "%1 is not set";
inline constexpr const char* kParamIgnored = "parameter '%1' is not one of %2's and is ignored";
inline constexpr const char* kInputNotConnected = "input '%1' is not connected";
inline constexpr const char* kGroupNotConnected = "no input is connected to '%1'";
inline constexpr const char* kNoSuchInput = "input '%1' does not exist on %2";
inline constexpr const char* kNoSuchOutput = "input '%1' is fed by an output that does not exist";
inline constexpr const char* kWrongType = "input '%1' takes a %2, not a %3";
inline constexpr const char* kAdapterOnBase =
    "'base' needs a model, not an adapter: apply the adapter to its base first";
inline constexpr const char* kAdapterNeedsBase =
    "input '%1' is an adapter: connect the base model it was trained on to 'base'";
inline constexpr const char* kAdapterWithoutBase =
    "input '%1' is an adapter: %2 has no base to apply it to (add it to a base with a merge or Add deltas)";
inline constexpr const char* kMergeNeedsBase = "%1 needs the base model: connect it to 'base'";
inline constexpr const char* kMergeUnusedBase =
    "%1 does not use a base model: connect it to 'models' as a weighted input";

// Every pattern above.
const std::vector<const char*>& all();

} // namespace mg::graph::issue_texts

namespace mg::graph {

// `pattern` with each %N (1 to 9) replaced by args[N-1], in one pass: an argument's own "%2" stays as it
// is. A %N without an argument stays too.
std::string fillPattern(const std::string& pattern, const std::vector<std::string>& args);

} // namespace mg::graph
