#pragma once
// The quick-add palette: a filter line over the registered node types (matched against title, id and
// category), shown on the canvas by Space, a double-click or a dangling edge; Enter adds the highlighted
// type, Escape closes it. Offered types can be narrowed (to those that can take a dangling edge).
#include <QFrame>

#include <functional>

namespace mg::graph {
class NodeTypeRegistry;
struct NodeType;
} // namespace mg::graph

class QLineEdit;
class QListWidget;

namespace mg::ui {

class QuickAddPalette : public QFrame {
  Q_OBJECT
public:
  using TypeFilter = std::function<bool(const graph::NodeType&)>;

  QuickAddPalette(const graph::NodeTypeRegistry& registry, QWidget* parent);

  // Shows the palette with its top-left corner near `at` (parent coordinates), emptied filter, focused.
  void popup(QPoint at, TypeFilter offered = {});
  void setFilterText(const QString& text);
  // The type ids listed now, in order (the first is the one Enter adds).
  QStringList listedTypeIds() const;
  QString currentTypeId() const;
  void chooseCurrent(); // as Enter does

Q_SIGNALS:
  void typeChosen(const QString& typeId);
  void dismissed();

protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

private:
  void refill();
  void close(bool chosen);

  const graph::NodeTypeRegistry& registry_;
  TypeFilter offered_;
  QLineEdit* filter_;
  QListWidget* list_;
};

} // namespace mg::ui
