#include "graph/node_type_texts.h"

#include <set>

#include "graph/node_type_registry.h"

namespace mg::graph {

std::vector<std::string> translatableTexts(const NodeTypeRegistry& registry) {
  std::vector<std::string> texts;
  std::set<std::string> seen;
  const auto add = [&](const std::string& text) {
    if (!text.empty() && seen.insert(text).second) texts.push_back(text);
  };
  for (const NodeType* type : registry.types()) {
    add(type->title);
    add(type->category);
    add(type->help);
    add(type->notRunnable);
    for (const auto* ports : {&type->inputs, &type->outputs})
      for (const PortSpec& port : *ports)
        add(port.help);
    for (const ParamDef& param : type->params)
      add(param.help);
  }
  return texts;
}

} // namespace mg::graph
