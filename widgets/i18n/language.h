#pragma once
// The workbench's languages: which catalogues exist, which one a start-up uses, and installing it. The
// choice (Preferences ▸ Language) applies from the next start: widgets read their texts once, when built.
#include <QList>
#include <QLocale>
#include <QString>

namespace mg::ui {

struct Language {
  QString code; // "de"; "" for "as the system": the preference's value
  QString name; // in the language itself ("Deutsch"), as language pickers show them
};

// English first, then the translated languages; "as the system" is not among them.
QList<Language> availableLanguages();

// The language a start-up uses: `preferred` when it is one of availableLanguages(), else (empty or unknown)
// the first of the system's UI languages that is, else English ("en").
QString resolveLanguage(const QString& preferred, const QLocale& system = QLocale::system());

// Installs the catalogues of `code` (the workbench's, embedded as :/i18n/merganser_<code>.qm, and Qt's own
// qtbase_<code>.qm from Qt's translations folder, for its dialogs) in place of any installed earlier, and
// makes the locale numbers are written in that of the language: the system's when it speaks `code` (its
// region's formats), else the language's default. Returns false, leaving English, when the workbench's
// catalogue for `code` is missing. Needs a QCoreApplication.
bool installLanguage(const QString& code, const QLocale& system = QLocale::system());

} // namespace mg::ui
