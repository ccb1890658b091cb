#include "prefs/preferences_dialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>

#include <cmath>

#include "prefs/preferences.h"

namespace mg::ui {

namespace {

constexpr double kMiBPerGiB = 1024.0;

} // namespace

PreferencesDialog::PreferencesDialog(Preferences* preferences, QWidget* parent)
    : QDialog(parent), preferences_(preferences), cacheLimit_(new QDoubleSpinBox(this)) {
  setWindowTitle(tr("Preferences"));
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
  form->addRow(tr("Cache size limit:"), cacheLimit_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  form->addRow(buttons);
}

void PreferencesDialog::accept() {
  preferences_->setCacheLimitMiB(std::llround(cacheLimit_->value() * kMiBPerGiB));
  QDialog::accept();
}

} // namespace mg::ui
