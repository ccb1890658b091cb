#include "panels/log_model.h"

#include <QApplication>
#include <QPalette>

#include <algorithm>

#include "theme/theme.h"

namespace mg::ui {

LogModel::LogModel(int capacity, QObject* parent) : QAbstractListModel(parent), capacity_(capacity) {}

void LogModel::append(std::vector<LogEntry> entries) {
  if (entries.empty()) return;
  // Only the newest `capacity_` of the batch can survive: skip the rest up front.
  auto first = entries.begin();
  if (entries.size() > std::size_t(capacity_)) first = entries.end() - capacity_;
  const int incoming = int(entries.end() - first);
  const int overflow = int(entries_.size()) + incoming - capacity_;
  if (overflow > 0) {
    beginRemoveRows({}, 0, overflow - 1);
    entries_.erase(entries_.begin(), entries_.begin() + overflow);
    endRemoveRows();
  }
  const int row = int(entries_.size());
  beginInsertRows({}, row, row + incoming - 1);
  std::move(first, entries.end(), std::back_inserter(entries_));
  endInsertRows();
}

void LogModel::clear() {
  beginResetModel();
  entries_.clear();
  endResetModel();
}

int LogModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(entries_.size());
}

QString LogModel::lineText(const LogEntry& e) {
  const auto level = spdlog::level::to_string_view(e.level);
  return QStringLiteral("%1 %2 [%3] %4")
      .arg(e.time.toString(QStringLiteral("HH:mm:ss.zzz")),
           QString::fromLatin1(level.data(), qsizetype(level.size())), e.area, e.message);
}

QVariant LogModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const LogEntry& e = entry(index.row());
  switch (role) {
  case Qt::DisplayRole: return lineText(e);
  case Qt::ToolTipRole: return e.message;
  case kLevelRole: return int(e.level);
  case Qt::ForegroundRole: {
    // Read at paint time, so a theme switch recolours every line.
    const QPalette palette = QApplication::palette();
    if (e.level >= spdlog::level::err) return errorColor(palette);
    if (e.level == spdlog::level::warn) return warningColor(palette);
    if (e.level <= spdlog::level::debug) return palette.color(QPalette::PlaceholderText);
    return {};
  }
  default: return {};
  }
}

void LogLevelFilter::setMinimumLevel(spdlog::level::level_enum level) {
  if (level == minimum_) return;
  minimum_ = level;
  invalidateFilter();
}

bool LogLevelFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
  return index.data(LogModel::kLevelRole).toInt() >= int(minimum_);
}

} // namespace mg::ui
