// Frames, comments and reroute points (issue 16): saved in the project file byte-identically, absent from
// older files, reroutes travelling with their edge when a variadic group renumbers and gone with it, undo of
// a removal putting them back, and copy/paste carrying them.
#include "support/test_registry.h"
#include <QtTest>

#include "graph/annotations.h"
#include "graph/clipboard.h"
#include "graph/project_file.h"
#include "graph_fixtures.h"
#include "support/temp_dir.h"

using namespace mg::graph;
using mg::test::MergeGraph;

namespace {

const char* kGolden = R"({
  "format": "merganser-project",
  "version": 2,
  "next_id": 3,
  "nodes": [
    {
      "id": 1,
      "type": "op.scale",
      "title": "Scale",
      "position": [0.0, 0.0],
      "params": {
        "factor": 1.0
      }
    },
    {
      "id": 2,
      "type": "lora.svd",
      "title": "SVD to LoRA",
      "position": [400.0, 0.0],
      "params": {
        "rank": 16
      }
    }
  ],
  "edges": [
    {"from": [1, 0], "to": [2, 0]}
  ],
  "frames": [
    {"id": 1, "title": "Adapters", "colour": "teal", "rect": [-40.0, -60.0, 520.5, 300.0], "comment": "**Why**: rank 16\n- fits"}
  ],
  "comments": [
    {"id": 2, "rect": [600.0, -60.0, 240.0, 120.0], "text": "A *note* — λ"}
  ],
  "reroutes": [
    {"to": [2, 0], "points": [[250.0, 40.0], [300.0, 120.25]]}
  ]
}
)";

std::vector<Point> reroutesOf(const Document& d, PortRef input) {
  return d.annotations().reroutesOf(input);
}

void addReroutes(Document& d, PortRef input, std::vector<Point> points) {
  Annotations a = d.annotations();
  a.setReroutes(input, std::move(points));
  d.setAnnotations(std::move(a));
}

class Counter : public DocumentObserver {
public:
  int changes = 0;
  void annotationsChanged() override { ++changes; }
};

} // namespace

class AnnotationsTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void projectTextHoldsThemOnALineEach() {
    Document doc;
    const NodeId scale = doc.addNode("op.scale", {0, 0});
    const NodeId svd = doc.addNode("lora.svd", {400, 0});
    MG_VERIFY_OK(doc.connect({scale, 0}, {svd, 0}));
    Annotations a;
    a.addFrame({0, "Adapters", "teal", {-40, -60, 520.5, 300}, "**Why**: rank 16\n- fits"});
    a.addComment({0, {600, -60, 240, 120}, "A *note* — λ"});
    a.setReroutes({svd, 0}, {{250, 40}, {300, 120.25}});
    doc.setAnnotations(a);
    MG_COMPARE_STR(projectText(doc, "/work/project"), kGolden);

    const Document back = parseProject(kGolden, "/work/project", "golden.mgproj");
    QVERIFY(back.annotations() == doc.annotations());
    MG_COMPARE_STR(projectText(back, "/work/project"), kGolden); // saving what was loaded: same bytes
  }

  void saveLoadSaveIsByteIdenticalOnDisk() {
    mg::test::TempDir dir;
    MergeGraph g;
    Annotations a;
    a.addFrame({0, "Merge \"all\"", "purple", {-1.0 / 3.0, 1e21, 10, 20}, ""});
    a.addComment({0, {1, 2, 3, 4}, "line 1\n\nline\t2"});
    a.setReroutes({g.merge, 2}, {{150, 210}});
    g.doc.setAnnotations(a);
    saveProject(g.doc, dir.file("p.mgproj"));
    const Document loaded = loadProject(dir.file("p.mgproj"));
    QVERIFY(loaded.annotations() == g.doc.annotations());
    saveProject(loaded, dir.file("q.mgproj"));
    MG_COMPARE_STR(mg::test::readBytes(dir.file("q.mgproj")), mg::test::readBytes(dir.file("p.mgproj")));
  }

  void aFileWithoutThemLoadsAndKeepsItsBytes() {
    // An older project: no sections; nothing is added when it is saved again.
    MergeGraph g;
    const std::string text = projectText(g.doc, "/p");
    QVERIFY(!mg::test::containsText(text, "frames") && !mg::test::containsText(text, "reroutes"));
    const Document back = parseProject(text, "/p", "old.mgproj");
    QVERIFY(back.annotations().empty());
    MG_COMPARE_STR(projectText(back, "/p"), text);
  }

  void badSectionsAreOneLineErrors() {
    MergeGraph g;
    std::string text = projectText(g.doc, "/p");
    const auto withSection = [&](const std::string& section) {
      return text.substr(0, text.rfind('}')) + ",\n  " + section + "\n}\n";
    };
    const auto error = [&](const std::string& section) -> std::string {
      try {
        parseProject(withSection(section), "/p", "bad.mgproj");
      } catch (const ProjectError& e) {
        return e.what();
      }
      return "nothing thrown";
    };
    MG_COMPARE_STR(error(R"("frames": [{"id": 1, "rect": [0, 0, 1]}])"),
                   "bad.mgproj: frame 1: rect must be [x, y, width, height]");
    MG_COMPARE_STR(error(R"("comments": [{"id": 1, "rect": [0, 0, 1, 1], "text": 5}])"),
                   "bad.mgproj: comment 1: text must be text");
    MG_COMPARE_STR(
        error(
            R"("frames": [{"id": 1, "rect": [0, 0, 1, 1]}], "comments": [{"id": 1, "rect": [0, 0, 1, 1]}])"),
        "bad.mgproj: comment 1: annotation id 1 is in use or reserved");
    MG_COMPARE_STR(error(R"("reroutes": [{"to": [4, 1], "points": [[0, "x"]]}])"),
                   "bad.mgproj: reroute to 4:1: y must be a number");
    // Points for an input without an edge are drawing only: dropped, the rest loads.
    const Document loaded =
        parseProject(withSection(R"("reroutes": [{"to": [4, 7], "points": [[0, 1]]}])"), "/p", "ok.mgproj");
    QVERIFY(loaded.annotations().empty());
  }

  void reroutesFollowARenumberedVariadicInput() {
    MergeGraph g; // TIES: base 0, models 1 (a), models 2 (b, weight 0.5)
    addReroutes(g.doc, {g.merge, 2}, {{100, 200}, {150, 180}});
    // a's edge goes: b's input moves down to models 1 and its points with it.
    const auto removed = g.doc.disconnect({g.merge, 1});
    QVERIFY(removed.has_value());
    QCOMPARE(g.doc.source({g.merge, 1}), std::optional<PortRef>(PortRef{g.b, 0}));
    QCOMPARE(reroutesOf(g.doc, {g.merge, 1}), (std::vector<Point>{{100, 200}, {150, 180}}));
    QVERIFY(reroutesOf(g.doc, {g.merge, 2}).empty());
    // Putting a's edge back moves b's input and its points up again.
    MG_VERIFY_OK(g.doc.restoreEdge(*removed));
    QCOMPARE(reroutesOf(g.doc, {g.merge, 2}), (std::vector<Point>{{100, 200}, {150, 180}}));
    QVERIFY(reroutesOf(g.doc, {g.merge, 1}).empty());
  }

  void reroutesGoWithTheirEdgeAndComeBackOnUndo() {
    MergeGraph g;
    addReroutes(g.doc, {g.merge, 1}, {{100, 120}});
    addReroutes(g.doc, {g.exporter, 0}, {{300, 100}});
    const Document before = g.doc;
    // Removing the merge takes its edges and their points.
    const RemovedNode removed = g.doc.removeNode(g.merge);
    QVERIFY(g.doc.annotations().reroutes().empty());
    g.doc.restoreNode(removed);
    QVERIFY(g.doc.annotations() == before.annotations());
    // A disconnected edge takes its points; reconnecting anew starts without.
    g.doc.disconnect({g.exporter, 0});
    QVERIFY(reroutesOf(g.doc, {g.exporter, 0}).empty());
    MG_VERIFY_OK(g.doc.connect({g.merge, 0}, {g.exporter, 0}));
    QVERIFY(reroutesOf(g.doc, {g.exporter, 0}).empty());
  }

  void setAnnotationsRefusesPointsWithoutAnEdgeAndNotifies() {
    MergeGraph g;
    Counter counter;
    g.doc.addObserver(&counter);
    Annotations a;
    a.setReroutes({g.exporter, 3}, {{1, 1}});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, g.doc.setAnnotations(a));
    QCOMPARE(counter.changes, 0);
    Annotations b;
    const AnnotationId frame = b.addFrame({0, "F", "blue", {0, 0, 10, 10}, ""});
    g.doc.setAnnotations(b);
    QCOMPARE(counter.changes, 1);
    g.doc.setAnnotations(b); // unchanged: no notification
    QCOMPARE(counter.changes, 1);
    QCOMPARE(g.doc.annotations().frame(frame)->title, std::string("F"));
    g.doc.removeObserver(&counter);
    // The engine's copy carries them, and they change nothing it looks at.
    const Document copy = g.doc;
    QVERIFY(copy.annotations() == g.doc.annotations());
  }

  void copyPasteCarriesReroutesFramesAndComments() {
    MergeGraph g;
    addReroutes(g.doc, {g.merge, 2}, {{100, 210}});
    addReroutes(g.doc, {g.merge, 1}, {{100, 110}}); // a's edge: a is not copied
    Annotations a = g.doc.annotations();
    const AnnotationId frame = a.addFrame({0, "Merge", "green", {-20, 80, 300, 200}, "*why*"});
    const AnnotationId comment = a.addComment({0, {0, 300, 100, 50}, "note"});
    a.addFrame({0, "Not copied", "red", {0, 0, 1, 1}, ""});
    g.doc.setAnnotations(a);
    const std::string text = copyNodes(g.doc, {g.b, g.merge}, {frame, comment});
    std::vector<AnnotationId> pasted;
    const auto added = pasteNodes(g.doc, text, {1000, 10}, &pasted);
    QCOMPARE(added.size(), std::size_t(2));
    const NodeId merge2 = added[1];
    // b's edge became models 1 of the copy, its point moved by the offset; a's edge did not come.
    QCOMPARE(reroutesOf(g.doc, {merge2, 1}), (std::vector<Point>{{1100, 220}}));
    QVERIFY(reroutesOf(g.doc, {merge2, 2}).empty());
    QCOMPARE(pasted.size(), std::size_t(2));
    const Frame* f = g.doc.annotations().frame(pasted[0]);
    QVERIFY(f != nullptr && pasted[0] != frame);
    QCOMPARE(f->title, std::string("Merge"));
    QCOMPARE(f->comment, std::string("*why*"));
    QVERIFY(f->rect == (Rect{980, 90, 300, 200}));
    QVERIFY(g.doc.annotations().comment(pasted[1])->rect == (Rect{1000, 310, 100, 50}));
    QCOMPARE(g.doc.annotations().frames().size(), std::size_t(3)); // the unselected one was not copied
  }
};

MG_TEST_APPLESS_MAIN(AnnotationsTest)
#include "test_annotations.moc"
