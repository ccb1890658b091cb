#pragma once
// The preferences that have no menu of their own: the language and the cache size limit. Changes are written
// to Preferences when the dialog is accepted; whoever listens to Preferences applies the cache limit at once,
// the language applies from the next start (the dialog says so).
#include <QDialog>

class QComboBox;
class QDoubleSpinBox;

namespace mg::ui {

class Preferences;

class PreferencesDialog : public QDialog {
  Q_OBJECT
public:
  explicit PreferencesDialog(Preferences* preferences, QWidget* parent = nullptr);

  // The cache size limit as shown, in GiB.
  QDoubleSpinBox* cacheLimitBox() const { return cacheLimit_; }
  // The language choice: "As the system" (data "") first, then each language under its own name.
  QComboBox* languageBox() const { return language_; }

  void accept() override;

private:
  Preferences* preferences_;
  QDoubleSpinBox* cacheLimit_;
  QComboBox* language_;
};

} // namespace mg::ui
