// The user guide (issue 16): Help ▸ User Guide shows docs/guide.md; the guide's pictures are exactly those
// docs/make_screenshots.sh makes (so neither can drift from the other), and it describes every node type.
#include "support/test_registry.h"
#include <QtTest>

#include <QAction>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSettings>
#include <QTextBrowser>

#include <set>

#include "graph/node_type_registry.h"
#include "help/user_guide_window.h"
#include "mainwindow/main_window.h"
#include "prefs/preferences.h"

namespace {

QString readSource(const QString& relative) {
  QFile file(QStringLiteral(QT_TESTCASE_SOURCEDIR "/../") + relative);
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(file.readAll());
}

std::set<QString> matches(const QString& text, const QString& pattern) {
  std::set<QString> found;
  auto it = QRegularExpression(pattern, QRegularExpression::MultilineOption).globalMatch(text);
  while (it.hasNext())
    found.insert(it.next().captured(1));
  return found;
}

} // namespace

class UserGuideTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void helpMenuOpensTheGuide() {
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    mg::ui::Preferences preferences(&settings);
    mg::ui::MainWindow window(&preferences, dir.filePath(QStringLiteral("recovery")));
    window.show();
    QAction* action = window.findChild<QAction*>(QStringLiteral("userGuideAction"));
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(QKeySequence::HelpContents));
    action->trigger();
    auto* guide = window.findChild<mg::ui::UserGuideWindow*>(QStringLiteral("userGuide"));
    QVERIFY(guide && guide->isVisible());
    const QString text = guide->browser()->toPlainText();
    for (const char* heading : {"Merganser user guide", "Everyday tasks", "Export the composed checkpoint",
                                "Explore the task map", "Node types", "The command line"})
      QVERIFY2(text.contains(QLatin1String(heading)), heading);
  }

  void picturesAreTheScreenshotScripts() {
    const QString guide = readSource(QStringLiteral("docs/guide.md"));
    const QString script = readSource(QStringLiteral("docs/make_screenshots.sh"));
    QVERIFY(!guide.isEmpty() && !script.isEmpty());
    const auto shown = matches(guide, QStringLiteral(R"(\]\(images/([\w-]+)\.png\))"));
    const auto made = matches(script, QStringLiteral(R"(^shot ([\w-]+))"));
    QVERIFY(made.size() >= 8);
    QCOMPARE(shown, made);
  }

  void everyNodeTypeIsDescribed() {
    const QString guide = readSource(QStringLiteral("docs/guide.md"));
    for (const auto& category : mg::graph::NodeTypeRegistry::instance().categories())
      for (const mg::graph::NodeType* type : mg::graph::NodeTypeRegistry::instance().typesIn(category))
        QVERIFY2(guide.contains(QStringLiteral("`%1`").arg(QString::fromStdString(type->id))),
                 type->id.c_str());
  }
};

MG_TEST_MAIN(UserGuideTest)
#include "test_user_guide.moc"
