#pragma once
// Help ▸ User Guide: docs/guide.md (Markdown, with the pictures docs/make_screenshots.sh makes) in a
// browser window. Found where the package installs it (share/doc/merganser beside the program's bin/), else
// in the source tree the program was built from.
#include <QString>
#include <QWidget>

class QTextBrowser;
class QLabel;

namespace mg::ui {

// The guide's path, or empty when neither place has it.
QString userGuidePath();

class UserGuideWindow : public QWidget {
  Q_OBJECT
public:
  explicit UserGuideWindow(QWidget* parent = nullptr);
  QTextBrowser* browser() const { return browser_; }
  // Shown above the guide when it is missing or its pictures were never made.
  QString notice() const;

protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

private:
  void fitImages(); // every picture at the page's width

  QTextBrowser* browser_;
  QLabel* notice_;
};

} // namespace mg::ui
