#include "editor/node_item.h"

#include "qt_text.h"
#include "readable_numbers.h"

#include <QFileInfo>
#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <cmath>

#include "editor/box_metrics.h"
#include "editor/editor_style.h"
#include "editor/graph_scene.h"
#include "editor/overview_text.h"
#include "editor/port_item.h"
#include "graph/builtin_node_types.h"
#include "graph/document.h"
#include "graph/merge_rules.h"
#include "i18n/core_text.h"
#include "source_names.h"

namespace mg::ui {

namespace {

using box::kHeader;
using box::kRadius;
using box::kRow;
using box::kStrip;
using box::labelFont;
using box::titleFont;
constexpr double kBodyPad = 7.0;
constexpr double kSummary = 22.0;
constexpr double kLabelInset = 14.0;

// Three significant digits: a summary says which values a node uses; the properties panel has them whole.
constexpr int kSummaryDigits = 3;

QString weightText(double weight) {
  return QStringLiteral("×%1").arg(readableNumber(weight, kSummaryDigits));
}

// The one line under the ports: the file a node reads or writes, else its parameters "name value".
QString summaryOf(const graph::Document& document, graph::NodeId id) {
  const graph::Node& node = document.at(id);
  if (const auto it = node.params.find("path"); it != node.params.end() && it->second.is_string()) {
    const QString path = qs(it->second.get<std::string>());
    return path.isEmpty() ? QObject::tr("no file chosen") : sourceFileName(path);
  }
  // A merge node's recipe parameters (rules, slices, dtype, tokenizer, chat template) show only when set,
  // so the method's own parameters stay in view.
  const graph::NodeType* type = document.nodeType(id);
  const bool merge = graph::mergeMethodOf(node.type).has_value();
  QStringList parts;
  for (const auto& [name, value] : node.params) {
    const graph::ParamDef* def = type ? type->param(name) : nullptr;
    if (merge && def && graph::isMergeRecipeParam(name) && value == def->defaultValue) continue;
    parts << QStringLiteral("%1 %2").arg(qs(name), readableValue(value, kSummaryDigits));
  }
  return parts.join(QStringLiteral(" · "));
}

} // namespace

NodeItem::NodeItem(const graph::Document& document, graph::NodeId id, const EditorStyle* style)
    : document_(document), id_(id), style_(style) {
  setFlags(ItemIsMovable | ItemIsSelectable | ItemSendsGeometryChanges);
  setAcceptHoverEvents(true);
  setZValue(1);
  refresh();
}

void NodeItem::refresh() {
  prepareGeometryChange();
  overviewFitPixels_ = 0;
  const graph::Node& node = document_.at(id_);
  const graph::NodeType* type = document_.nodeType(id_);
  title_ = nodeTitle(document_, id_);
  category_ = type ? qs(type->category) : QString();
  summary_ = type ? summaryOf(document_, id_) : QObject::tr("unknown node type %1").arg(qs(node.type));

  inputLabels_.clear();
  inputMuted_.clear();
  for (std::size_t i = 0; i < document_.inputCount(id_); ++i) {
    QString label = qs(document_.inputLabel(id_, i));
    const bool connected = document_.source({id_, i}).has_value();
    if (const auto weight = document_.inputWeight(id_, i); weight && *weight != 1.0)
      label += QStringLiteral("  ") + weightText(*weight);
    const bool freeVariadic = document_.variadicPosition(id_, i).has_value() && !connected;
    inputLabels_ << label;
    inputMuted_.push_back(freeVariadic);
  }
  outputLabels_.clear();
  for (std::size_t o = 0; o < document_.outputCount(id_); ++o) {
    const graph::PortSpec* spec = document_.outputSpec(id_, o);
    outputLabels_ << (spec ? qs(spec->name) : QObject::tr("output %1").arg(o + 1));
  }
  rebuildPorts();
  setPos(node.position.x, node.position.y);
  updateToolTip();
  update();
}

void NodeItem::rebuildPorts() {
  for (PortItem* port : inputs_)
    delete port;
  for (PortItem* port : outputs_)
    delete port;
  inputs_.clear();
  outputs_.clear();
  const auto portType = [](const graph::PortSpec* spec) {
    return spec ? spec->type : graph::PortType::Model;
  };
  for (std::size_t i = 0; i < document_.inputCount(id_); ++i) {
    auto* port = new PortItem(id_, i, true, portType(document_.inputSpec(id_, i)),
                              document_.source({id_, i}).has_value(), style_, this);
    port->setPos(0.0, rowY(i));
    if (const auto* spec = document_.inputSpec(id_, i))
      port->setToolTip(QStringLiteral("%1 (%2)\n%3")
                           .arg(inputLabels_.value(int(i)),
                                QString::fromLatin1(graph::portTypeName(spec->type)), coreText(spec->help)));
    inputs_.push_back(port);
  }
  const auto outgoing = document_.edgesFrom(id_);
  for (std::size_t o = 0; o < document_.outputCount(id_); ++o) {
    const bool used =
        std::any_of(outgoing.begin(), outgoing.end(), [&](const graph::Edge& e) { return e.from.port == o; });
    auto* port = new PortItem(id_, o, false, portType(document_.outputSpec(id_, o)), used, style_, this);
    port->setPos(kWidth, rowY(o));
    if (const auto* spec = document_.outputSpec(id_, o))
      port->setToolTip(QStringLiteral("%1 (%2)").arg(outputLabels_.value(int(o)),
                                                     QString::fromLatin1(graph::portTypeName(spec->type))));
    outputs_.push_back(port);
  }
}

void NodeItem::setBadge(const NodeBadge& badge) {
  badge_ = badge;
  updateToolTip();
  update();
}

void NodeItem::setIssues(std::vector<graph::Issue> issues) {
  issues_ = std::move(issues);
  updateToolTip();
  update();
}

void NodeItem::setDropHighlight(bool on) {
  if (dropHighlight_ == on) return;
  dropHighlight_ = on;
  update();
}

void NodeItem::updateToolTip() {
  QStringList lines;
  for (const auto& issue : issues_)
    lines << (issue.severity == graph::Severity::Error ? QObject::tr("Error: %1")
                                                       : QObject::tr("Warning: %1"))
                 .arg(issueMessage(issue));
  if (!badge_.message.isEmpty()) lines << badge_.message;
  if (lines.isEmpty()) {
    if (const graph::NodeType* type = document_.nodeType(id_)) lines << coreText(type->help);
  }
  setToolTip(lines.join(QLatin1Char('\n')));
}

double NodeItem::rowY(std::size_t row) const {
  return kHeader + kBodyPad + kRow * (double(row) + 0.5);
}

double NodeItem::height() const {
  const std::size_t rows = std::max<std::size_t>(std::max(inputs_.size(), outputs_.size()), 1);
  return kHeader + kBodyPad + kRow * double(rows) + (summary_.isEmpty() ? kBodyPad : kSummary + 4.0);
}

QPointF NodeItem::inputAnchor(std::size_t input) const {
  return mapToScene(QPointF(0.0, rowY(input)));
}

QPointF NodeItem::outputAnchor(std::size_t output) const {
  return mapToScene(QPointF(kWidth, rowY(output)));
}

QRectF NodeItem::boundingRect() const {
  // Room for the selection outline and the drop shadow.
  return QRectF(0, 0, kWidth, height()).adjusted(-4, -4, 4, 8);
}

QPainterPath NodeItem::shape() const {
  QPainterPath path;
  path.addRoundedRect(QRectF(0, 0, kWidth, height()), kRadius, kRadius);
  return path;
}

void NodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
  painter->setRenderHint(QPainter::Antialiasing);
  painter->setRenderHint(QPainter::TextAntialiasing);
  const double zoom = QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform());
  if (zoom < kDetailZoom) {
    paintOverview(painter, option, zoom);
    return;
  }
  const QRectF box(0, 0, kWidth, height());
  const bool selected = option->state & QStyle::State_Selected;

  // Shadow, body, header band and category strip, all within the rounded outline.
  painter->setPen(Qt::NoPen);
  painter->setBrush(style_->nodeShadow);
  painter->drawRoundedRect(box.translated(0, 3), kRadius, kRadius);
  QPainterPath outline;
  outline.addRoundedRect(box, kRadius, kRadius);
  painter->setBrush(style_->nodeBody);
  painter->drawPath(outline);
  painter->save();
  painter->setClipPath(outline);
  painter->fillRect(QRectF(0, 0, kWidth, kHeader), style_->nodeHeader);
  painter->fillRect(QRectF(0, 0, kWidth, kStrip), style_->categoryColor(category_.toStdString()));
  painter->restore();
  painter->setPen(QPen(style_->nodeBorder, 1.0));
  painter->drawLine(QPointF(1, kHeader), QPointF(kWidth - 1, kHeader));

  // Badge and issue marker take the right end of the header; the title the rest.
  double right = kWidth - 10.0;
  const QPointF markCentre(0, (kHeader + kStrip) / 2.0);
  if (badge_.state != NodeBadge::State::None) {
    paintBadge(painter, {right - 8.0, markCentre.y()});
    right -= 22.0;
  }
  if (!issues_.empty()) {
    paintIssueMarker(painter, {right - 8.0, markCentre.y()});
    right -= 22.0;
  }
  painter->setFont(titleFont());
  painter->setPen(style_->titleText);
  const QRectF titleRect(12.0, kStrip, right - 16.0, kHeader - kStrip);
  painter->drawText(titleRect, Qt::AlignVCenter | Qt::AlignLeft,
                    QFontMetricsF(titleFont()).elidedText(title_, Qt::ElideRight, titleRect.width()));

  // Port labels: inputs on the left half, outputs on the right.
  painter->setFont(labelFont());
  const QFontMetricsF labels(labelFont());
  const double half = kWidth / 2.0 - kLabelInset - 4.0;
  for (int i = 0; i < inputLabels_.size(); ++i) {
    const bool muted = inputMuted_[std::size_t(i)];
    painter->setPen(muted ? style_->mutedText : style_->labelText);
    const double width = outputLabels_.size() > i ? half : kWidth - 2 * kLabelInset;
    const QRectF r(kLabelInset, rowY(std::size_t(i)) - kRow / 2, width, kRow);
    painter->drawText(r, Qt::AlignVCenter | Qt::AlignLeft,
                      labels.elidedText(inputLabels_[i], Qt::ElideRight, width));
  }
  painter->setPen(style_->labelText);
  for (int o = 0; o < outputLabels_.size(); ++o) {
    const double width = inputLabels_.size() > o ? half : kWidth - 2 * kLabelInset;
    const QRectF r(kWidth - kLabelInset - width, rowY(std::size_t(o)) - kRow / 2, width, kRow);
    painter->drawText(r, Qt::AlignVCenter | Qt::AlignRight,
                      labels.elidedText(outputLabels_[o], Qt::ElideLeft, width));
  }

  if (!summary_.isEmpty()) {
    const std::size_t rows = std::max<std::size_t>(std::max(inputs_.size(), outputs_.size()), 1);
    const double top = kHeader + kBodyPad + kRow * double(rows);
    painter->setPen(QPen(style_->nodeBorder, 1.0, Qt::DotLine));
    painter->drawLine(QPointF(10, top + 2), QPointF(kWidth - 10, top + 2));
    QFont f = labelFont();
    f.setItalic(true);
    painter->setFont(f);
    painter->setPen(style_->mutedText);
    const QRectF r(12.0, top + 4.0, kWidth - 24.0, kSummary - 2.0);
    painter->drawText(r, Qt::AlignVCenter | Qt::AlignLeft,
                      QFontMetricsF(f).elidedText(summary_, Qt::ElideRight, r.width()));
  }

  // Outline last, over the header band.
  painter->setBrush(Qt::NoBrush);
  if (dropHighlight_) {
    QColor glow = style_->nodeSelected;
    glow.setAlpha(120);
    painter->setPen(QPen(glow, 6.0));
    painter->drawPath(outline);
  }
  painter->setPen(selected ? QPen(style_->nodeSelected, 2.0) : QPen(style_->nodeBorder, 1.0));
  painter->drawPath(outline);
}

void NodeItem::paintOverview(QPainter* painter, const QStyleOptionGraphicsItem* option, double zoom) {
  const QRectF box(0, 0, kWidth, height());
  const bool selected = option->state & QStyle::State_Selected;
  QPainterPath outline;
  outline.addRoundedRect(box, kRadius, kRadius);
  painter->setPen(selected ? QPen(style_->nodeSelected, 2.0 / zoom) : QPen(style_->nodeBorder, 1.0 / zoom));
  painter->setBrush(style_->nodeBody);
  painter->drawPath(outline);
  // A strip as tall as a few screen pixels, so that categories still read as colours.
  const double strip = std::min(kStrip / zoom, box.height() / 4.0);
  painter->save();
  painter->setClipPath(outline);
  painter->fillRect(QRectF(0, 0, kWidth, strip), style_->categoryColor(category_.toStdString()));
  painter->restore();

  // The title alone, at a size the screen can show (kOverviewTitlePixels), over the whole box and wrapped
  // into as many lines as fit; the badge keeps its header corner, scaled with the title.
  const double markScale = std::min(1.0 / zoom, 3.0);
  double right = kWidth - 6.0;
  if (badge_.state != NodeBadge::State::None || !issues_.empty()) {
    painter->save();
    painter->translate(right - 10.0 * markScale, strip + 10.0 * markScale);
    painter->scale(markScale, markScale);
    if (badge_.state != NodeBadge::State::None)
      paintBadge(painter, {0.0, 0.0});
    else
      paintIssueMarker(painter, {0.0, 0.0});
    painter->restore();
  }
  const QRectF text = overviewTitleRect();
  painter->setPen(style_->titleText);
  // Never larger than fits the box (a long title shrinks rather than spills).
  drawOverviewTitle(painter, text, title_, titleFont(), zoom, overviewFitPixels());
}

QRectF NodeItem::overviewTitleRect() const {
  return QRectF(0, 0, kWidth, height()).adjusted(8.0, 12.0, -8.0, -4.0);
}

double NodeItem::overviewFitPixels() const {
  // Measured once per title and size (refresh() resets it): text layout is the dearest part of a frame.
  if (overviewFitPixels_ > 0) return overviewFitPixels_;
  overviewFitPixels_ = fittingTitlePixels(overviewTitleRect(), title_, titleFont());
  return overviewFitPixels_;
}

void NodeItem::paintBadge(QPainter* painter, QPointF c) const {
  using State = NodeBadge::State;
  constexpr double r = 7.0;
  const QRectF circle(c.x() - r, c.y() - r, 2 * r, 2 * r);
  painter->save();
  painter->setBrush(Qt::NoBrush);
  const auto check = [&](const QColor& colour) {
    QPainterPath tick;
    tick.moveTo(c + QPointF(-3.8, 0.2));
    tick.lineTo(c + QPointF(-1.0, 3.0));
    tick.lineTo(c + QPointF(4.0, -3.2));
    painter->setPen(QPen(colour, 2.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter->drawPath(tick);
  };
  switch (badge_.state) {
  case State::None: break;
  case State::Stale:
    painter->setPen(QPen(style_->stale, 1.5));
    painter->drawEllipse(circle);
    painter->setBrush(style_->stale);
    painter->setPen(Qt::NoPen);
    painter->drawEllipse(c, 2.5, 2.5);
    break;
  case State::Pending:
    painter->setPen(QPen(style_->stale, 1.5, Qt::DotLine));
    painter->drawEllipse(circle);
    break;
  case State::Running: {
    QColor track = style_->running;
    track.setAlpha(60);
    painter->setPen(QPen(track, 2.5));
    painter->drawEllipse(circle);
    // Unknown progress: a quarter arc, so it still reads as "working".
    const double fraction = badge_.progress < 0 ? 0.25 : std::clamp(badge_.progress, 0.0, 1.0);
    painter->setPen(QPen(style_->running, 2.5, Qt::SolidLine, Qt::RoundCap));
    painter->drawArc(circle, 90 * 16, -int(std::round(fraction * 360.0 * 16.0)));
    break;
  }
  case State::Cached:
    painter->setPen(QPen(style_->success, 1.3, Qt::DashLine));
    painter->drawEllipse(circle);
    check(style_->success);
    break;
  case State::Done:
    painter->setPen(Qt::NoPen);
    painter->setBrush(style_->success);
    painter->drawEllipse(circle);
    check(Qt::white);
    break;
  case State::Failed: {
    painter->setPen(Qt::NoPen);
    painter->setBrush(style_->error);
    painter->drawEllipse(circle);
    painter->setPen(QPen(Qt::white, 2.0, Qt::SolidLine, Qt::RoundCap));
    painter->drawLine(c + QPointF(-3, -3), c + QPointF(3, 3));
    painter->drawLine(c + QPointF(3, -3), c + QPointF(-3, 3));
    break;
  }
  case State::Cancelled:
    painter->setPen(QPen(style_->stale, 1.5));
    painter->drawEllipse(circle);
    painter->drawLine(c + QPointF(-4, 4), c + QPointF(4, -4));
    break;
  }
  painter->restore();
}

void NodeItem::paintIssueMarker(QPainter* painter, QPointF c) const {
  const bool error = graph::hasErrors(issues_);
  const QColor colour = error ? style_->error : style_->warning;
  painter->save();
  QPainterPath triangle;
  triangle.moveTo(c + QPointF(0, -7.5));
  triangle.lineTo(c + QPointF(8, 6.5));
  triangle.lineTo(c + QPointF(-8, 6.5));
  triangle.closeSubpath();
  painter->setPen(QPen(colour, 1.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
  painter->setBrush(colour);
  painter->drawPath(triangle);
  painter->setPen(QPen(Qt::white, 1.8, Qt::SolidLine, Qt::RoundCap));
  painter->drawLine(c + QPointF(0, -3), c + QPointF(0, 1.5));
  painter->drawPoint(c + QPointF(0, 4.2));
  painter->restore();
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant& value) {
  if (change == ItemPositionChange) {
    if (auto* graph = qobject_cast<GraphScene*>(scene())) return graph->snapped(value.toPointF());
  } else if (change == ItemPositionHasChanged) {
    Q_EMIT moved();
  }
  return QGraphicsObject::itemChange(change, value);
}

} // namespace mg::ui
