#include "engine/result_labels.h"

#include <algorithm>

#include "graph/issue_texts.h"
#include "graph/node_type_registry.h"
#include "graph/node_type_texts.h"

namespace mg::engine {

std::vector<std::string> translatableTexts() {
  std::vector<std::string> texts = graph::translatableTexts(graph::NodeTypeRegistry::instance());
  for (const char* label :
       {labels::kInterferenceTitle, labels::kMergeGainTitle, labels::kMergeGainX, labels::kMergeGainY,
        labels::kEntropyTitle, labels::kEntropyX, labels::kEntropyY, labels::kSearchX, labels::kSearchY})
    if (std::find(texts.begin(), texts.end(), label) == texts.end()) texts.emplace_back(label);
  for (const char* pattern : graph::issue_texts::all())
    if (std::find(texts.begin(), texts.end(), pattern) == texts.end()) texts.emplace_back(pattern);
  return texts;
}

} // namespace mg::engine
