#pragma once
// The log panel's lines: the newest `capacity` entries, coloured by level from the current palette (so a
// theme switch recolours them), and filtered by a minimum level.
#include <QAbstractListModel>
#include <QSortFilterProxyModel>

#include <deque>
#include <vector>

#include "panels/log_sink.h"

namespace mg::ui {

class LogModel : public QAbstractListModel {
  Q_OBJECT
public:
  static constexpr int kLevelRole = Qt::UserRole + 1; // int(spdlog::level::level_enum)

  explicit LogModel(int capacity = 5000, QObject* parent = nullptr);

  void append(std::vector<LogEntry> entries); // drops the oldest beyond the capacity
  void clear();
  int capacity() const { return capacity_; }
  const LogEntry& entry(int row) const { return entries_.at(std::size_t(row)); }

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;

  // "12:03:04.120 warning [engine] message": the text of a line, as shown and as copied.
  static QString lineText(const LogEntry& entry);

private:
  int capacity_;
  std::deque<LogEntry> entries_;
};

// Lets through entries at `minimumLevel` or above.
class LogLevelFilter : public QSortFilterProxyModel {
  Q_OBJECT
public:
  using QSortFilterProxyModel::QSortFilterProxyModel;
  void setMinimumLevel(spdlog::level::level_enum level);
  spdlog::level::level_enum minimumLevel() const { return minimum_; }

protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
  spdlog::level::level_enum minimum_ = spdlog::level::trace;
};

} // namespace mg::ui
