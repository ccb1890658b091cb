#include "session/document_signals.h"

namespace mg::ui {

void DocumentSignals::nodeAdded(graph::NodeId node) {
  Q_EMIT nodeWasAdded(node);
}
void DocumentSignals::nodeRemoved(graph::NodeId node) {
  Q_EMIT nodeWasRemoved(node);
}
void DocumentSignals::edgeAdded(const graph::Edge& edge) {
  Q_EMIT edgeWasAdded(edge);
}
void DocumentSignals::edgeRemoved(const graph::Edge& edge) {
  Q_EMIT edgeWasRemoved(edge);
}
void DocumentSignals::inputsChanged(graph::NodeId node) {
  Q_EMIT inputsWereChanged(node);
}
void DocumentSignals::paramChanged(graph::NodeId node, const std::string& name) {
  Q_EMIT paramWasChanged(node, QString::fromStdString(name));
}
void DocumentSignals::inputWeightChanged(graph::NodeId node, std::size_t input) {
  Q_EMIT inputWeightWasChanged(node, input);
}
void DocumentSignals::nodeMoved(graph::NodeId node) {
  Q_EMIT nodeWasMoved(node);
}
void DocumentSignals::titleChanged(graph::NodeId node) {
  Q_EMIT titleWasChanged(node);
}

void DocumentSignals::groupsChanged() {
  Q_EMIT groupsWereChanged();
}

void DocumentSignals::annotationsChanged() {
  Q_EMIT annotationsWereChanged();
}

void DocumentSignals::documentReset() {
  Q_EMIT documentWasReset();
}

} // namespace mg::ui
