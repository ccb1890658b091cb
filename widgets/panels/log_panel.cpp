#include "panels/log_panel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QScrollBar>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>

#include "panels/log_model.h"
#include "panels/log_sink.h"
#include "util/log.h"

namespace mg::ui {

LogPanel::LogPanel(QWidget* parent, int capacity) : QWidget(parent) {
  setObjectName(QStringLiteral("logPanel"));
  model_ = new LogModel(capacity, this);
  filter_ = new LogLevelFilter(this);
  filter_->setSourceModel(model_);

  levelCombo_ = new QComboBox(this);
  levelCombo_->setObjectName(QStringLiteral("logLevelFilter"));
  levelCombo_->addItem(tr("Debug and above"), int(spdlog::level::debug));
  levelCombo_->addItem(tr("Info and above"), int(spdlog::level::info));
  levelCombo_->addItem(tr("Warnings and errors"), int(spdlog::level::warn));
  levelCombo_->addItem(tr("Errors only"), int(spdlog::level::err));
  levelCombo_->setCurrentIndex(1);
  filter_->setMinimumLevel(spdlog::level::info);
  connect(levelCombo_, &QComboBox::currentIndexChanged, this, [this] {
    filter_->setMinimumLevel(spdlog::level::level_enum(levelCombo_->currentData().toInt()));
  });

  auto* clearButton = new QPushButton(tr("Clear"), this);
  clearButton->setObjectName(QStringLiteral("clearLogButton"));
  connect(clearButton, &QPushButton::clicked, this, &LogPanel::clear);

  view_ = new QListView(this);
  view_->setObjectName(QStringLiteral("logView"));
  view_->setModel(filter_);
  view_->setUniformItemSizes(true); // thousands of lines lay out in constant time
  view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  auto* copy = new QAction(tr("Copy"), view_);
  copy->setShortcut(QKeySequence::Copy);
  copy->setShortcutContext(Qt::WidgetShortcut);
  connect(copy, &QAction::triggered, this, &LogPanel::copySelection);
  view_->addAction(copy);
  view_->setContextMenuPolicy(Qt::ActionsContextMenu);

  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Show:"), this));
  bar->addWidget(levelCombo_);
  bar->addStretch(1);
  bar->addWidget(clearButton);
  auto* layout = new QVBoxLayout(this);
  const int margin = style()->pixelMetric(QStyle::PM_LayoutLeftMargin) / 2; // a dock frames it already
  layout->setContentsMargins(margin, margin, margin, margin);
  layout->addLayout(bar);
  layout->addWidget(view_, 1);

  sink_ = std::make_shared<LogSink>();
  sink_->set_level(spdlog::level::trace); // the panel filters what it shows; keep everything
  sink_->attach(this, [this](std::vector<LogEntry> entries) { appendEntries(std::move(entries)); });
  mg::log::addSink(sink_);
}

LogPanel::~LogPanel() {
  sink_->detach();
}

void LogPanel::appendEntries(std::vector<LogEntry> entries) {
  // Follow the newest line only when the user has not scrolled up to read something.
  QScrollBar* bar = view_->verticalScrollBar();
  const bool atBottom = bar->value() == bar->maximum();
  model_->append(std::move(entries));
  if (atBottom) view_->scrollToBottom();
}

int LogPanel::visibleLineCount() const {
  return filter_->rowCount();
}

QString LogPanel::visibleLineText(int row) const {
  return filter_->index(row, 0).data().toString();
}

void LogPanel::clear() {
  model_->clear();
}

void LogPanel::copySelection() const {
  QModelIndexList rows = view_->selectionModel()->selectedRows();
  std::sort(rows.begin(), rows.end(),
            [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
  QStringList lines;
  for (const QModelIndex& index : rows)
    lines.append(index.data().toString());
  QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
}

} // namespace mg::ui
