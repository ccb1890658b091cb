#include "panels/library_tree.h"

#include <QHeaderView>
#include <QMimeData>

#include "panels/library_mime.h"

namespace mg::ui {

std::optional<LibraryEntry> entryOf(const QTreeWidgetItem& item) {
  const QVariant entry = item.data(0, library_roles::kEntry);
  if (!entry.isValid()) return std::nullopt;
  return LibraryEntry(entry.toInt());
}

QString keyOf(const QTreeWidgetItem& item) {
  return item.data(0, library_roles::kKey).toString();
}

LibraryTree::LibraryTree(QWidget* parent) : QTreeWidget(parent) {
  setHeaderHidden(true);
  setDragEnabled(true);
  setDragDropMode(QAbstractItemView::DragOnly);
  setSelectionMode(QAbstractItemView::SingleSelection);
  setUniformRowHeights(true);
  setAnimated(true);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
}

QMimeData* LibraryTree::mimeDataFor(const QTreeWidgetItem& item) {
  switch (entryOf(item).value_or(LibraryEntry::Note)) {
  case LibraryEntry::NodeType: return mime::nodeTypeData(keyOf(item));
  case LibraryEntry::Source:
    return mime::sourceData(keyOf(item), io::SourceRole(item.data(0, library_roles::kSourceRole).toInt()));
  case LibraryEntry::Category:
  case LibraryEntry::Folder:
  case LibraryEntry::Note: break;
  }
  return nullptr;
}

QStringList LibraryTree::mimeTypes() const {
  return {QLatin1String(mime::kNodeType), QLatin1String(mime::kSource), QStringLiteral("text/uri-list")};
}

QMimeData* LibraryTree::mimeData(const QList<QTreeWidgetItem*>& items) const {
  // One entry at a time: the canvas adds one node per drop.
  return items.size() == 1 ? mimeDataFor(*items.front()) : nullptr;
}

void LibraryTree::startDrag(Qt::DropActions) {
  QTreeWidget::startDrag(Qt::CopyAction);
}

} // namespace mg::ui
