#pragma once
// The texts of the registered node types a person reads in the workbench: titles, categories, help of the
// types, their ports and parameters, and why a type cannot run. The workbench translates them (its
// translations/ catalogues hold them under the context "NodeTypes"); identifiers — type ids, port and
// parameter names, choice values — are not among them, since files, recipes and the command line use them.
#include <string>
#include <vector>

namespace mg::graph {

class NodeTypeRegistry;

// Each text once, in registration order (a type's title, category, help, reason it cannot run, then its
// ports' and parameters' help); empty texts left out.
std::vector<std::string> translatableTexts(const NodeTypeRegistry& registry);

} // namespace mg::graph
