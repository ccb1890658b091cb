#include "help/user_guide_window.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QEvent>
#include <QLabel>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextFragment>
#include <QVBoxLayout>

#include <algorithm>

namespace mg::ui {

namespace {
// docs/make_screenshots.sh's pictures are all this size.
constexpr double kScreenshotWidth = 1600.0;
constexpr double kScreenshotHeight = 1000.0;
} // namespace

QString userGuidePath() {
  const QStringList candidates = {QDir(QCoreApplication::applicationDirPath())
                                      .filePath(QStringLiteral("../share/doc/merganser/guide.md")),
                                  QStringLiteral(MERGANSER_SOURCE_DOCS "/guide.md")};
  for (const QString& path : candidates)
    if (QFileInfo::exists(path)) return QFileInfo(path).canonicalFilePath();
  return {};
}

UserGuideWindow::UserGuideWindow(QWidget* parent) : QWidget(parent, Qt::Window) {
  setObjectName(QStringLiteral("userGuide"));
  setWindowTitle(tr("Merganser User Guide"));
  resize(900, 1000);
  notice_ = new QLabel(this);
  notice_->setWordWrap(true);
  notice_->setObjectName(QStringLiteral("userGuideNotice"));
  browser_ = new QTextBrowser(this);
  browser_->setOpenExternalLinks(true);
  browser_->viewport()->installEventFilter(this); // pictures follow the page's width
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(notice_);
  layout->addWidget(browser_, 1);

  const QString guide = userGuidePath();
  if (guide.isEmpty()) {
    notice_->setText(tr("The user guide is not installed (docs/guide.md in the sources)."));
    return;
  }
  browser_->setSearchPaths({QFileInfo(guide).absolutePath()});
  browser_->setSource(QUrl::fromLocalFile(guide), QTextDocument::MarkdownResource);
  fitImages();
  if (!QFileInfo::exists(
          QDir(QFileInfo(guide).absolutePath()).filePath(QStringLiteral("images/overview.png"))))
    notice_->setText(tr("The guide's pictures have not been made: run docs/make_screenshots.sh (it needs the "
                        "demo zoo, which packaging/dev.sh run trains)."));
  notice_->setVisible(!notice_->text().isEmpty());
}

void UserGuideWindow::fitImages() {
  // The screenshots are 1600 pixels wide: shown at the page's width (never wider than they are), so the
  // guide reads without scrolling sideways.
  const double width =
      std::max(200, browser_->viewport()->width() - 2 * int(browser_->document()->documentMargin()) - 4);
  QTextCursor cursor(browser_->document());
  for (QTextBlock block = browser_->document()->begin(); block.isValid(); block = block.next()) {
    for (auto it = block.begin(); !it.atEnd(); ++it) {
      const QTextFragment fragment = it.fragment();
      QTextImageFormat image = fragment.charFormat().toImageFormat();
      if (!image.isValid()) continue;
      image.setWidth(std::min(width, kScreenshotWidth));
      image.setHeight(std::min(width, kScreenshotWidth) * kScreenshotHeight / kScreenshotWidth);
      cursor.setPosition(fragment.position());
      cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
      cursor.setCharFormat(image);
    }
  }
}

bool UserGuideWindow::eventFilter(QObject* watched, QEvent* event) {
  if (watched == browser_->viewport() && event->type() == QEvent::Resize) fitImages();
  return QWidget::eventFilter(watched, event);
}

QString UserGuideWindow::notice() const {
  return notice_->text();
}

} // namespace mg::ui
