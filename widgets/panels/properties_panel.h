#pragma once
// The properties dock: one node of the document — its type's title and help, its title, one editor per
// parameter, the weights of its weighted inputs and its validation issues. The panel only reads the
// document: edits are requested through signals, and the owner (the main window, through undo commands)
// applies them and calls refresh().
#include <QWidget>

#include <map>
#include <string>
#include <vector>

#include "graph/document.h"
#include "panels/param_value_metatype.h"

class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QScrollArea;
class QStackedWidget;
class QVBoxLayout;

namespace mg::ui {

class AnnotationProperties;
class ParamEditor;

class PropertiesPanel : public QWidget {
  Q_OBJECT
public:
  explicit PropertiesPanel(QWidget* parent = nullptr);
  ~PropertiesPanel() override;

  // The document shown (not owned; nullptr for none). Shows nothing selected until setNode().
  void setDocument(const graph::Document* document);
  const graph::Document* document() const { return document_; }
  graph::NodeId node() const { return node_; }
  graph::AnnotationId annotation() const { return annotation_; }

public Q_SLOTS:
  // The node to show; graph::kNoNode (or a node the document lacks) shows the "nothing selected" text.
  void setNode(graph::NodeId node);
  // A frame or comment to show instead of a node (panels/annotation_properties.h); 0 for none.
  void setAnnotation(graph::AnnotationId id);
  // Re-reads the node from the document. Editors keep their focus, and a field being typed in keeps its
  // text and cursor; the widgets are rebuilt only when the node's type or its weighted inputs change.
  void refresh();

Q_SIGNALS:
  void paramEditRequested(mg::graph::NodeId node, const QString& name, const mg::graph::ParamValue& value);
  void titleEditRequested(mg::graph::NodeId node, const QString& title);
  void inputWeightEditRequested(mg::graph::NodeId node, std::size_t input, double weight);
  void frameEditRequested(const mg::graph::Frame& frame);
  void commentEditRequested(const mg::graph::Comment& comment);

protected:
  void changeEvent(QEvent* event) override;

private:
  struct WeightRow {
    std::size_t input = 0;
    QString label;
    double weight = 1.0;
    bool operator==(const WeightRow& o) const { return input == o.input && label == o.label; }
  };

  void showPlaceholder();
  void build(const graph::Node& node, const graph::NodeType* type);
  void addParamRow(const graph::ParamDef& def);
  void buildWeights(const std::vector<WeightRow>& rows);
  std::vector<WeightRow> weightRows() const;
  void updateValues(const graph::Node& node);
  void updateIssues();
  void commitTitle(QLineEdit* edit, graph::NodeId id);
  QLabel* helpLabel(const QString& text, QWidget* parent);
  QLabel* sectionLabel(const QString& text, QWidget* parent);
  void colourProblemLabels();

  const graph::Document* document_ = nullptr;
  graph::NodeId node_ = graph::kNoNode;
  graph::AnnotationId annotation_ = 0;
  AnnotationProperties* annotationPage_ = nullptr;
  // The node and type the widgets were built for.
  graph::NodeId builtNode_ = graph::kNoNode;
  std::string builtType_;

  QStackedWidget* stack_ = nullptr;
  QScrollArea* scroll_ = nullptr;
  QLabel* placeholder_ = nullptr;
  QWidget* content_ = nullptr; // rebuilt per node type
  QLabel* typeTitle_ = nullptr;
  QLabel* typeHelp_ = nullptr;
  QLineEdit* titleEdit_ = nullptr;
  QGridLayout* form_ = nullptr;
  std::map<std::string, ParamEditor*> editors_;
  std::map<std::string, QLabel*> errorLabels_;
  std::vector<WeightRow> weights_;
  std::vector<QDoubleSpinBox*> weightSpins_;
  std::vector<QWidget*> weightWidgets_; // the weight rows' widgets, heading included
  QWidget* issuesBox_ = nullptr;
  QVBoxLayout* issuesLayout_ = nullptr;
};

} // namespace mg::ui
