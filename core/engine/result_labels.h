#pragma once
// The fixed titles and axis labels the engine gives its results (charts in the workbench, results files).
// They stay English in files; the workbench translates them where it shows them, so they are named here once
// and listed by translatableTexts(). Titles built around a name ("Routing of lora_rot") are not among them.
#include <string>
#include <vector>

namespace mg::engine::labels {

inline constexpr const char* kInterferenceTitle = "Feature interference";
inline constexpr const char* kMergeGainTitle = "Merge gain";
inline constexpr const char* kMergeGainX = "task vector similarity (cosine)";
inline constexpr const char* kMergeGainY = "merge gain (accuracy points)";
inline constexpr const char* kEntropyTitle =
    "AdaMerging: entropy of the merged model's predictions on unlabelled inputs";
inline constexpr const char* kEntropyX = "step";
inline constexpr const char* kEntropyY = "entropy (nats)";
inline constexpr const char* kSearchX = "candidate";
inline constexpr const char* kSearchY = "validation accuracy (%)";

} // namespace mg::engine::labels

namespace mg::engine {

// Every text of the engine and its node types a person reads in the workbench and that the workbench
// translates: the node types' texts (graph/node_type_texts.h), the result labels above, then the
// validation messages' patterns (graph/issue_texts.h).
std::vector<std::string> translatableTexts();

} // namespace mg::engine
