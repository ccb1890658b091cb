#include "editor/quick_add_palette.h"

#include "qt_text.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

#include "graph/node_type_registry.h"
#include "i18n/core_text.h"

namespace mg::ui {

namespace {
constexpr int kTypeIdRole = Qt::UserRole + 1;

} // namespace

QuickAddPalette::QuickAddPalette(const graph::NodeTypeRegistry& registry, QWidget* parent)
    : QFrame(parent), registry_(registry), filter_(new QLineEdit(this)), list_(new QListWidget(this)) {
  setObjectName(QStringLiteral("quickAddPalette"));
  setFrameShape(QFrame::StyledPanel);
  setAutoFillBackground(true);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(4);
  filter_->setPlaceholderText(tr("Add node: type to search"));
  filter_->setClearButtonEnabled(true);
  layout->addWidget(filter_);
  layout->addWidget(list_);
  list_->setUniformItemSizes(true);
  list_->setFocusPolicy(Qt::NoFocus); // keys stay in the filter; arrows are forwarded
  resize(300, 320);
  filter_->installEventFilter(this);
  connect(filter_, &QLineEdit::textChanged, this, &QuickAddPalette::refill);
  connect(list_, &QListWidget::itemActivated, this, [this] { chooseCurrent(); });
  connect(list_, &QListWidget::itemClicked, this, [this] { chooseCurrent(); });
  hide();
}

void QuickAddPalette::popup(QPoint at, TypeFilter offered) {
  offered_ = std::move(offered);
  filter_->clear();
  refill();
  // Keep it inside the parent.
  if (QWidget* p = parentWidget()) {
    at.setX(std::max(0, std::min(at.x(), p->width() - width())));
    at.setY(std::max(0, std::min(at.y(), p->height() - height())));
  }
  move(at);
  show();
  raise();
  filter_->setFocus(Qt::PopupFocusReason);
}

void QuickAddPalette::setFilterText(const QString& text) {
  filter_->setText(text);
}

void QuickAddPalette::refill() {
  list_->clear();
  const QStringList words = filter_->text().toLower().split(QLatin1Char(' '), Qt::SkipEmptyParts);
  for (const graph::NodeType* type : registry_.types()) {
    if (offered_ && !offered_(*type)) continue;
    const QString title = coreText(type->title);
    const QString category = coreText(type->category);
    // The English title too: names from papers and mergekit ("task arithmetic") find their node in any
    // language.
    const QString haystack =
        QStringList{title, category, qs(type->title), qs(type->id)}.join(QLatin1Char(' ')).toLower();
    if (!std::all_of(words.begin(), words.end(), [&](const QString& w) { return haystack.contains(w); }))
      continue;
    auto* item = new QListWidgetItem(tr("%1  —  %2").arg(title, category), list_);
    item->setData(kTypeIdRole, qs(type->id));
    item->setToolTip(coreText(type->help));
  }
  if (list_->count() > 0) list_->setCurrentRow(0);
}

QStringList QuickAddPalette::listedTypeIds() const {
  QStringList ids;
  for (int i = 0; i < list_->count(); ++i)
    ids << list_->item(i)->data(kTypeIdRole).toString();
  return ids;
}

QString QuickAddPalette::currentTypeId() const {
  const QListWidgetItem* item = list_->currentItem();
  return item ? item->data(kTypeIdRole).toString() : QString();
}

void QuickAddPalette::chooseCurrent() {
  const QString typeId = currentTypeId();
  if (typeId.isEmpty()) return;
  close(true);
  Q_EMIT typeChosen(typeId);
}

void QuickAddPalette::close(bool chosen) {
  hide();
  if (!chosen) Q_EMIT dismissed();
  if (QWidget* p = parentWidget()) p->setFocus();
}

bool QuickAddPalette::eventFilter(QObject* watched, QEvent* event) {
  if (watched == filter_ && event->type() == QEvent::KeyPress) {
    auto* key = static_cast<QKeyEvent*>(event);
    switch (key->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter: chooseCurrent(); return true;
    case Qt::Key_Escape: close(false); return true;
    case Qt::Key_Down:
      list_->setCurrentRow(std::min(list_->currentRow() + 1, list_->count() - 1));
      return true;
    case Qt::Key_Up: list_->setCurrentRow(std::max(list_->currentRow() - 1, 0)); return true;
    default: break;
    }
  }
  return QFrame::eventFilter(watched, event);
}

} // namespace mg::ui
