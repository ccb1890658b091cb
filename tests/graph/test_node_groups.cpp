// Groups of nodes (issue 16): what the editor collapses into one box. They survive saving, undo of node
// removal, and never change the graph the engine runs.
#include "support/test_registry.h"
#include <QtTest>

#include "graph/clipboard.h"
#include "graph/document.h"
#include "graph/node_groups.h"
#include "graph/project_file.h"
#include "graph_fixtures.h"
#include "support/temp_dir.h"

using namespace mg::graph;

namespace {

// base → TIES ← a, b; TIES → export. Returns {base, a, b, merge, exporter}.
std::vector<NodeId> chain(Document& d) {
  const NodeId base = d.addNode("source.model"), a = d.addNode("source.model"), b = d.addNode("source.model");
  const NodeId merge = d.addNode("merge.ties"), exporter = d.addNode("sink.export");
  for (const auto& [from, to] : std::vector<std::pair<PortRef, PortRef>>{
           {{base, 0}, {merge, 0}}, {{a, 0}, {merge, 1}}, {{b, 0}, {merge, 2}}, {{merge, 0}, {exporter, 0}}})
    if (auto error = d.connect(from, to)) qFatal("%s", error->c_str());
  return {base, a, b, merge, exporter};
}

} // namespace

class NodeGroupsTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aGroupShowsTheEdgesCrossingItsBorder() {
    Document d;
    const auto n = chain(d);
    const GroupId id = d.addGroup("Merge a and b", {n[1], n[2], n[3]});
    const NodeGroup& group = *d.groups().find(id);
    QVERIFY(group.collapsed); // a new group is collapsed: that is why one makes it
    const BorderPorts border = borderPorts(group, d.edges());
    // The base feeds the merge from outside; the merge feeds the export outside.
    QCOMPARE(border.sources, (std::vector<PortRef>{{n[0], 0}}));
    QCOMPARE(border.fed, (std::vector<std::vector<PortRef>>{{{n[3], 0}}}));
    QCOMPARE(border.outputs, (std::vector<PortRef>{{n[3], 0}}));
    // A source feeding several members is one way in.
    Document d2;
    const auto m = chain(d2);
    QVERIFY(d2.disconnect({m[3], 2}).has_value()); // b leaves; the base feeds that input too
    QVERIFY(!d2.connect({m[0], 0}, {m[3], 2}));
    const BorderPorts shared = borderPorts(*d2.groups().find(d2.addGroup("merge", {m[3]})), d2.edges());
    QCOMPARE(shared.sources, (std::vector<PortRef>{{m[0], 0}, {m[1], 0}}));
    QCOMPARE(shared.fed.front(), (std::vector<PortRef>{{m[3], 0}, {m[3], 2}}));
    QCOMPARE(d.groups().groupOf(n[2]), std::optional<GroupId>(id));
    QCOMPARE(d.groups().groupOf(n[0]), std::optional<GroupId>());
  }

  void groupsDoNotNestAndNeedNodes() {
    Document d;
    const auto n = chain(d);
    d.addGroup("first", {n[1], n[2]});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, d.addGroup("second", {n[2], n[3]}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, d.addGroup("empty", {}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, d.addGroup("ghost", {999}));
  }

  void removingNodesLeavesTheGroupAndUndoPutsThemBack() {
    Document d;
    const auto n = chain(d);
    const GroupId id = d.addGroup("pair", {n[1], n[2]});
    d.setGroupCollapsed(id, false);
    const Document before = d;
    RemovedNode first = d.removeNode(n[1]);
    QCOMPARE(d.groups().find(id)->members, (std::set<NodeId>{n[2]}));
    RemovedNode last = d.removeNode(n[2]);
    QVERIFY(d.groups().empty()); // its last node gone, the group goes
    d.restoreNode(last);
    d.restoreNode(first);
    QCOMPARE(d.groups().all(), before.groups().all()); // title, open state and id as they were
  }

  void aCopiedGroupPastesAsAGroup() {
    Document d;
    const auto n = chain(d);
    d.addGroup("pair", {n[1], n[2]});
    // The whole group copied: pasted as a new group of the new nodes.
    Document other;
    const auto pasted = pasteNodes(other, copyNodes(d, {n[1], n[2], n[3]}), {10, 10});
    QCOMPARE(other.groups().all().size(), std::size_t(1));
    const NodeGroup& group = other.groups().all().begin()->second;
    QCOMPARE(group.title, std::string("pair"));
    QCOMPARE(group.members, (std::set<NodeId>{pasted[0], pasted[1]}));
    QVERIFY(group.collapsed);
    // Part of it copied: no group.
    Document partial;
    pasteNodes(partial, copyNodes(d, {n[2], n[3]}), {});
    QVERIFY(partial.groups().empty());
  }

  void projectFilesKeepGroups() {
    mg::test::TempDir dir;
    Document d;
    const auto n = chain(d);
    const std::string plain = dir.file("plain.mgproj");
    saveProject(d, plain);
    QVERIFY(mg::test::readBytes(plain).find("groups") == std::string::npos); // no section when unused

    const GroupId id = d.addGroup("Merge \"a\" and b", {n[1], n[2], n[3]});
    d.setGroupCollapsed(id, false);
    const std::string grouped = dir.file("grouped.mgproj");
    saveProject(d, grouped);
    const Document loaded = loadProject(grouped);
    QCOMPARE(loaded.groups().all(), d.groups().all());
    QCOMPARE(loaded.edges(), d.edges()); // the graph the engine runs is the same
    const std::string again = dir.file("again.mgproj");
    saveProject(loaded, again);
    QCOMPARE(mg::test::readBytes(again), mg::test::readBytes(grouped)); // same bytes

    // A group naming a node the file lacks is a clear error, not a crash.
    std::string broken = mg::test::readBytes(grouped);
    broken.replace(broken.find("\"members\": ["), 12, "\"members\": [77, ");
    mg::test::writeBytes(dir.file("broken.mgproj"), broken);
    try {
      loadProject(dir.file("broken.mgproj"));
      QFAIL("loaded a group of a missing node");
    } catch (const ProjectError& error) {
      QVERIFY2(std::string(error.what()).find("no node 77") != std::string::npos, error.what());
    }
  }
};

MG_TEST_APPLESS_MAIN(NodeGroupsTest)
#include "test_node_groups.moc"
