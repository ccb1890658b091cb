#pragma once
// A tree of library entries (node types, folders, the sources found in them) that drags its entries with
// the MIME data of library_mime.h. Each item records what it stands for in its data roles.
#include <QTreeWidget>

#include <optional>

#include "io/source_classifier.h"

namespace mg::ui {

enum class LibraryEntry { Category, NodeType, Folder, Source, Note };

namespace library_roles {
inline constexpr int kEntry = Qt::UserRole + 1;      // int(LibraryEntry)
inline constexpr int kKey = Qt::UserRole + 2;        // QString: the type id, folder or source path
inline constexpr int kSourceRole = Qt::UserRole + 3; // int(io::SourceRole), sources only
} // namespace library_roles

std::optional<LibraryEntry> entryOf(const QTreeWidgetItem& item);
QString keyOf(const QTreeWidgetItem& item);

class LibraryTree : public QTreeWidget {
  Q_OBJECT
public:
  explicit LibraryTree(QWidget* parent = nullptr);

  // The drag payload of one item: node types and sources carry one; categories, folders and notes none.
  static QMimeData* mimeDataFor(const QTreeWidgetItem& item);

protected:
  QStringList mimeTypes() const override;
  QMimeData* mimeData(const QList<QTreeWidgetItem*>& items) const override;
  // Copy only: a drop that the target accepted as a move must not take the entry out of the library.
  void startDrag(Qt::DropActions supportedActions) override;
};

} // namespace mg::ui
