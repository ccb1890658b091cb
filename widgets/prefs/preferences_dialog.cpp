#include "prefs/preferences_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>

#include <algorithm>
#include <cmath>

#include "i18n/language.h"
#include "prefs/preferences.h"

namespace mg::ui {

namespace {

constexpr double kMiBPerGiB = 1024.0;

} // namespace

PreferencesDialog::PreferencesDialog(Preferences* preferences, QWidget* parent)
    : QDialog(parent), preferences_(preferences), cacheLimit_(new QDoubleSpinBox(this)),
      language_(new QComboBox(this)) {
  setWindowTitle(tr("Preferences"));
  language_->setObjectName(QStringLiteral("language"));
  language_->addItem(tr("As the system"), QString());
  for (const Language& language : availableLanguages())
    language_->addItem(language.name, language.code);
  language_->setCurrentIndex(std::max(0, language_->findData(preferences_->language())));

  cacheLimit_->setObjectName(QStringLiteral("cacheLimit"));
  cacheLimit_->setRange(0.0, 4096.0);
  cacheLimit_->setDecimals(1);
  cacheLimit_->setSingleStep(0.5);
  cacheLimit_->setSuffix(tr(" GB"));
  cacheLimit_->setValue(double(preferences_->cacheLimitMiB()) / kMiBPerGiB);
  cacheLimit_->setToolTip(tr("Disk space the engine may keep for cached results that are files (extracted "
                             "adapters); beyond it the least recently used are deleted and re-run when "
                             "needed. The last run's files are always kept."));

  auto* form = new QFormLayout(this);
  form->addRow(tr("Language:"), language_);
  auto* restartNote = new QLabel(tr("A new language applies when Merganser starts next."), this);
  restartNote->setEnabled(false); // greyed: a note, not a setting
  form->addRow(QString(), restartNote);
  form->addRow(tr("Cache size limit:"), cacheLimit_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  form->addRow(buttons);
}

void PreferencesDialog::accept() {
  preferences_->setCacheLimitMiB(std::llround(cacheLimit_->value() * kMiBPerGiB));
  preferences_->setLanguage(language_->currentData().toString());
  QDialog::accept();
}

} // namespace mg::ui
