#pragma once
// The shape and type of the canvas's boxes, shared by nodes (node_item) and collapsed groups (group_item)
// so that a group reads as a node: the header band, the port rows, the corners and the fonts.
#include <QFont>

namespace mg::ui::box {

inline constexpr double kHeader = 32.0; // the title band
inline constexpr double kStrip = 4.0;   // the category (or group) colour at its top
inline constexpr double kRow = 22.0;    // one port
inline constexpr double kRadius = 8.0;  // corners

inline QFont titleFont() {
  QFont f;
  f.setPointSizeF(9.5);
  f.setBold(true);
  return f;
}

inline QFont labelFont() {
  QFont f;
  f.setPointSizeF(8.5);
  return f;
}

} // namespace mg::ui::box
