// The project session as the editor uses it: every kind of edit undoes and redoes exactly (the document
// compared as project-file text), drags and value edits merge into one step, refused edits change nothing,
// saving and opening round-trip byte for byte, and the modified flag follows the undo stack.
#include "support/test_registry.h"
#include <QSignalSpy>
#include <QUndoStack>
#include <QtTest>

#include <functional>

#include "editor_fixtures.h"
#include "graph/clipboard.h"
#include "session/document_signals.h"

using namespace mg;
using graph::NodeId;
using graph::PortRef;
using test::documentText;
using test::SessionGraph;
using ui::ProjectSession;

class ProjectSessionTest : public QObject {
  Q_OBJECT

  // Makes one edit and checks: it is one undo step, undo restores the document, redo restores the edit;
  // leaves it undone.
  void checkRoundTrip(ProjectSession& s, const std::function<void()>& edit) {
    const QString before = documentText(s);
    const int index = s.undoStack()->index();
    edit();
    const QString after = documentText(s);
    QVERIFY2(after != before, "the edit changed nothing");
    QCOMPARE(s.undoStack()->index(), index + 1);
    s.undoStack()->undo();
    QCOMPARE(documentText(s, false),
             QString(before).remove(QRegularExpression(QStringLiteral("\\n\\s*\"next_id\": \\d+,"))));
    s.undoStack()->redo();
    QCOMPARE(documentText(s), after);
    s.undoStack()->undo(); // the next check starts from the same document
  }

private Q_SLOTS:
  void everyEditUndoesAndRedoes() {
    test::TempDir dir;
    const QString modelFile = test::makeModelFile(dir, "extra");
    const QString adapter = test::makeAdapterFolder(dir, "math-lora");
    ProjectSession s;
    SessionGraph g(s);

    checkRoundTrip(s, [&] {
      QVERIFY(s.addNode(QString::fromLatin1(graph::node_types::kScale), {50, 500}, {{"factor", 0.25}}) != 0);
    });
    checkRoundTrip(s, [&] { QVERIFY(s.addSourceNode(modelFile, {-300, 0}) != 0); });
    checkRoundTrip(s, [&] { MG_VERIFY_DONE(s.removeNodes({g.merge})); });
    checkRoundTrip(s, [&] { MG_VERIFY_DONE(s.disconnectInput({g.merge, 1})); }); // a middle variadic input
    checkRoundTrip(s, [&] { MG_VERIFY_DONE(s.disconnectInput({g.exporter, 0})); });
    checkRoundTrip(s, [&] { MG_VERIFY_DONE(s.setParam(g.merge, "density", 0.3)); });
    checkRoundTrip(s, [&] { MG_VERIFY_DONE(s.setInputWeight(g.merge, 1, 2.5)); });
    checkRoundTrip(s, [&] { MG_VERIFY_DONE(s.setTitle(g.merge, QStringLiteral("Soup"))); });
    checkRoundTrip(s, [&] { s.moveNodes({{g.a, QPointF(40, 160)}, {g.b, QPointF(40, 280)}}); });
    checkRoundTrip(s, [&] { s.autoLayout(); });
    checkRoundTrip(s, [&] { QCOMPARE(s.duplicate({g.a, g.merge}).size(), std::size_t(2)); });
    checkRoundTrip(s, [&] { QCOMPARE(s.paste(s.copy({g.b}), {900, 900}).size(), std::size_t(1)); });
    checkRoundTrip(s, [&] { QVERIFY(s.dropSource(adapter, {}, g.merge) != 0); });
    checkRoundTrip(s, [&] { MG_VERIFY_DONE(s.reconnectInput({g.merge, 1}, {g.merge, 3})); });
    checkRoundTrip(s, [&] { MG_VERIFY_DONE(s.replaceConnection({g.b, 0}, {g.exporter, 0})); });
    checkRoundTrip(s, [&] { MG_VERIFY_DONE(s.removeItems({g.base}, {{g.merge, 2}, {g.exporter, 0}})); });
  }

  void connectUndoesAndRedoes() {
    ProjectSession s;
    SessionGraph g(s);
    const NodeId c = s.addNode(QString::fromLatin1(graph::node_types::kSourceModel), {0, 400});
    checkRoundTrip(s, [&] {
      MG_VERIFY_DONE(s.connectPorts({c, 0}, {g.merge, 3}, 0.75));
      QCOMPARE(s.document().inputWeight(g.merge, 3).value_or(0), 0.75);
    });
  }

  void refusedEditsChangeNothing() {
    ProjectSession s;
    SessionGraph g(s);
    const QString before = documentText(s);
    const int steps = s.undoStack()->count();
    QVERIFY(!s.connectPorts({g.a, 0}, {g.merge, 0}).isEmpty());     // taken
    QVERIFY(!s.connectPorts({g.merge, 0}, {g.merge, 3}).isEmpty()); // a cycle
    QVERIFY(s.setParam(g.merge, "density", 1.5).contains(QStringLiteral("density")));
    QVERIFY(!s.setParamText(g.merge, "density", QStringLiteral("lots")).isEmpty());
    QVERIFY(!s.setTitle(g.merge, QStringLiteral("  ")).isEmpty());
    QVERIFY(!s.replaceConnection({g.exporter, 0}, {g.merge, 0}).isEmpty()); // would make a cycle
    QVERIFY(!s.replaceConnection({g.b, 0}, {g.merge, 1}).isEmpty());        // a group's input is not replaced
    QString error;
    QCOMPARE(s.addNode(QStringLiteral("no.such.type"), {}, {}, &error), graph::kNoNode);
    QVERIFY(error.contains(QStringLiteral("no.such.type")));
    QCOMPARE(s.addSourceNode(QStringLiteral("/no/such/file.safetensors"), {}, &error), graph::kNoNode);
    QVERIFY(error.contains(QStringLiteral("no such file")));
    QVERIFY(s.paste(QStringLiteral("{not json"), {}, &error).empty());
    QVERIFY(!error.isEmpty());
    QCOMPARE(documentText(s, false),
             QString(before).remove(QRegularExpression(QStringLiteral("\\n\\s*\"next_id\": \\d+,"))));
    QCOMPARE(s.undoStack()->count(), steps);
  }

  // A refused reconnect leaves the history as it was: no half step (the disconnect alone) to redo, and a
  // redo step from before still there.
  void aRefusedReconnectLeavesNoStepToRedo() {
    ProjectSession s;
    SessionGraph g(s);
    auto* stack = s.undoStack();
    const QString before = documentText(s);
    const auto refusedLeavesAllAsItWas = [&](const std::function<QString()>& reconnect) {
      const int index = stack->index(), count = stack->count();
      const bool couldRedo = stack->canRedo();
      QVERIFY(!reconnect().isEmpty());
      QCOMPARE(stack->index(), index);
      QCOMPARE(stack->count(), count);
      QCOMPARE(stack->canRedo(), couldRedo);
      QCOMPARE(s.document().source({g.merge, 1}), std::optional<PortRef>(PortRef{g.a, 0}));
      QCOMPARE(documentText(s), before);
    };
    // The export's input is taken; a source model node takes no input.
    refusedLeavesAllAsItWas([&] { return s.reconnectInput({g.merge, 1}, {g.exporter, 0}); });
    QVERIFY(!stack->canRedo());
    refusedLeavesAllAsItWas([&] { return s.reconnectToNode({g.merge, 1}, g.b); });
    QVERIFY(!stack->canRedo());

    MG_VERIFY_DONE(s.setTitle(g.merge, QStringLiteral("Soup")));
    stack->undo();
    refusedLeavesAllAsItWas([&] { return s.reconnectInput({g.merge, 1}, {g.exporter, 0}); });
    stack->redo();
    QCOMPARE(s.document().at(g.merge).title, std::string("Soup"));
  }

  void movesOfOneDragMergeIntoOneStep() {
    ProjectSession s;
    SessionGraph g(s);
    const int steps = s.undoStack()->count();
    const graph::Point start = s.document().at(g.a).position;
    s.moveNodes({{g.a, QPointF(10, 10)}, {g.b, QPointF(10, 130)}});
    s.moveNodes({{g.a, QPointF(20, 20)}, {g.b, QPointF(20, 140)}});
    s.moveNodes({{g.a, QPointF(30, 30)}, {g.b, QPointF(30, 150)}});
    QCOMPARE(s.undoStack()->count(), steps + 1);
    s.moveNodes({{g.a, QPointF(50, 50)}}); // another set: its own step
    QCOMPARE(s.undoStack()->count(), steps + 2);
    s.undoStack()->undo();
    QCOMPARE(s.document().at(g.a).position, (graph::Point{30, 30}));
    s.undoStack()->undo();
    QCOMPARE(s.document().at(g.a).position, start);
    // Arranging never merges with a drag.
    s.moveNodes({{g.a, QPointF(10, 10)}});
    s.arrangeNodes({{g.a, QPointF(0, 10)}}, QStringLiteral("Align left"));
    QCOMPARE(s.undoStack()->count(), steps + 2);
  }

  void parameterEditsMergeAndUndo() {
    ProjectSession s;
    SessionGraph g(s);
    const graph::ParamValue original = *s.document().param(g.merge, "density");
    const int steps = s.undoStack()->count();
    MG_VERIFY_DONE(s.setParam(g.merge, "density", 0.5));
    MG_VERIFY_DONE(s.setParamText(g.merge, "density", QStringLiteral("0.6")));
    MG_VERIFY_DONE(s.setParam(g.merge, "density", 0.7));
    QCOMPARE(s.undoStack()->count(), steps + 1);
    const graph::ParamValue last = *s.document().param(g.merge, "density"); // normalized (a list)
    QCOMPARE(QString::fromStdString(graph::valueText(last)), QStringLiteral("0.7"));
    s.undoStack()->undo();
    QCOMPARE(*s.document().param(g.merge, "density"), original);
    s.undoStack()->redo();
    QCOMPARE(*s.document().param(g.merge, "density"), last);
    // Another parameter is another step.
    MG_VERIFY_DONE(s.setParam(g.merge, "lambda", 0.9));
    QCOMPARE(s.undoStack()->count(), steps + 2);
  }

  void undoRestoresAValueTheFileHeldThoughItIsInvalid() {
    test::TempDir dir;
    ProjectSession s;
    SessionGraph g(s);
    QString text = documentText(s);
    QVERIFY(text.contains(QStringLiteral("\"dtype\": \"auto\"")));
    text.replace(QStringLiteral("\"dtype\": \"auto\""), QStringLiteral("\"dtype\": \"f64\"")); // not a choice
    const std::string file = dir.file("odd.mgproj");
    test::writeBytes(file, text.toStdString());
    MG_VERIFY_DONE(s.load(QString::fromStdString(file)));
    const QString loaded = documentText(s);
    MG_VERIFY_DONE(s.setParam(g.exporter, "dtype", "f32"));
    s.undoStack()->undo();
    QCOMPARE(documentText(s), loaded); // the value as written, the node's edges intact
    s.undoStack()->redo();
    QCOMPARE(*s.document().param(g.exporter, "dtype"), graph::ParamValue("f32"));
  }

  void deletingANodeTakesItsEdgesAndUndoBringsThemBack() {
    ProjectSession s;
    SessionGraph g(s);
    MG_VERIFY_DONE(s.removeNodes({g.a})); // fed "models 1": "models 2" (b, weight 0.5) moves down
    QCOMPARE(s.document().variadicConnected(g.merge), std::size_t(1));
    QCOMPARE(s.document().source({g.merge, 1}), std::optional<PortRef>(PortRef{g.b, 0}));
    QCOMPARE(s.document().inputWeight(g.merge, 1).value_or(0), 0.5);
    MG_VERIFY_DONE(s.removeNodes({g.merge}));
    QVERIFY(!s.document().source({g.exporter, 0}));
    QCOMPARE(s.document().edges().size(), std::size_t(0));
    s.undoStack()->undo();
    s.undoStack()->undo();
    QCOMPARE(s.document().edges().size(), std::size_t(4));
    QCOMPARE(s.document().source({g.merge, 1}), std::optional<PortRef>(PortRef{g.a, 0}));
    QCOMPARE(s.document().inputWeight(g.merge, 2).value_or(0), 0.5);
  }

  void droppingAnAdapterOnAMergeConnectsItInOneStep() {
    test::TempDir dir;
    const QString adapter = test::makeAdapterFolder(dir, "code-lora");
    ProjectSession s;
    SessionGraph g(s);
    const int steps = s.undoStack()->count();
    QString error;
    const NodeId id = s.dropSource(adapter, {1000, 1000}, g.merge, &error);
    QVERIFY2(id != 0, qPrintable(error));
    QCOMPARE(s.document().at(id).type, std::string(graph::node_types::kSourceAdapter));
    QCOMPARE(s.document().at(id).title, std::string("code-lora"));
    QCOMPARE(*s.document().param(id, "path"), graph::ParamValue(adapter.toStdString()));
    QCOMPARE(s.document().source({g.merge, 3}), std::optional<PortRef>(PortRef{id, 0})); // the new input
    QVERIFY(s.document().at(id).position.x < s.document().at(g.merge).position.x);       // left of it
    QCOMPARE(s.undoStack()->count(), steps + 1);
    s.undoStack()->undo();
    QVERIFY(!s.document().contains(id));
    QCOMPARE(s.document().variadicConnected(g.merge), std::size_t(2));
    // An existing source dropped on the node.
    const NodeId c = s.addNode(QString::fromLatin1(graph::node_types::kSourceModel), {0, 400});
    MG_VERIFY_DONE(s.dropOnNode(g.merge, c));
    QCOMPARE(s.document().source({g.merge, 3}), std::optional<PortRef>(PortRef{c, 0}));
    QVERIFY(!s.dropOnNode(g.a, c).isEmpty()); // a source takes no input
  }

  void addConnectedNodeIsOneStep() {
    ProjectSession s;
    SessionGraph g(s);
    const int steps = s.undoStack()->count();
    const NodeId merge2 = s.addConnectedNode(QString::fromStdString(graph::mergeNodeTypeId("linear")),
                                             {600, 400}, {g.a, 0}, true);
    QVERIFY(merge2 != 0);
    QCOMPARE(s.document().edgesInto(merge2).size(), std::size_t(1));
    QCOMPARE(s.undoStack()->count(), steps + 1);
    // From an input: a source feeding it.
    const NodeId scale = s.addNode(QString::fromLatin1(graph::node_types::kScale), {});
    const NodeId src =
        s.addConnectedNode(QString::fromLatin1(graph::node_types::kSourceAdapter), {}, {scale, 0}, false);
    QCOMPARE(s.document().source({scale, 0}), std::optional<PortRef>(PortRef{src, 0}));
  }

  void pastePutsTheCopyAtThePosition() {
    ProjectSession s;
    SessionGraph g(s);
    const QString text = s.copy({g.a, g.b, g.merge});
    const auto ids = s.paste(text, {1000, 2000});
    QCOMPARE(ids.size(), std::size_t(3));
    // The corner of the copy (leftmost x, topmost y: a's x, the merge's y) lands on the position.
    QCOMPARE(s.document().at(ids[0]).position, (graph::Point{1000, 2020}));
    QCOMPARE(s.document().at(ids[2]).position, (graph::Point{1320, 2000}));
    QCOMPARE(s.document().edgesInto(ids[2]).size(), std::size_t(2)); // a and b, not base
    const auto dup = s.duplicate({g.exporter});
    QCOMPARE(dup.size(), std::size_t(1));
    QCOMPARE(s.document().at(dup[0]).position, (graph::Point{680, 140}));
  }

  void saveThenOpenGivesIdenticalBytes() {
    test::TempDir dir;
    const QString first = QString::fromStdString(dir.file("first.mgproj"));
    const QString second = QString::fromStdString(dir.file("second.mgproj"));
    ProjectSession s;
    SessionGraph g(s);
    MG_VERIFY_DONE(s.setTitle(g.merge, QStringLiteral("Ties ünïcode")));
    MG_VERIFY_DONE(s.saveAs(first));
    QCOMPARE(s.filePath(), first);
    ProjectSession other;
    QSignalSpy reset(other.documentSignals(), &ui::DocumentSignals::documentWasReset);
    MG_VERIFY_DONE(other.load(first));
    QCOMPARE(reset.count(), 1);
    QVERIFY(!other.isModified());
    QCOMPARE(other.undoStack()->count(), 0);
    MG_VERIFY_DONE(other.saveAs(second));
    QCOMPARE(test::readBytes(second.toStdString()), test::readBytes(first.toStdString()));
    QCOMPARE(documentText(other), documentText(s));
  }

  void aFileThatCannotBeOpenedKeepsTheDocument() {
    test::TempDir dir;
    const std::string bad = dir.file("bad.mgproj");
    test::writeBytes(bad, "{\"format\": \"merganser-project\", \"version\": 1, \"nodes\": [");
    ProjectSession s;
    SessionGraph g(s);
    const QString before = documentText(s);
    const QString error = s.load(QString::fromStdString(bad));
    QVERIFY(!error.isEmpty());
    QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("bad.mgproj")), qPrintable(error));
    QCOMPARE(documentText(s), before);
    QVERIFY(s.undoStack()->count() > 0); // the history is kept too
    QVERIFY(!s.load(QString::fromStdString(dir.file("missing.mgproj"))).isEmpty());
    QVERIFY(!s.saveAs(QString::fromStdString(dir.file("no/such/folder/x.mgproj"))).isEmpty());
  }

  void modifiedFollowsTheUndoStack() {
    test::TempDir dir;
    ProjectSession s;
    QVERIFY(!s.isModified());
    QSignalSpy modified(&s, &ProjectSession::modifiedChanged);
    const NodeId id = s.addNode(QString::fromLatin1(graph::node_types::kScale), {});
    QVERIFY(s.isModified());
    QCOMPARE(modified.count(), 1);
    QCOMPARE(modified.last().at(0).toBool(), true);
    QVERIFY(!s.save().isEmpty()); // no file yet
    MG_VERIFY_DONE(s.saveAs(QString::fromStdString(dir.file("p.mgproj"))));
    QVERIFY(!s.isModified());
    QCOMPARE(modified.last().at(0).toBool(), false);
    MG_VERIFY_DONE(s.setParam(id, "factor", 2.0));
    QVERIFY(s.isModified());
    s.undoStack()->undo();
    QVERIFY(!s.isModified()); // back at the saved state
    s.undoStack()->undo();
    QVERIFY(s.isModified());
    MG_VERIFY_DONE(s.save());
    QVERIFY(!s.isModified());
    s.newProject();
    QVERIFY(!s.isModified());
    QVERIFY(s.filePath().isEmpty());
    QVERIFY(s.document().nodes().empty());
  }

  void restoringARecoveryCopyIsUnsavedWork() {
    test::TempDir dir;
    const std::string recovery = dir.file("recovery.mgproj");
    ProjectSession crashed;
    SessionGraph g(crashed);
    test::writeBytes(recovery, graph::projectText(crashed.document(), ""));
    ProjectSession s;
    const QString original = QString::fromStdString(dir.file("work.mgproj"));
    MG_VERIFY_DONE(s.restore(QString::fromStdString(recovery), original));
    QCOMPARE(documentText(s), documentText(crashed));
    QCOMPARE(s.filePath(), original);
    QVERIFY(s.isModified());
    MG_VERIFY_DONE(s.save());
    QVERIFY(!s.isModified());
    QVERIFY(!s.restore(QString::fromStdString(dir.file("none.mgproj")), {}).isEmpty());
    QCOMPARE(s.filePath(), original);
  }

  void documentSignalsReportEveryChange() {
    ProjectSession s;
    const ui::DocumentSignals* d = s.documentSignals();
    QSignalSpy added(d, &ui::DocumentSignals::nodeWasAdded), removed(d, &ui::DocumentSignals::nodeWasRemoved),
        edgeAdded(d, &ui::DocumentSignals::edgeWasAdded),
        edgeRemoved(d, &ui::DocumentSignals::edgeWasRemoved),
        inputs(d, &ui::DocumentSignals::inputsWereChanged), param(d, &ui::DocumentSignals::paramWasChanged),
        weight(d, &ui::DocumentSignals::inputWeightWasChanged), moved(d, &ui::DocumentSignals::nodeWasMoved),
        title(d, &ui::DocumentSignals::titleWasChanged), reset(d, &ui::DocumentSignals::documentWasReset);
    SessionGraph g(s);
    QCOMPARE(added.count(), 5);
    QCOMPARE(edgeAdded.count(), 4);
    QVERIFY(inputs.count() >= 2); // the variadic group grew
    QCOMPARE(param.count(), 4);   // the paths of the three sources and of the export
    MG_VERIFY_DONE(s.setParam(g.merge, "lambda", 0.5));
    QCOMPARE(param.last().at(1).toString(), QStringLiteral("lambda"));
    MG_VERIFY_DONE(s.setInputWeight(g.merge, 2, 0.25));
    QCOMPARE(weight.count(), 1);
    s.moveNodes({{g.a, QPointF(5, 5)}});
    QCOMPARE(moved.count(), 1);
    MG_VERIFY_DONE(s.setTitle(g.a, QStringLiteral("Fine-tune A")));
    QCOMPARE(title.count(), 1);
    MG_VERIFY_DONE(s.removeNodes({g.a}));
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.last().at(0).value<NodeId>(), g.a);
    QVERIFY(edgeRemoved.count() >= 1);
    s.newProject();
    QCOMPARE(reset.count(), 1);
  }

  void issuesFollowEveryStep() {
    ProjectSession s;
    QSignalSpy issues(&s, &ProjectSession::issuesChanged);
    const NodeId merge = s.addNode(QString::fromStdString(graph::mergeNodeTypeId("ties")), {});
    QVERIFY(issues.count() >= 1);
    const auto hasIssueOn = [&](NodeId id) {
      return std::any_of(s.issues().begin(), s.issues().end(),
                         [&](const graph::Issue& i) { return i.node == id; });
    };
    QVERIFY(hasIssueOn(merge)); // no inputs yet
    s.undoStack()->undo();
    QVERIFY(s.issues().empty());
    const int before = issues.count();
    s.undoStack()->redo();
    QCOMPARE(issues.count(), before + 1);
    QVERIFY(hasIssueOn(merge));
  }
};

MG_TEST_MAIN(ProjectSessionTest)
#include "test_project_session.moc"
