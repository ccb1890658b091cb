// The properties panel as a user meets it: the editors of a node's schema, typing values (valid, normalized,
// out of range), the document changing underneath, input weights, validation problems, and the title.
#include "support/test_registry.h"
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QtTest>

#include "graph/builtin_node_types.h"
#include "graph/document.h"
#include "panels/param_editor.h"
#include "panels/properties_panel.h"

using namespace mg::ui;
using mg::graph::Document;
using mg::graph::NodeId;
using mg::graph::ParamValue;

namespace {

QLineEdit* field(PropertiesPanel& panel, const QString& param) {
  return panel.findChild<QLineEdit*>(QStringLiteral("param_%1_input").arg(param));
}

QLabel* errorLabel(PropertiesPanel& panel, const QString& param) {
  return panel.findChild<QLabel*>(QStringLiteral("paramError_") + param);
}

// Replaces the text of a field as a user does: select all, type, press Enter.
void type(QLineEdit* edit, const QString& text) {
  edit->setFocus();
  edit->selectAll();
  QTest::keyClicks(edit, text);
  QTest::keyClick(edit, Qt::Key_Return);
}

struct Shown {
  Document document;
  NodeId node;
  PropertiesPanel panel;
  explicit Shown(const std::string& typeId) : node(document.addNode(typeId)) {
    panel.resize(380, 700);
    panel.setDocument(&document);
    panel.setNode(node);
    panel.show();
    panel.activateWindow(); // focus, as the user's, moves only in the active window
    QVERIFY(QTest::qWaitForWindowActive(&panel));
  }
};

} // namespace

class PropertiesPanelTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void showsPlaceholderWithoutSelection() {
    Document document;
    PropertiesPanel panel;
    panel.setDocument(&document);
    auto* stack = panel.findChild<QStackedWidget*>();
    QCOMPARE(stack->currentWidget()->objectName(), QStringLiteral("noSelection"));
    const NodeId id = document.addNode("merge.ties");
    panel.setNode(id);
    QVERIFY(stack->currentWidget()->objectName() != QStringLiteral("noSelection"));
    panel.setNode(mg::graph::kNoNode);
    QCOMPARE(stack->currentWidget()->objectName(), QStringLiteral("noSelection"));
    QVERIFY(!panel.findChild<QLineEdit*>(QStringLiteral("titleEdit")));
  }

  void editorsFollowTheSchema() {
    Shown s("merge.ties");
    const mg::graph::NodeType& type = *s.document.nodeType(s.node);
    QCOMPARE(s.panel.findChild<QLabel*>(QStringLiteral("nodeTypeTitle"))->text(), QStringLiteral("TIES"));
    QCOMPARE(s.panel.findChild<QLabel*>(QStringLiteral("nodeTypeHelp"))->text(),
             QString::fromStdString(type.help));
    QCOMPARE(s.panel.findChild<QLineEdit*>(QStringLiteral("titleEdit"))->text(), QStringLiteral("TIES"));

    QVERIFY(type.param("density") && type.param("lambda") && type.param("consensus"));
    for (const mg::graph::ParamDef& def : type.params) {
      const QString name = QString::fromStdString(def.name);
      auto* editor = s.panel.findChild<ParamEditor*>(QStringLiteral("param_") + name);
      QVERIFY2(editor, qPrintable(name));
      QCOMPARE(editor->toolTip(), QString::fromStdString(def.help));
      auto* help = s.panel.findChild<QLabel*>(QStringLiteral("paramHelp_") + name);
      QVERIFY(help->text().startsWith(QString::fromStdString(def.help)));
      switch (def.kind) {
      case mg::graph::ParamKind::Bool: QVERIFY(editor->findChild<QCheckBox*>()); break;
      case mg::graph::ParamKind::Int: QVERIFY(editor->findChild<QSpinBox*>()); break;
      case mg::graph::ParamKind::Choice: {
        auto* combo = editor->findChild<QComboBox*>();
        QVERIFY(combo);
        QCOMPARE(combo->count(), int(def.choices.size()));
        QCOMPARE(combo->currentText().toStdString(), def.defaultValue.get<std::string>());
        break;
      }
      default: QVERIFY(editor->findChild<QLineEdit*>());
      }
    }
    // density is a list in (0, 1]: the range is spelled under the field.
    QCOMPARE(field(s.panel, "density")->text().toStdString(),
             mg::graph::readableValueText(type.param("density")->defaultValue, 6));
    QVERIFY(s.panel.findChild<QLabel*>(QStringLiteral("paramHelp_density"))
                ->text()
                .contains(QStringLiteral("(0, 1]")));
    QVERIFY(s.panel.findChild<QCheckBox*>(QStringLiteral("param_normalize_input")));
  }

  void intSpinBoxTakesItsRange() {
    Shown s(mg::graph::node_types::kLoraSvd);
    auto* rank = s.panel.findChild<QSpinBox*>(QStringLiteral("param_rank_input"));
    QVERIFY(rank);
    QCOMPARE(rank->minimum(), 1);
    QCOMPARE(rank->maximum(), 65536);
    QCOMPARE(rank->value(), 16);
    QSignalSpy edits(&s.panel, &PropertiesPanel::paramEditRequested);
    rank->setFocus();
    QTest::keyClick(rank, Qt::Key_Up); // an arrow step commits at once
    QCOMPARE(edits.count(), 1);
    const ParamValue value = edits.at(0).at(2).value<ParamValue>();
    QVERIFY(value.is_number_integer());
    QCOMPARE(value.get<int>(), 17);
  }

  void typingEmitsTheNormalizedValue() {
    Shown s("merge.ties");
    QSignalSpy edits(&s.panel, &PropertiesPanel::paramEditRequested);
    type(field(s.panel, "density"), QStringLiteral("0.5"));
    QCOMPARE(edits.count(), 1);
    QCOMPARE(edits.at(0).at(0).value<NodeId>(), s.node);
    QCOMPARE(edits.at(0).at(1).toString(), QStringLiteral("density"));
    QCOMPARE(edits.at(0).at(2).value<ParamValue>(), ParamValue::array({0.5})); // a list, as the schema says

    type(field(s.panel, "lambda"), QStringLiteral("2"));
    QCOMPARE(edits.count(), 2);
    const ParamValue lambda = edits.at(1).at(2).value<ParamValue>();
    QVERIFY(lambda.is_number_float()); // a Real, though typed as an integer
    QCOMPARE(lambda.get<double>(), 2.0);

    // Leaving the field after Enter does not send the value again.
    s.panel.findChild<QLineEdit*>(QStringLiteral("titleEdit"))->setFocus();
    QCOMPARE(edits.count(), 2);

    auto* consensus = s.panel.findChild<QComboBox*>(QStringLiteral("param_consensus_input"));
    consensus->setFocus();
    QTest::keyClick(consensus, Qt::Key_Down);
    QCOMPARE(edits.count(), 3);
    QCOMPARE(edits.at(2).at(2).value<ParamValue>(), ParamValue(consensus->currentText().toStdString()));

    // A third typed as a fraction is exactly a third, and a third shows as "1/3", not 0.3333333333333333.
    type(field(s.panel, "lambda"), QStringLiteral("1/3"));
    QCOMPARE(edits.count(), 4);
    QCOMPARE(edits.at(3).at(2).value<ParamValue>().get<double>(), 1.0 / 3.0);
    s.panel.findChild<QLineEdit*>(QStringLiteral("titleEdit"))->setFocus();
    QVERIFY(!s.document.setParam(s.node, "lambda", 1.0 / 3.0));
    s.panel.setNode(s.node);
    QCOMPARE(field(s.panel, "lambda")->text(), QStringLiteral("1/3"));
  }

  void outOfRangeShowsAnErrorAndEmitsNothing() {
    Shown s("merge.ties");
    QSignalSpy edits(&s.panel, &PropertiesPanel::paramEditRequested);
    QLabel* error = errorLabel(s.panel, "density");
    QVERIFY(error->isHidden());
    type(field(s.panel, "density"), QStringLiteral("1.5"));
    QCOMPARE(edits.count(), 0);
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("(0, 1]")), qPrintable(error->text()));
    QCOMPARE(field(s.panel, "density")->text(), QStringLiteral("1.5")); // left for the user to fix

    type(field(s.panel, "density"), QStringLiteral("abc"));
    QCOMPARE(edits.count(), 0);
    QVERIFY(error->isVisible());

    type(field(s.panel, "density"), QStringLiteral("0.7"));
    QCOMPARE(edits.count(), 1);
    QVERIFY(error->isHidden());
  }

  void refreshShowsDocumentChangesAndKeepsTyping() {
    Shown s("merge.ties");
    QVERIFY(!s.document.setParam(s.node, "lambda", 0.25));
    s.panel.refresh();
    QCOMPARE(field(s.panel, "lambda")->text(), QStringLiteral("0.25"));

    // The user is typing in density when another edit (undo, the canvas) changes lambda.
    QLineEdit* density = field(s.panel, "density");
    density->setFocus();
    density->selectAll();
    QTest::keyClicks(density, QStringLiteral("0.3, 0.4"));
    density->setCursorPosition(3);
    QVERIFY(!s.document.setParam(s.node, "lambda", 0.75));
    s.document.setTitle(s.node, "My TIES");
    s.panel.refresh();
    QCOMPARE(field(s.panel, "lambda")->text(), QStringLiteral("0.75"));
    QCOMPARE(s.panel.findChild<QLineEdit*>(QStringLiteral("titleEdit"))->text(), QStringLiteral("My TIES"));
    QCOMPARE(density->text(), QStringLiteral("0.3, 0.4"));
    QCOMPARE(density->cursorPosition(), 3);
    QVERIFY(density->hasFocus());
    QCOMPARE(field(s.panel, "density"), density); // not rebuilt
  }

  void inputWeightsAreEditable() {
    Shown s("merge.ties");
    const NodeId a = s.document.addNode("source.model");
    const NodeId b = s.document.addNode("source.model");
    QVERIFY(!s.document.connect({a, 0}, {s.node, 1}));
    QVERIFY(!s.document.connect({b, 0}, {s.node, 2}, 0.5));
    s.panel.refresh();
    auto* first = s.panel.findChild<QDoubleSpinBox*>(QStringLiteral("weight_1"));
    auto* second = s.panel.findChild<QDoubleSpinBox*>(QStringLiteral("weight_2"));
    QVERIFY(first && second);
    QVERIFY(!s.panel.findChild<QDoubleSpinBox*>(QStringLiteral("weight_3"))); // the free input has none
    QCOMPARE(first->value(), 1.0);
    QCOMPARE(second->value(), 0.5);
    QSignalSpy weights(&s.panel, &PropertiesPanel::inputWeightEditRequested);
    second->setFocus();
    QTest::keyClick(second, Qt::Key_Up);
    QCOMPARE(weights.count(), 1);
    QCOMPARE(weights.at(0).at(1).value<std::size_t>(), std::size_t(2));
    QCOMPARE(weights.at(0).at(2).toDouble(), 0.6);

    QVERIFY(!s.document.setInputWeight(s.node, 1, 2.0));
    s.panel.refresh();
    QCOMPARE(first->value(), 2.0);
    QCOMPARE(weights.count(), 1); // showing the document's value is not an edit
  }

  void showsValidationProblems() {
    Shown s("merge.ties"); // no base, no models
    auto* issues = s.panel.findChild<QWidget*>(QStringLiteral("issueList"));
    QVERIFY(issues && !issues->isHidden());
    const auto errors = issues->findChildren<QLabel*>(QStringLiteral("issueError"));
    QVERIFY(!errors.isEmpty());
    bool mentionsBase = false;
    for (QLabel* label : errors)
      mentionsBase = mentionsBase || label->text().contains(QStringLiteral("base"));
    QVERIFY(mentionsBase);
    QVERIFY(errors.front()->palette().color(QPalette::WindowText).red() > 150);
  }

  void titleEditIsRequested() {
    Shown s("merge.ties");
    QSignalSpy titles(&s.panel, &PropertiesPanel::titleEditRequested);
    type(s.panel.findChild<QLineEdit*>(QStringLiteral("titleEdit")), QStringLiteral("Math + code"));
    QCOMPARE(titles.count(), 1);
    QCOMPARE(titles.at(0).at(1).toString(), QStringLiteral("Math + code"));
  }

  void anEditLeftBySwitchingNodesGoesToItsNode() {
    Shown s("merge.ties");
    const NodeId other = s.document.addNode("merge.ties");
    QSignalSpy edits(&s.panel, &PropertiesPanel::paramEditRequested);
    QLineEdit* lambda = field(s.panel, "lambda");
    lambda->setFocus();
    lambda->selectAll();
    QTest::keyClicks(lambda, QStringLiteral("3"));
    s.panel.setNode(other); // e.g. an undo selects another node while the user types
    QCOMPARE(edits.count(), 1);
    QCOMPARE(edits.at(0).at(0).value<NodeId>(), s.node);
    QCOMPARE(edits.at(0).at(2).value<ParamValue>(), ParamValue(3.0));
  }

  void unknownTypeIsShownWithoutEditors() {
    Document document;
    mg::graph::Node future;
    future.id = 7;
    future.type = "merge.from_the_future";
    future.title = "Future";
    future.params["alpha"] = 0.5;
    document.insertNode(future);
    PropertiesPanel panel;
    panel.setDocument(&document);
    panel.setNode(7);
    QVERIFY(panel.findChild<QLabel*>(QStringLiteral("nodeTypeTitle"))
                ->text()
                .contains(QStringLiteral("merge.from_the_future")));
    QVERIFY(panel.findChildren<ParamEditor*>().isEmpty());
    QVERIFY(!panel.findChild<QLabel*>(QStringLiteral("issueError"))->text().isEmpty());
  }

  void removedNodeShowsThePlaceholder() {
    Shown s("merge.ties");
    s.document.removeNode(s.node);
    s.panel.refresh();
    QCOMPARE(s.panel.findChild<QStackedWidget*>()->currentWidget()->objectName(),
             QStringLiteral("noSelection"));
  }

  void pathParameterHasABrowseButton() {
    Shown s(mg::graph::node_types::kSourceAdapter);
    QVERIFY(s.panel.findChild<QPushButton*>(QStringLiteral("param_path_browse")));
    QSignalSpy edits(&s.panel, &PropertiesPanel::paramEditRequested);
    type(field(s.panel, "path"), QStringLiteral("/models/math-lora"));
    QCOMPARE(edits.count(), 1);
    QCOMPARE(edits.at(0).at(2).value<ParamValue>(), ParamValue("/models/math-lora"));
  }
};

MG_TEST_MAIN(PropertiesPanelTest)
#include "test_properties_panel.moc"
