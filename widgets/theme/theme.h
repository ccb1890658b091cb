#pragma once
// The workbench's look: Fusion with a light or dark palette and a small style sheet for docks and panels.
// Sizes come from the platform font and the style, never fixed pixels, so high-DPI screens scale cleanly.
#include <QColor>
#include <QString>

#include <optional>

class QApplication;
class QPalette;

namespace mg::ui {

enum class Theme { Light, Dark, System };

// Sets the Fusion style, the theme's palette and style sheet on the application. System follows the
// platform's palette as it was before the first call.
void applyTheme(QApplication& app, Theme theme);

// Whether the theme shows light text on dark backgrounds (System: whether the platform's palette does).
bool isDark(Theme theme);
// Whether a palette is a dark one (its window colour is darker than mid-grey).
bool isDark(const QPalette& palette);

// Text colours for problems, readable on the palette's base colour: log levels, validation issues.
QColor errorColor(const QPalette& palette);
QColor warningColor(const QPalette& palette);

// "light", "dark", "system": the spelling of the preferences file.
QString themeName(Theme theme);
// As the View ▸ Theme menu shows it, in the workbench's language: "System", "Light", "Dark".
QString themeTitle(Theme theme);
std::optional<Theme> themeFromName(const QString& name);

} // namespace mg::ui
