#include "panels/library_panel.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include "i18n/core_text.h"
#include "panels/library_tree.h"
#include "panels/source_scanner.h"
#include "session/project_session.h"
#include "session/saved_groups.h"
#include "prefs/preferences.h"

namespace mg::ui {

namespace {

QTreeWidgetItem* makeItem(LibraryEntry entry, const QString& text, const QString& key = {}) {
  auto* item = new QTreeWidgetItem({text});
  item->setData(0, library_roles::kEntry, int(entry));
  item->setData(0, library_roles::kKey, key);
  // Only what becomes a node drags.
  if (entry != LibraryEntry::NodeType && entry != LibraryEntry::Source)
    item->setFlags(item->flags() & ~Qt::ItemIsDragEnabled);
  return item;
}

QString roleLabel(io::SourceRole role) {
  switch (role) {
  case io::SourceRole::Model: return LibraryPanel::tr("model");
  case io::SourceRole::Adapter: return LibraryPanel::tr("adapter");
  case io::SourceRole::Tasks: return LibraryPanel::tr("task data");
  }
  return {};
}

// A folder by its name; the whole path is in the tooltip (a long path would only show its start).
QTreeWidgetItem* makeFolderItem(const QString& folder, const QStyle& style) {
  const QString name = QFileInfo(folder).fileName();
  auto* item =
      makeItem(LibraryEntry::Folder, name.isEmpty() ? QDir::toNativeSeparators(folder) : name, folder);
  item->setToolTip(0, QDir::toNativeSeparators(folder));
  item->setIcon(0, style.standardIcon(QStyle::SP_DirIcon));
  return item;
}

QTreeWidgetItem* makeSourceItem(const QString& folder, const ScannedSource& source, const QStyle& style) {
  const io::FoundSource& found = source.found;
  const QString path = QString::fromStdString(found.path);
  auto* item = makeItem(LibraryEntry::Source, QDir(folder).relativeFilePath(path), path);
  item->setData(0, library_roles::kSourceRole, int(found.role));
  item->setText(1, roleLabel(found.role));
  item->setToolTip(0, QDir::toNativeSeparators(path));
  item->setToolTip(1, QDir::toNativeSeparators(path));
  item->setIcon(0, style.standardIcon(source.isFolder ? QStyle::SP_DirIcon : QStyle::SP_FileIcon));
  // Its history under git: each commit is a source too, PATH@COMMIT, so dragging one onto the canvas makes a
  // source node that reads the model as it was then (io/revision_path.h).
  for (const io::FileRevision& revision : source.history) {
    const QString commit = QString::fromStdString(revision.commit);
    const QString date = QString::fromStdString(revision.date).left(10);
    const QString author = QString::fromStdString(revision.author);
    const QString subject = QString::fromStdString(revision.subject);
    // Date and subject read first; the short commit sits in the narrow column, the author in the tooltip.
    auto* version = makeItem(LibraryEntry::Source, date + QStringLiteral("  ") + subject,
                             path + QLatin1Char('@') + commit);
    version->setData(0, library_roles::kSourceRole, int(found.role));
    version->setText(1, commit.left(7));
    version->setToolTip(
        0, LibraryPanel::tr("%1 as of commit %2\n%3, %4\n%5\nDrag it onto the canvas to use this version.")
               .arg(QDir::toNativeSeparators(path), commit, author, QString::fromStdString(revision.date),
                    subject));
    version->setToolTip(1, version->toolTip(0));
    version->setIcon(0, style.standardIcon(QStyle::SP_FileDialogDetailedView));
    item->addChild(version);
  }
  return item;
}

bool matches(const QTreeWidgetItem& item, const QString& text) {
  return text.isEmpty() || item.text(0).contains(text, Qt::CaseInsensitive) ||
         keyOf(item).contains(text, Qt::CaseInsensitive);
}

} // namespace

LibraryPanel::LibraryPanel(Preferences* preferences, QWidget* parent, const graph::NodeTypeRegistry& registry)
    : QWidget(parent), preferences_(preferences) {
  setObjectName(QStringLiteral("libraryPanel"));
  scanner_ = new SourceScanner(this);
  connect(scanner_, &SourceScanner::finished, this, &LibraryPanel::showScan);

  filter_ = new QLineEdit(this);
  filter_->setObjectName(QStringLiteral("libraryFilter"));
  filter_->setPlaceholderText(tr("Filter node types and sources"));
  filter_->setClearButtonEnabled(true);
  connect(filter_, &QLineEdit::textChanged, this, &LibraryPanel::applyFilter);

  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->setChildrenCollapsible(false);
  splitter->addWidget(createNodeTypeSection(registry));
  splitter->addWidget(createFolderSection());
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);

  auto* layout = new QVBoxLayout(this);
  const int margin = style()->pixelMetric(QStyle::PM_LayoutLeftMargin) / 2; // a dock frames it already
  layout->setContentsMargins(margin, margin, margin, margin);
  layout->addWidget(filter_);
  layout->addWidget(splitter, 1);

  if (preferences_) folders_ = preferences_->libraryFolders();
  rescan();
}

LibraryPanel::~LibraryPanel() = default;

QWidget* LibraryPanel::createNodeTypeSection(const graph::NodeTypeRegistry& registry) {
  auto* section = new QWidget(this);
  auto* title = new QLabel(tr("Node types"), section);
  title->setObjectName(QStringLiteral("sectionTitle"));

  nodeTypes_ = new LibraryTree(section);
  nodeTypes_->setObjectName(QStringLiteral("nodeTypeTree"));
  for (const std::string& category : registry.categories()) {
    auto* categoryItem = makeItem(LibraryEntry::Category, coreText(category));
    for (const graph::NodeType* type : registry.typesIn(category)) {
      const QString id = QString::fromStdString(type->id);
      auto* item = makeItem(LibraryEntry::NodeType, coreText(type->title), id);
      QString tip =
          QStringLiteral("<p><b>%1</b> <code>%2</code></p><p>%3</p>")
              .arg(item->text(0).toHtmlEscaped(), id.toHtmlEscaped(), coreText(type->help).toHtmlEscaped());
      if (!type->notRunnable.empty()) // said before it is placed, not only on the node's badge
        tip += tr("<p><i>Cannot run in this version: %1</i></p>")
                   .arg(coreText(type->notRunnable).toHtmlEscaped());
      item->setToolTip(0, tip);
      categoryItem->addChild(item);
    }
    nodeTypes_->addTopLevelItem(categoryItem);
  }
  savedGroups_ = makeItem(LibraryEntry::Category, tr("Saved groups"));
  nodeTypes_->addTopLevelItem(savedGroups_);
  refreshSavedGroups();
  nodeTypes_->expandAll();
  connect(nodeTypes_, &QTreeWidget::itemActivated, this, &LibraryPanel::activate);

  auto* layout = new QVBoxLayout(section);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(title);
  layout->addWidget(nodeTypes_, 1);
  return section;
}

QWidget* LibraryPanel::createFolderSection() {
  auto* section = new QWidget(this);
  auto* title = new QLabel(tr("Folders"), section);
  title->setObjectName(QStringLiteral("sectionTitle"));

  // Actions, so the tool buttons and the tree's context menu share text, tips and enabled state.
  const auto action = [this](const QString& name, const QString& text, const QString& tip, auto slot) {
    auto* a = new QAction(text, this);
    a->setObjectName(name);
    a->setToolTip(tip);
    connect(a, &QAction::triggered, this, slot);
    return a;
  };
  auto* addAction =
      action(QStringLiteral("addFolderAction"), tr("Add Folder…"),
             tr("Add a folder to scan for models, adapters and task data"), &LibraryPanel::chooseFolderToAdd);
  removeAction_ = action(QStringLiteral("removeFolderAction"), tr("Remove Folder"),
                         tr("Stop listing the selected folder (nothing is deleted)"),
                         &LibraryPanel::removeSelectedFolder);
  auto* rescanAction = action(QStringLiteral("rescanAction"), tr("Rescan"), tr("Scan the folders again"),
                              &LibraryPanel::rescan);
  // Short labels on the buttons, so a narrow dock still fits them; the menu says it in full.
  addAction->setIconText(tr("Add…"));
  removeAction_->setIconText(tr("Remove"));
  const auto button = [section](const QString& name, QAction* action) {
    auto* b = new QToolButton(section);
    b->setObjectName(name);
    b->setDefaultAction(action);
    b->setAutoRaise(true);
    return b;
  };

  sources_ = new LibraryTree(section);
  sources_->setObjectName(QStringLiteral("sourceTree"));
  sources_->setColumnCount(2);
  sources_->header()->setStretchLastSection(false);
  sources_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
  sources_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  connect(sources_, &QTreeWidget::itemActivated, this, &LibraryPanel::activate);
  connect(sources_, &QTreeWidget::currentItemChanged, this, &LibraryPanel::updateFolderButtons);
  sources_->setContextMenuPolicy(Qt::ActionsContextMenu);
  sources_->addActions({addAction, removeAction_, rescanAction});

  scanState_ = new QLabel(section);
  scanState_->setObjectName(QStringLiteral("scanState"));
  scanState_->setForegroundRole(QPalette::PlaceholderText);
  scanState_->setWordWrap(true);

  auto* bar = new QHBoxLayout;
  bar->addWidget(title);
  bar->addStretch(1);
  bar->addWidget(button(QStringLiteral("addFolderButton"), addAction));
  bar->addWidget(button(QStringLiteral("removeFolderButton"), removeAction_));
  bar->addWidget(button(QStringLiteral("rescanButton"), rescanAction));
  auto* layout = new QVBoxLayout(section);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(bar);
  layout->addWidget(sources_, 1);
  layout->addWidget(scanState_);
  updateFolderButtons();
  return section;
}

void LibraryPanel::setFolders(const QStringList& folders) {
  if (folders == folders_) return;
  folders_ = folders;
  storeFolders();
  rescan();
}

void LibraryPanel::addFolder(const QString& folder) {
  const QString clean = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
  if (folders_.contains(clean)) return;
  setFolders(folders_ + QStringList{clean});
}

void LibraryPanel::removeFolder(const QString& folder) {
  QStringList folders = folders_;
  if (folders.removeAll(folder) == 0) return;
  setFolders(folders);
}

void LibraryPanel::storeFolders() {
  if (preferences_) preferences_->setLibraryFolders(folders_);
  Q_EMIT foldersChanged(folders_);
}

bool LibraryPanel::isScanning() const {
  return scanner_->isScanning();
}

void LibraryPanel::rescan() {
  sources_->clear();
  for (const QString& folder : folders_) {
    sources_->addTopLevelItem(makeFolderItem(folder, *style()));
  }
  scanState_->setText(folders_.isEmpty()
                          ? tr("Add a folder to list the models, adapters and task data in it.")
                          : tr("Scanning…"));
  updateFolderButtons();
  scanner_->scan(folders_);
}

void LibraryPanel::showScan(const std::vector<ScannedFolder>& folders) {
  sources_->clear();
  std::size_t total = 0;
  for (const ScannedFolder& scanned : folders) {
    QTreeWidgetItem* folderItem = makeFolderItem(scanned.folder, *style());
    for (const ScannedSource& source : scanned.sources)
      folderItem->addChild(makeSourceItem(scanned.folder, source, *style()));
    if (!scanned.exists || scanned.sources.empty()) {
      auto* note =
          makeItem(LibraryEntry::Note, scanned.exists ? tr("nothing found") : tr("folder not found"));
      note->setFlags(Qt::NoItemFlags); // drawn greyed, in whatever theme is current
      folderItem->addChild(note);
    }
    total += scanned.sources.size();
    sources_->addTopLevelItem(folderItem);
  }
  sources_->expandAll();
  // Histories start folded: the library lists models first, their versions on demand.
  for (QTreeWidgetItemIterator it(sources_); *it; ++it)
    if ((*it)->parent() && (*it)->parent()->parent() == nullptr && (*it)->childCount() > 0)
      (*it)->setExpanded(false);
  if (!folders.empty())
    scanState_->setText(total == 1 ? tr("1 source found") : tr("%1 sources found").arg(total));
  applyFilter();
  updateFolderButtons();
  Q_EMIT scanFinished();
}

void LibraryPanel::refreshSavedGroups() {
  qDeleteAll(savedGroups_->takeChildren());
  const QDir folder(savedGroupsFolder());
  const QStringList files =
      folder.entryList({QStringLiteral("*") + QLatin1String(kGroupExtension)}, QDir::Files, QDir::Name);
  for (const QString& file : files) {
    // A source entry: dragged or activated, the session puts the group's nodes on the canvas.
    auto* item = makeItem(LibraryEntry::Source, QFileInfo(file).completeBaseName(), folder.filePath(file));
    item->setToolTip(0, tr("A saved group: drag it onto the canvas\n%1")
                            .arg(QDir::toNativeSeparators(folder.filePath(file))));
    savedGroups_->addChild(item);
  }
  savedGroups_->setHidden(files.isEmpty());
  savedGroups_->setExpanded(true);
}

void LibraryPanel::activate(QTreeWidgetItem* item) {
  if (!item) return;
  switch (entryOf(*item).value_or(LibraryEntry::Note)) {
  case LibraryEntry::NodeType: Q_EMIT nodeTypeActivated(keyOf(*item)); break;
  case LibraryEntry::Source: Q_EMIT sourceActivated(keyOf(*item)); break;
  case LibraryEntry::Category:
  case LibraryEntry::Folder:
  case LibraryEntry::Note: break;
  }
}

void LibraryPanel::setFilterText(const QString& text) {
  filter_->setText(text);
}

void LibraryPanel::applyFilter() {
  const QString text = filter_->text().trimmed();
  // Node types: a category shows while one of its types matches (or its own name does).
  for (int i = 0; i < nodeTypes_->topLevelItemCount(); ++i) {
    QTreeWidgetItem* category = nodeTypes_->topLevelItem(i);
    const bool categoryMatches = !text.isEmpty() && matches(*category, text);
    bool any = false;
    for (int j = 0; j < category->childCount(); ++j) {
      QTreeWidgetItem* type = category->child(j);
      const bool shown = categoryMatches || matches(*type, text);
      type->setHidden(!shown);
      any = any || shown;
    }
    category->setHidden(!any);
  }
  // Sources: folders stay listed, so the user still sees where things are looked for.
  for (int i = 0; i < sources_->topLevelItemCount(); ++i) {
    QTreeWidgetItem* folder = sources_->topLevelItem(i);
    for (int j = 0; j < folder->childCount(); ++j) {
      QTreeWidgetItem* child = folder->child(j);
      if (entryOf(*child) == LibraryEntry::Source) child->setHidden(!matches(*child, text));
    }
  }
}

void LibraryPanel::chooseFolderToAdd() {
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Add a Library Folder"));
  if (!folder.isEmpty()) addFolder(folder);
}

void LibraryPanel::removeSelectedFolder() {
  QTreeWidgetItem* item = sources_->currentItem();
  while (item && item->parent())
    item = item->parent();
  if (item && entryOf(*item) == LibraryEntry::Folder) removeFolder(keyOf(*item));
}

void LibraryPanel::updateFolderButtons() {
  removeAction_->setEnabled(sources_->currentItem() != nullptr);
}

} // namespace mg::ui
