#pragma once
// A node editor as a user has it (session, scene, view shown and focused), with the mouse gestures the
// editor tests make: clicks, drags and double-clicks in view coordinates, sent as real mouse events.
#include <QtTest>

#include "editor/graph_scene.h"
#include "editor/graph_view.h"
#include "session/project_session.h"

namespace mg::test {

struct Canvas {
  ui::ProjectSession session;
  ui::GraphScene scene{&session};
  ui::GraphView view{&scene};

  explicit Canvas(QSize size = {1200, 800}) {
    view.resize(size);
    view.show();
    view.activateWindow();
    if (!QTest::qWaitForWindowActive(&view)) qWarning("the canvas did not become active");
    view.setFocus();
  }
  QPoint at(QPointF scenePos) const { return view.mapFromScene(scenePos); }
  void mouse(QEvent::Type type, QPoint pos, Qt::MouseButtons buttons) {
    const Qt::MouseButton button = type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton;
    QMouseEvent event(type, QPointF(pos), view.viewport()->mapToGlobal(QPointF(pos)), button, buttons,
                      Qt::NoModifier);
    QApplication::sendEvent(view.viewport(), &event);
  }
  // Press at `from`, move in four steps to `to`, release there.
  void drag(QPoint from, QPoint to) {
    mouse(QEvent::MouseButtonPress, from, Qt::LeftButton);
    for (int i = 1; i <= 4; ++i)
      mouse(QEvent::MouseMove, from + (to - from) * i / 4, Qt::LeftButton);
    mouse(QEvent::MouseButtonRelease, to, Qt::NoButton);
  }
  // As a person double-clicks; then the events the gesture posted run.
  void doubleClick(QPoint pos) {
    mouse(QEvent::MouseButtonPress, pos, Qt::LeftButton);
    mouse(QEvent::MouseButtonRelease, pos, Qt::NoButton);
    mouse(QEvent::MouseButtonDblClick, pos, Qt::LeftButton);
    mouse(QEvent::MouseButtonRelease, pos, Qt::NoButton);
    QCoreApplication::processEvents();
  }
};

} // namespace mg::test
