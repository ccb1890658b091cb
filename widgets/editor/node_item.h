#pragma once
// A node on the canvas: a rounded box with a category-coloured strip, the title, its input and output
// ports with their labels, and a one-line summary of its parameters; a badge for what the engine said of it
// and a marker for validation issues (messages in the tooltip). It reads the document and never edits it:
// moving it is reported to the scene, which asks the session.
#include <QGraphicsObject>

#include <vector>

#include "editor/node_badge.h"
#include "graph/validation.h"

namespace mg::graph {
class Document;
}

namespace mg::ui {

struct EditorStyle;
class PortItem;

class NodeItem : public QGraphicsObject {
  Q_OBJECT
public:
  enum { Type = UserType + 1 };
  static constexpr double kWidth = 230.0;

  NodeItem(const graph::Document& document, graph::NodeId id, const EditorStyle* style);
  int type() const override { return Type; }
  graph::NodeId id() const { return id_; }

  // Re-reads the node (title, ports, labels, summary) after the document changed.
  void refresh();
  void setBadge(const NodeBadge& badge);
  const NodeBadge& badge() const { return badge_; }
  void setIssues(std::vector<graph::Issue> issues);
  const std::vector<graph::Issue>& issues() const { return issues_; }
  // Outlined while something dragged over it would connect to it.
  void setDropHighlight(bool on);
  bool isDropHighlighted() const { return dropHighlight_; }

  // The title drawn on the box: the user's, or its type's in the workbench's language (i18n/core_text.h).
  const QString& title() const { return title_; }
  // The line under the ports ("lambda 1/3 · ...") and the input labels with their weights ("models 2  ×0.5").
  const QString& summary() const { return summary_; }
  const QStringList& inputLabels() const { return inputLabels_; }

  // Where edges attach, in scene coordinates.
  QPointF inputAnchor(std::size_t input) const;
  QPointF outputAnchor(std::size_t output) const;
  const std::vector<PortItem*>& inputPorts() const { return inputs_; }
  const std::vector<PortItem*>& outputPorts() const { return outputs_; }

  QRectF boundingRect() const override;
  QPainterPath shape() const override;
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

Q_SIGNALS:
  void moved(); // its position changed (by a drag, or from the document)

protected:
  QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;

private:
  double height() const;
  double rowY(std::size_t row) const; // centre of a port row, item coordinates
  void rebuildPorts();
  void updateToolTip();
  // Far out (zoom below kDetailZoom): body, category strip and the title large; no ports' text.
  void paintOverview(QPainter* painter, const QStyleOptionGraphicsItem* option, double zoom);
  QRectF overviewTitleRect() const;
  double overviewFitPixels() const; // the largest title size (item pixels) that fits the overview's box
  void paintBadge(QPainter* painter, QPointF centre) const;
  void paintIssueMarker(QPainter* painter, QPointF centre) const;

  const graph::Document& document_;
  graph::NodeId id_;
  const EditorStyle* style_;
  std::vector<PortItem*> inputs_;
  std::vector<PortItem*> outputs_;
  QStringList inputLabels_;
  std::vector<bool> inputMuted_; // the free input of a variadic group
  QStringList outputLabels_;
  QString title_;
  QString summary_;
  QString category_;
  NodeBadge badge_;
  std::vector<graph::Issue> issues_;
  bool dropHighlight_ = false;
  mutable double overviewFitPixels_ = 0; // 0: not measured since the last refresh()
};

} // namespace mg::ui
