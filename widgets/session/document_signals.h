#pragma once
// Turns a Document's observer calls into Qt signals, one signal per DocumentObserver call, so that views
// connect to what they need (the QtNodes AbstractGraphModel idea). Emitted synchronously, after the
// change, while the document is consistent; slots must not edit the document.
#include <QObject>

#include <cstddef>
#include <string>

#include "graph/document_observer.h"

namespace mg::ui {

class DocumentSignals : public QObject, public graph::DocumentObserver {
  Q_OBJECT
public:
  explicit DocumentSignals(QObject* parent = nullptr) : QObject(parent) {}

  void nodeAdded(graph::NodeId node) override;
  void nodeRemoved(graph::NodeId node) override;
  void edgeAdded(const graph::Edge& edge) override;
  void edgeRemoved(const graph::Edge& edge) override;
  void inputsChanged(graph::NodeId node) override;
  void paramChanged(graph::NodeId node, const std::string& name) override;
  void inputWeightChanged(graph::NodeId node, std::size_t input) override;
  void nodeMoved(graph::NodeId node) override;
  void titleChanged(graph::NodeId node) override;
  void groupsChanged() override;
  void annotationsChanged() override;
  void documentReset() override;

Q_SIGNALS:
  void nodeWasAdded(graph::NodeId node);
  void nodeWasRemoved(graph::NodeId node);
  void edgeWasAdded(const graph::Edge& edge);
  void edgeWasRemoved(const graph::Edge& edge);
  void inputsWereChanged(graph::NodeId node);
  void paramWasChanged(graph::NodeId node, const QString& name);
  void inputWeightWasChanged(graph::NodeId node, std::size_t input);
  void nodeWasMoved(graph::NodeId node);
  void titleWasChanged(graph::NodeId node);
  void groupsWereChanged();
  void annotationsWereChanged();
  void documentWasReset();
};

} // namespace mg::ui

Q_DECLARE_METATYPE(mg::graph::Edge)
