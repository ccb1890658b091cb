#pragma once
// Change notifications of a Document, for a view model to forward (a Qt adapter turns them into signals,
// the way QtNodes' AbstractGraphModel does). Each call comes after the change it reports; when one edit makes
// several changes (a renumbered variadic group), all are made before the first call, so the document is
// consistent whenever an observer looks. Observers must not edit the document from a notification.
#include <cstddef>
#include <string>

#include "graph/node.h"

namespace mg::graph {

class DocumentObserver {
public:
  virtual ~DocumentObserver() = default;
  virtual void nodeAdded(NodeId node) {}
  // After the node's edges were removed, each notified.
  virtual void nodeRemoved(NodeId node) {}
  virtual void edgeAdded(const Edge& edge) {}
  virtual void edgeRemoved(const Edge& edge) {}
  // The node's number of inputs changed (a variadic group grew or shrank) or its inputs were renumbered;
  // renumbered edges were notified as removed and added again.
  virtual void inputsChanged(NodeId node) {}
  virtual void paramChanged(NodeId node, const std::string& name) {}
  virtual void inputWeightChanged(NodeId node, std::size_t input) {}
  virtual void nodeMoved(NodeId node) {}
  virtual void titleChanged(NodeId node) {}
  // A group was made, dissolved, collapsed or opened, renamed, or lost or regained a node.
  virtual void groupsChanged() {}
  // Frames, comments or reroute points were replaced (Document::setAnnotations).
  virtual void annotationsChanged() {}
  // The whole content was replaced (assignment): rebuild everything.
  virtual void documentReset() {}
};

} // namespace mg::graph
