#pragma once
// Core's texts (node types' titles and help, the engine's result labels) in the workbench's language. Core
// keeps them in English (i18n/core_text_list.h); these look them up in the catalogues where they are shown. A
// node's title is the user's once renamed: only a title still equal to its type's (the default a new node
// gets) is translated, and the document keeps the English one, so a project reads the same in every language.
#include <QString>

#include <string>

#include "graph/node.h"

namespace mg::graph {
class Document;
struct Issue;
} // namespace mg::graph

namespace mg::ui {

// A title, category or help text of a node type, port or parameter, or a result label; as it is when no
// translation exists (a name, a title the engine built around one).
QString coreText(const std::string& text);

// A validation problem's message in the workbench's language: its pattern translated and filled with its
// arguments (a type's title translated too); the English message when it has no pattern.
QString issueMessage(const graph::Issue& issue);

// The node's title as shown: translated while it is its type's title.
QString nodeTitle(const graph::Document& document, graph::NodeId node);
// The same for a node outside the document (removed, copied), its type looked up in the document's registry.
QString nodeTitle(const graph::Document& document, const graph::Node& node);

} // namespace mg::ui
