#pragma once
// The log dock's content: every area's spdlog messages, from any thread, coloured by level, with a level
// filter, Clear, and a cap on the lines kept.
#include <QWidget>

#include <memory>
#include <vector>

class QComboBox;
class QListView;

namespace mg::ui {

class LogLevelFilter;
class LogModel;
class LogSink;
struct LogEntry;

class LogPanel : public QWidget {
  Q_OBJECT
public:
  static constexpr int kDefaultCapacity = 5000;

  // Registers a sink with every logger (core/util/log.h), so messages logged from now on appear here.
  explicit LogPanel(QWidget* parent = nullptr, int capacity = kDefaultCapacity);
  ~LogPanel() override;

  // Lines shown (after the level filter) and their text, for tests and "copy all".
  int visibleLineCount() const;
  QString visibleLineText(int row) const;

public Q_SLOTS:
  void clear();
  void copySelection() const;

private:
  void appendEntries(std::vector<LogEntry> entries);

  std::shared_ptr<LogSink> sink_;
  LogModel* model_ = nullptr;
  LogLevelFilter* filter_ = nullptr;
  QListView* view_ = nullptr;
  QComboBox* levelCombo_ = nullptr;
};

} // namespace mg::ui
