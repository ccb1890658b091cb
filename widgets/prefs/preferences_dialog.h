#pragma once
// The preferences that have no menu of their own: the cache size limit. Changes are written to Preferences
// when the dialog is accepted, and whoever listens to Preferences applies them without a restart.
#include <QDialog>

class QDoubleSpinBox;

namespace mg::ui {

class Preferences;

class PreferencesDialog : public QDialog {
  Q_OBJECT
public:
  explicit PreferencesDialog(Preferences* preferences, QWidget* parent = nullptr);

  // The cache size limit as shown, in GiB.
  QDoubleSpinBox* cacheLimitBox() const { return cacheLimit_; }

  void accept() override;

private:
  Preferences* preferences_;
  QDoubleSpinBox* cacheLimit_;
};

} // namespace mg::ui
