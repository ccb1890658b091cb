#include "charts/chart_table_layout.h"

#include <QHeaderView>
#include <QSplitter>
#include <QTableView>

namespace mg::ui {

QTableView* makeResultsTable(QAbstractItemModel* model, const QString& objectName, QWidget* parent) {
  auto* table = new QTableView(parent);
  table->setObjectName(objectName);
  table->setModel(model);
  table->setSortingEnabled(true);
  table->sortByColumn(-1, Qt::AscendingOrder); // run order until a header is clicked
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setAlternatingRowColors(true);
  table->verticalHeader()->hide();
  table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
  table->horizontalHeader()->setHighlightSections(false);
  table->horizontalHeader()->setStretchLastSection(true); // fills its side when the columns are few
  return table;
}

QSplitter* chartBesideTable(QWidget* chart, QTableView* table, QWidget* parent) {
  auto* split = new QSplitter(Qt::Horizontal, parent);
  split->setChildrenCollapsible(false);
  split->addWidget(chart);
  split->addWidget(table);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  split->setSizes({3000, 2000}); // 3:2 at any width until the user drags the handle
  return split;
}

} // namespace mg::ui
