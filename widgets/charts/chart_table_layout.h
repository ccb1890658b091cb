#pragma once
// What the Compare and Sweep views share around their charts: a read-only table that sorts by any column
// (run order until a header is clicked), and the chart beside it at 3:2.
#include <QString>

class QAbstractItemModel;
class QSplitter;
class QTableView;
class QWidget;

namespace mg::ui {

QTableView* makeResultsTable(QAbstractItemModel* model, const QString& objectName, QWidget* parent);
QSplitter* chartBesideTable(QWidget* chart, QTableView* table, QWidget* parent);

} // namespace mg::ui
