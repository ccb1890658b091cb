#pragma once
// What the engine last said about a node, drawn as a badge in the corner of its header: a progress ring
// while running, a check when done or cached, a red mark (message as tooltip) when it failed.
#include <QString>

namespace mg::ui {

struct NodeBadge {
  enum class State { None, Stale, Pending, Running, Cached, Done, Failed, Cancelled };
  State state = State::None;
  double progress = -1; // 0..1 while running, -1 unknown
  QString message;
};

} // namespace mg::ui
