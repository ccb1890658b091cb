#pragma once
// The node editor's colours: canvas, nodes, one colour per port type (edges take their output's colour)
// and per node category, and the badge colours. One palette for dark and one for light themes; the port
// colours keep their hue across both so users learn them once.
#include <QColor>

#include <map>
#include <string>

#include "graph/port_type.h"

namespace mg::ui {

struct EditorStyle {
  QColor background;
  QColor gridMinor;
  QColor gridMajor;
  QColor nodeBody;
  QColor nodeHeader;
  QColor nodeBorder;
  QColor nodeSelected; // border of selected nodes and edges, the rubber band
  QColor nodeShadow;
  QColor titleText;
  QColor labelText;
  QColor mutedText; // the parameter summary, free variadic inputs
  QColor error;
  QColor warning;
  QColor success;
  QColor running;
  QColor stale;
  QColor groupColor;     // a node group's outline, tab and strip
  QColor groupTitleText; // on the group's tab
  std::map<graph::PortType, QColor> ports;
  std::map<std::string, QColor> categories; // by NodeType::category
  QColor otherCategory;

  QColor portColor(graph::PortType type) const;
  QColor categoryColor(const std::string& category) const;

  static EditorStyle dark();
  static EditorStyle light();
};

} // namespace mg::ui
