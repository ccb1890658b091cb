#include "theme/theme.h"

#include <QApplication>
#include <QCoreApplication>
#include <QFile>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

// The qrc is compiled into the static merganser_widgets library: make sure it is registered before the
// style sheets are read, whether or not the executable did so. Q_INIT_RESOURCE must be outside namespaces.
static void initThemeResources() {
  Q_INIT_RESOURCE(merganser);
}

namespace mg::ui {

namespace {

// The platform's palette before any theme replaced it: what Theme::System restores.
const QPalette& platformPalette() {
  static const QPalette palette = QGuiApplication::palette();
  return palette;
}

// Fusion's own palette is a light one; a few colours are tuned to match the dark theme's accents.
QPalette lightPalette(const QStyle& fusion) {
  QPalette p = fusion.standardPalette();
  p.setColor(QPalette::Window, QColor(0xef, 0xf0, 0xf1));
  p.setColor(QPalette::Base, Qt::white);
  p.setColor(QPalette::AlternateBase, QColor(0xf5, 0xf6, 0xf7));
  p.setColor(QPalette::Highlight, QColor(0x30, 0x7c, 0xd6));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, QColor(0x1d, 0x5f, 0xb0));
  p.setColor(QPalette::PlaceholderText, QColor(0x6b, 0x70, 0x78));
  return p;
}

QPalette darkPalette() {
  const QColor window(0x2b, 0x2e, 0x33);
  const QColor base(0x1f, 0x22, 0x26);
  const QColor text(0xe4, 0xe6, 0xea);
  const QColor disabledText(0x7c, 0x82, 0x8a);
  QPalette p;
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, QColor(0x26, 0x29, 0x2e));
  p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3e, 0x44));
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::PlaceholderText, QColor(0x98, 0x9e, 0xa6));
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, QColor(0x35, 0x39, 0x3f));
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
  p.setColor(QPalette::Light, QColor(0x45, 0x49, 0x50));
  p.setColor(QPalette::Midlight, QColor(0x3a, 0x3e, 0x44));
  p.setColor(QPalette::Mid, QColor(0x25, 0x28, 0x2c));
  p.setColor(QPalette::Dark, QColor(0x1a, 0x1c, 0x1f));
  p.setColor(QPalette::Shadow, QColor(0x10, 0x11, 0x13));
  p.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xe6));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, QColor(0x6c, 0xb2, 0xff));
  p.setColor(QPalette::LinkVisited, QColor(0xb0, 0x8c, 0xff));
  for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
    p.setColor(QPalette::Disabled, role, disabledText);
  p.setColor(QPalette::Disabled, QPalette::Base, window);
  p.setColor(QPalette::Disabled, QPalette::Button, window);
  return p;
}

QString styleSheet(bool dark) {
  initThemeResources();
  QFile file(dark ? QStringLiteral(":/themes/dark.qss") : QStringLiteral(":/themes/light.qss"));
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(file.readAll());
}

} // namespace

void applyTheme(QApplication& app, Theme theme) {
  const QPalette original = platformPalette(); // captured before the first change
  app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
  QPalette palette;
  switch (theme) {
  case Theme::Light: palette = lightPalette(*app.style()); break;
  case Theme::Dark: palette = darkPalette(); break;
  case Theme::System: palette = original; break;
  }
  app.setPalette(palette);
  app.setStyleSheet(styleSheet(isDark(palette)));
}

bool isDark(const QPalette& palette) {
  return palette.color(QPalette::Window).lightness() < 128;
}

bool isDark(Theme theme) {
  switch (theme) {
  case Theme::Light: return false;
  case Theme::Dark: return true;
  case Theme::System: return isDark(platformPalette());
  }
  return false;
}

QColor errorColor(const QPalette& palette) {
  return isDark(palette) ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc0, 0x1c, 0x28);
}

QColor warningColor(const QPalette& palette) {
  return isDark(palette) ? QColor(0xff, 0xb3, 0x47) : QColor(0xb8, 0x5c, 0x00);
}

QString themeName(Theme theme) {
  switch (theme) {
  case Theme::Light: return QStringLiteral("light");
  case Theme::Dark: return QStringLiteral("dark");
  case Theme::System: return QStringLiteral("system");
  }
  return QStringLiteral("system");
}

QString themeTitle(Theme theme) {
  switch (theme) {
  case Theme::Light: return QCoreApplication::translate("Theme", "Light");
  case Theme::Dark: return QCoreApplication::translate("Theme", "Dark");
  case Theme::System: break;
  }
  return QCoreApplication::translate("Theme", "As the System");
}

std::optional<Theme> themeFromName(const QString& name) {
  for (const Theme theme : {Theme::Light, Theme::Dark, Theme::System})
    if (themeName(theme) == name) return theme;
  return std::nullopt;
}

} // namespace mg::ui
