#pragma once
// std::vector<NodeId> as a Qt meta type, for signals that carry several nodes (the canvas's selection, a
// merge of points picked on the embedding map). Declared once here: every header whose signals use it
// includes this, so no moc output sees the type before the declaration.
#include <QMetaType>

#include <vector>

#include "graph/node.h"

Q_DECLARE_METATYPE(std::vector<mg::graph::NodeId>)
