#include "editor/group_item.h"

#include "qt_text.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>

#include "editor/box_metrics.h"
#include "editor/editor_style.h"
#include "editor/node_item.h"
#include "editor/overview_text.h"
#include "editor/port_item.h"
#include "graph/document.h"

namespace mg::ui {

namespace {

constexpr double kGroupPad = 8.0;
constexpr double kGroupFooter = 24.0;
constexpr double kOutlineMargin = 18.0;
constexpr double kTabHeight = 24.0;

} // namespace

GroupItem::GroupItem(const graph::Document& document, const graph::NodeGroup& group, QRectF membersRect,
                     const EditorStyle* style)
    : group_(group), style_(style) {
  if (group_.collapsed) {
    setFlags(ItemIsMovable | ItemIsSelectable | ItemSendsGeometryChanges);
    setZValue(1);
    origin_ = membersRect.topLeft();
    setPos(origin_);
    border_ = graph::borderPorts(group_, document.edges());
    const auto titleOf = [&](graph::NodeId id) { return qs(document.at(id).title); };
    for (std::size_t i = 0; i < border_.sources.size(); ++i) {
      const std::vector<graph::PortRef>& fed = border_.fed[i];
      inputLabels_
          << (fed.size() == 1
                  ? QStringLiteral("%1 → %2 · %3")
                        .arg(titleOf(border_.sources[i].node), titleOf(fed.front().node),
                             qs(document.inputLabel(fed.front().node, fed.front().port)))
                  : tr("%1 → %n input(s)", nullptr, int(fed.size())).arg(titleOf(border_.sources[i].node)));
    }
    for (const graph::PortRef& output : border_.outputs) {
      const graph::PortSpec* spec = document.outputSpec(output.node, output.port);
      outputLabels_ << (document.outputCount(output.node) > 1 && spec
                            ? QStringLiteral("%1 · %2").arg(titleOf(output.node), qs(spec->name))
                            : titleOf(output.node));
    }
    // An input row is the port of the first member input its source feeds: a drag from it picks that edge up.
    for (std::size_t i = 0; i < border_.sources.size(); ++i) {
      const graph::PortRef& input = border_.fed[i].front();
      const graph::PortSpec* spec = document.inputSpec(input.node, input.port);
      auto* port = new PortItem(input.node, input.port, true, spec ? spec->type : graph::PortType::Model,
                                true, style_, this);
      port->setPos(0.0, rowY(i));
      port->setToolTip(inputLabels_.value(int(i)));
      ports_.push_back(port);
    }
    for (std::size_t o = 0; o < border_.outputs.size(); ++o) {
      const graph::PortRef& output = border_.outputs[o];
      const graph::PortSpec* spec = document.outputSpec(output.node, output.port);
      auto* port = new PortItem(output.node, output.port, false, spec ? spec->type : graph::PortType::Model,
                                true, style_, this);
      port->setPos(NodeItem::kWidth, rowY(o));
      port->setToolTip(outputLabels_.value(int(o)));
      ports_.push_back(port);
    }
    setToolTip(tr("Group of %n node(s): double-click to open it", nullptr, int(group_.members.size())));
  } else {
    setZValue(-3); // behind edges and nodes
    outline_ = QRectF(QPointF(), membersRect.size())
                   .adjusted(-kOutlineMargin, -kOutlineMargin - kTabHeight, kOutlineMargin, kOutlineMargin);
    setPos(membersRect.topLeft());
    origin_ = pos();
    setToolTip(tr("Double-click the title to collapse the group"));
  }
}

double GroupItem::boxHeight() const {
  const std::size_t rows = std::max<std::size_t>(std::max(border_.sources.size(), border_.outputs.size()), 1);
  return box::kHeader + kGroupPad + box::kRow * double(rows) + kGroupFooter;
}

double GroupItem::rowY(std::size_t row) const {
  return box::kHeader + kGroupPad + box::kRow * (double(row) + 0.5);
}

std::optional<QPointF> GroupItem::inputAnchor(const graph::Edge& edge) const {
  const auto it = std::find(border_.sources.begin(), border_.sources.end(), edge.from);
  if (!group_.collapsed || it == border_.sources.end() || !group_.members.count(edge.to.node))
    return std::nullopt;
  return mapToScene(QPointF(0.0, rowY(std::size_t(it - border_.sources.begin()))));
}

std::optional<QPointF> GroupItem::outputAnchor(const graph::Edge& edge) const {
  const auto it = std::find(border_.outputs.begin(), border_.outputs.end(), edge.from);
  if (!group_.collapsed || it == border_.outputs.end() || group_.members.count(edge.to.node))
    return std::nullopt;
  return mapToScene(QPointF(NodeItem::kWidth, rowY(std::size_t(it - border_.outputs.begin()))));
}

QRectF GroupItem::tabRect() const {
  const double width =
      std::min(outline_.width(), QFontMetricsF(box::titleFont()).horizontalAdvance(qs(group_.title)) + 28.0);
  return QRectF(outline_.topLeft(), QSizeF(width, kTabHeight));
}

QRectF GroupItem::boundingRect() const {
  if (!group_.collapsed) return outline_.adjusted(-2, -2, 2, 2);
  return QRectF(0, 0, NodeItem::kWidth, boxHeight()).adjusted(-6, -6, 6, 10);
}

QPainterPath GroupItem::shape() const {
  QPainterPath path;
  if (group_.collapsed)
    path.addRoundedRect(QRectF(0, 0, NodeItem::kWidth, boxHeight()), box::kRadius, box::kRadius);
  else
    path.addRect(tabRect()); // only the tab: clicks inside the outline reach the members and the canvas
  return path;
}

void GroupItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
  painter->setRenderHint(QPainter::Antialiasing);
  painter->setRenderHint(QPainter::TextAntialiasing);
  const double zoom = QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform());
  if (group_.collapsed)
    paintCollapsed(painter, option->state & QStyle::State_Selected, zoom);
  else
    paintOpen(painter, zoom);
}

void GroupItem::paintCollapsed(QPainter* painter, bool selected, double zoom) {
  const QRectF box(0, 0, NodeItem::kWidth, boxHeight());
  // A second box peeking out behind: this one holds several nodes.
  painter->setPen(QPen(style_->nodeBorder, 1.0));
  painter->setBrush(style_->nodeHeader);
  painter->drawRoundedRect(box.translated(5, 5), box::kRadius, box::kRadius);
  QPainterPath outline;
  outline.addRoundedRect(box, box::kRadius, box::kRadius);
  painter->setBrush(style_->nodeBody);
  painter->drawPath(outline);
  painter->save();
  painter->setClipPath(outline);
  painter->fillRect(QRectF(0, 0, box.width(), box::kHeader), style_->nodeHeader);
  painter->fillRect(QRectF(0, 0, box.width(), 4.0), style_->groupColor);
  painter->restore();

  if (zoom < kDetailZoom) { // far out: the title alone, large, as nodes show theirs
    painter->setPen(style_->titleText);
    const QRectF text = box.adjusted(8.0, 12.0, -8.0, -4.0);
    drawOverviewTitle(painter, text, qs(group_.title), box::titleFont(), zoom,
                      fittingTitlePixels(text, qs(group_.title), box::titleFont()));
    painter->setBrush(Qt::NoBrush);
    painter->setPen(selected ? QPen(style_->nodeSelected, 2.0 / zoom) : QPen(style_->groupColor, 1.5 / zoom));
    painter->drawPath(outline);
    return;
  }
  painter->setFont(box::titleFont());
  painter->setPen(style_->titleText);
  const QRectF title(12.0, 4.0, box.width() - 24.0, box::kHeader - 4.0);
  painter->drawText(
      title, Qt::AlignVCenter | Qt::AlignLeft,
      QFontMetricsF(box::titleFont()).elidedText(qs(group_.title), Qt::ElideRight, title.width()));

  painter->setFont(box::labelFont());
  const QFontMetricsF labels(box::labelFont());
  painter->setPen(style_->labelText);
  const double half = box.width() / 2.0 - 18.0;
  for (int i = 0; i < inputLabels_.size(); ++i) {
    const QRectF r(14.0, rowY(std::size_t(i)) - box::kRow / 2,
                   outputLabels_.size() > i ? half : box.width() - 28.0, box::kRow);
    painter->drawText(r, Qt::AlignVCenter | Qt::AlignLeft,
                      labels.elidedText(inputLabels_[i], Qt::ElideRight, r.width()));
  }
  for (int o = 0; o < outputLabels_.size(); ++o) {
    const double width = inputLabels_.size() > o ? half : box.width() - 28.0;
    const QRectF r(box.width() - 14.0 - width, rowY(std::size_t(o)) - box::kRow / 2, width, box::kRow);
    painter->drawText(r, Qt::AlignVCenter | Qt::AlignRight,
                      labels.elidedText(outputLabels_[o], Qt::ElideLeft, width));
  }
  QFont italic = box::labelFont();
  italic.setItalic(true);
  painter->setFont(italic);
  painter->setPen(style_->mutedText);
  painter->drawText(QRectF(12.0, box.height() - kGroupFooter, box.width() - 24.0, kGroupFooter - 4.0),
                    Qt::AlignVCenter | Qt::AlignLeft,
                    tr("group of %n node(s)", nullptr, int(group_.members.size())));

  painter->setBrush(Qt::NoBrush);
  painter->setPen(selected ? QPen(style_->nodeSelected, 2.0) : QPen(style_->groupColor, 1.5));
  painter->drawPath(outline);
}

void GroupItem::paintOpen(QPainter* painter, double zoom) {
  QColor fill = style_->groupColor;
  fill.setAlpha(22);
  painter->setBrush(fill);
  painter->setPen(QPen(style_->groupColor, 1.5, Qt::DashLine));
  painter->drawRoundedRect(outline_, box::kRadius, box::kRadius);
  const QRectF tab = tabRect();
  painter->setPen(Qt::NoPen);
  painter->setBrush(style_->groupColor);
  painter->drawRoundedRect(tab, 6.0, 6.0);
  painter->setPen(style_->groupTitleText);
  if (zoom < kDetailZoom) { // far out: the title above the tab, large enough to read
    QFont font = box::titleFont();
    font.setPixelSize(std::max(1, int(kOverviewTitlePixels / zoom)));
    painter->setFont(font);
    painter->setPen(style_->groupColor);
    painter->drawText(QRectF(outline_.left(), outline_.top() - 2.0 * font.pixelSize(), outline_.width(),
                             2.0 * font.pixelSize()),
                      Qt::AlignBottom | Qt::AlignLeft, qs(group_.title));
    return;
  }
  painter->setFont(box::titleFont());
  painter->drawText(tab.adjusted(10, 0, -10, 0), Qt::AlignVCenter | Qt::AlignLeft, qs(group_.title));
}

QVariant GroupItem::itemChange(GraphicsItemChange change, const QVariant& value) {
  if (change == ItemPositionHasChanged) Q_EMIT moved();
  return QGraphicsObject::itemChange(change, value);
}

} // namespace mg::ui
