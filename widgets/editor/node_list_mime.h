#pragma once
// Existing graph nodes carried by a drag (mime::kNodes): the embedding map's picked points travel to the
// canvas this way.
#include <vector>

#include "graph/node.h"

class QMimeData;

namespace mg::ui {

// New mime data carrying `nodes` (the caller owns it until a QDrag takes it).
QMimeData* encodeNodeList(const std::vector<graph::NodeId>& nodes);
// The nodes `data` carries; empty when it carries none or is malformed.
std::vector<graph::NodeId> decodeNodeList(const QMimeData* data);

} // namespace mg::ui
