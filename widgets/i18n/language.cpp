#include "i18n/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

#include <memory>
#include <vector>

namespace mg::ui {

namespace {

const QString kEnglish = QStringLiteral("en");

bool isAvailable(const QString& code) {
  for (const Language& language : availableLanguages())
    if (language.code == code) return true;
  return false;
}

// The translators installed last, removed before others are installed.
std::vector<std::unique_ptr<QTranslator>>& installedTranslators() {
  static std::vector<std::unique_ptr<QTranslator>> translators;
  return translators;
}

void removeInstalled() {
  for (auto& translator : installedTranslators())
    QCoreApplication::removeTranslator(translator.get());
  installedTranslators().clear();
}

bool install(const QString& file, const QString& folder) {
  auto translator = std::make_unique<QTranslator>();
  if (!translator->load(file, folder)) return false;
  QCoreApplication::installTranslator(translator.get());
  installedTranslators().push_back(std::move(translator));
  return true;
}

} // namespace

QList<Language> availableLanguages() {
  // Names in their own language: a person who cannot read the current one still finds theirs.
  return {{kEnglish, QStringLiteral("English")},
          {QStringLiteral("de"), QStringLiteral("Deutsch")},
          {QStringLiteral("fr"), QStringLiteral("Français")}};
}

QString resolveLanguage(const QString& preferred, const QLocale& system) {
  if (isAvailable(preferred)) return preferred;
  for (const QString& uiLanguage : system.uiLanguages()) {
    const QString code = QLocale(uiLanguage).name().section(QLatin1Char('_'), 0, 0);
    if (isAvailable(code)) return code;
  }
  return kEnglish;
}

bool installLanguage(const QString& code, const QLocale& system) {
  removeInstalled();
  const bool speaksIt = QLocale(code).language() == system.language();
  QLocale::setDefault(speaksIt ? system : QLocale(code));
  if (code == kEnglish) return true; // the sources' language
  if (!install(QStringLiteral("merganser_") + code, QStringLiteral(":/i18n"))) {
    QLocale::setDefault(system);
    return false;
  }
  // Qt's own texts (standard buttons, the file dialog): missing when qt6-translations-l10n is not
  // installed, which leaves them English and the rest translated.
  install(QStringLiteral("qtbase_") + code, QLibraryInfo::path(QLibraryInfo::TranslationsPath));
  return true;
}

} // namespace mg::ui
