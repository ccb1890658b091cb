// Switching themes: Fusion, the palette's colours, the style sheet from the resources, and System going back
// to the platform's palette.
#include "support/test_registry.h"
#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QtTest>

#include "theme/theme.h"

using namespace mg::ui;

class ThemeTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void switchesPalettes() {
    auto& app = *qApp;
    const QColor platformWindow = QApplication::palette().color(QPalette::Window);

    applyTheme(app, Theme::Dark);
    QCOMPARE(app.style()->metaObject()->className(), "QStyleSheetStyle"); // the theme's sheet over Fusion
    const QColor dark = QApplication::palette().color(QPalette::Window);
    QVERIFY(dark.lightness() < 100);
    QVERIFY(QApplication::palette().color(QPalette::WindowText).lightness() > 180);
    QVERIFY(isDark(QApplication::palette()));
    QVERIFY(app.styleSheet().contains(QStringLiteral("QDockWidget")));

    QWidget widget; // a widget sees the application's palette
    QCOMPARE(widget.palette().color(QPalette::Window), dark);

    applyTheme(app, Theme::Light);
    const QColor light = QApplication::palette().color(QPalette::Window);
    QVERIFY(light.lightness() > 200);
    QVERIFY(light != dark);
    QVERIFY(!isDark(QApplication::palette()));
    QCoreApplication::processEvents(); // widgets take a new application palette through posted events
    QCOMPARE(widget.palette().color(QPalette::Window), light);

    applyTheme(app, Theme::System);
    QCOMPARE(QApplication::palette().color(QPalette::Window), platformWindow);
    QCOMPARE(isDark(Theme::System), platformWindow.lightness() < 128);
  }

  void namesAndDarkness() {
    QVERIFY(isDark(Theme::Dark));
    QVERIFY(!isDark(Theme::Light));
    for (const Theme theme : {Theme::Light, Theme::Dark, Theme::System})
      QCOMPARE(themeFromName(themeName(theme)), theme);
    QVERIFY(!themeFromName(QStringLiteral("sepia")));
  }

  void problemColoursStayReadable() {
    applyTheme(*qApp, Theme::Dark);
    const QPalette dark = QApplication::palette();
    QVERIFY(errorColor(dark).lightness() > dark.color(QPalette::Base).lightness() + 60);
    applyTheme(*qApp, Theme::Light);
    const QPalette light = QApplication::palette();
    QVERIFY(errorColor(light).lightness() < light.color(QPalette::Base).lightness() - 60);
    QVERIFY(warningColor(light) != errorColor(light));
  }
};

MG_TEST_MAIN(ThemeTest)
#include "test_theme.moc"
