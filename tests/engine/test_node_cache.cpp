// The executor's cache on disk as a user relies on it: bounded by its limit (older adapters are evicted and
// their folders deleted, the newest stay, an evicted node runs again), never evicting what a run uses,
// cleared with its folders, and shared safely by two executors on one scratch root while what a dead one left
// is removed on start.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <filesystem>

#include "engine/graph_executor.h"
#include "graph/builtin_node_types.h"
#include "io/safetensors_writer.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

using namespace mg;
using engine::NodeState;
using graph::NodeId;
namespace nt = graph::node_types;
namespace fs = std::filesystem;

namespace {

void check(const graph::MaybeError& error) {
  QVERIFY2(!error, error ? error->c_str() : "");
}

// A base and three fine-tunes of it, each with an Extract LoRA node: every extract writes an adapter
// folder into the scratch root.
struct Project {
  test::TempDir dir;
  graph::Document doc;
  NodeId base = 0;
  std::vector<NodeId> extracts;

  Project() {
    base = source("base.safetensors", 0.0f);
    for (int i = 1; i <= 3; ++i) {
      const NodeId model = source("ft" + std::to_string(i) + ".safetensors", 0.1f * float(i));
      const NodeId extract = doc.addNode(nt::kLoraExtract);
      check(doc.setParam(extract, "max_rank", 4));
      check(doc.connect({base, 0}, {extract, 0}));
      check(doc.connect({model, 0}, {extract, 1}));
      extracts.push_back(extract);
    }
  }
  NodeId source(const std::string& file, float spread) {
    at::manual_seed(7);
    const auto w = at::randn({32, 16});
    const auto change = at::randn({32, 2}).matmul(at::randn({2, 16}));
    const std::string path = dir.file(file);
    io::writeSafetensors(path,
                         {tensor::fromTorch(w + spread * change, "layers.0.fc.weight", io::DType::F32)});
    const NodeId id = doc.addNode(nt::kSourceModel);
    check(doc.setParam(id, "path", path));
    return id;
  }
};

struct Run {
  engine::RunSummary summary;
  NodeState state(NodeId id) const { return summary.nodes.at(id).state; }
};

Run run(engine::GraphExecutor& executor, const graph::Document& doc, const std::vector<NodeId>& targets) {
  engine::CancelToken cancel;
  Run r{executor.run(doc, targets, {}, cancel)};
  std::string text;
  for (const auto& [id, s] : r.summary.nodes)
    text += std::to_string(id) + " " + engine::nodeStateName(s.state) + " " + s.message + "\n";
  if (!r.summary.ok()) qWarning("%s", text.c_str());
  return r;
}

// Where the executor keeps the files of `node` as last run.
fs::path folderOf(const engine::GraphExecutor& executor, const Run& r, NodeId node) {
  return fs::path(executor.scratchFolder()) / graph::cacheKeyText(r.summary.nodes.at(node).key);
}

bool nonEmptyFolder(const fs::path& folder) {
  std::error_code ec;
  return fs::is_directory(folder, ec) && !fs::is_empty(folder, ec);
}

} // namespace

class NodeCacheTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void olderEntriesAreEvictedAndTheirFoldersDeletedWhileTheNewestStay() {
    Project p;
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    const Run first = run(executor, p.doc, {p.extracts[0]});
    QVERIFY(first.summary.ok());
    const std::uint64_t oneAdapter = executor.cachedBytes();
    QVERIFY(oneAdapter > 0);
    QVERIFY(nonEmptyFolder(folderOf(executor, first, p.extracts[0])));

    executor.setCacheLimit(oneAdapter + oneAdapter / 2); // room for one adapter, not two
    const Run second = run(executor, p.doc, {p.extracts[1]});
    const Run third = run(executor, p.doc, {p.extracts[2]});
    QVERIFY(second.summary.ok() && third.summary.ok());
    QVERIFY(!fs::exists(folderOf(executor, first, p.extracts[0])));
    QVERIFY(!fs::exists(folderOf(executor, second, p.extracts[1])));
    QVERIFY(nonEmptyFolder(folderOf(executor, third, p.extracts[2])));
    QVERIFY(executor.cachedBytes() <= executor.cacheLimit());

    // The newest comes from the cache; an evicted one runs again.
    QCOMPARE(run(executor, p.doc, {p.extracts[2]}).state(p.extracts[2]), NodeState::Cached);
    const Run again = run(executor, p.doc, {p.extracts[0]});
    QCOMPARE(again.state(p.extracts[0]), NodeState::Done);
    QVERIFY(nonEmptyFolder(folderOf(executor, again, p.extracts[0])));
  }

  void aRunKeepsEverythingItUsesEvenBeyondTheLimit() {
    Project p;
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path(), 1); // one byte
    const Run both = run(executor, p.doc, {p.extracts[0], p.extracts[1]});
    QVERIFY(both.summary.ok());
    QVERIFY(nonEmptyFolder(folderOf(executor, both, p.extracts[0])));
    QVERIFY(nonEmptyFolder(folderOf(executor, both, p.extracts[1])));
    // The next run evicts them: they are no longer the last run's.
    const Run next = run(executor, p.doc, {p.extracts[2]});
    QVERIFY(!fs::exists(folderOf(executor, both, p.extracts[0])));
    QVERIFY(nonEmptyFolder(folderOf(executor, next, p.extracts[2])));
  }

  void clearingTheCacheDeletesItsFolders() {
    Project p;
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    const Run first = run(executor, p.doc, {p.extracts[0]});
    QVERIFY(nonEmptyFolder(folderOf(executor, first, p.extracts[0])));
    executor.clearCache();
    QVERIFY(!fs::exists(folderOf(executor, first, p.extracts[0])));
    QCOMPARE(executor.cachedBytes(), std::uint64_t(0));
  }

  void aSecondExecutorOnTheSameRootLeavesTheFirstOnesFilesAlone() {
    Project p;
    test::TempDir scratch;
    engine::GraphExecutor first(scratch.path());
    const Run r = run(first, p.doc, {p.extracts[0]});
    {
      engine::GraphExecutor second(scratch.path());
      QVERIFY(second.scratchFolder() != first.scratchFolder());
      QVERIFY(nonEmptyFolder(folderOf(first, r, p.extracts[0])));
      run(second, p.doc, {p.extracts[1]});
    } // the second one ends: its folder goes, the first one's stays
    QVERIFY(nonEmptyFolder(folderOf(first, r, p.extracts[0])));
    QCOMPARE(run(first, p.doc, {p.extracts[0]}).state(p.extracts[0]), NodeState::Cached);
    std::size_t owners = 0;
    for (const auto& entry : fs::directory_iterator(scratch.path()))
      owners += entry.is_directory() ? 1 : 0;
    QCOMPARE(owners, std::size_t(1));
  }

  void whatADeadOwnerLeftIsRemovedOnStart() {
    test::TempDir scratch;
    const fs::path root = scratch.path();
    // A process that crashed: its lock file (nobody holds it) and its folder; and a per-key folder of an
    // older version.
    fs::create_directories(root / "4242-dead" / "00ff00ff00ff00ff" / "adapter");
    test::writeBytes((root / "4242-dead" / "00ff00ff00ff00ff" / "adapter" / "w.safetensors").string(), "x");
    test::writeBytes((root / "4242-dead.lock").string(), "");
    fs::create_directories(root / "0123456789abcdef" / "adapter");
    std::string own;
    {
      engine::GraphExecutor executor(root.string());
      own = executor.scratchFolder();
      QVERIFY(!fs::exists(root / "4242-dead"));
      QVERIFY(!fs::exists(root / "4242-dead.lock"));
      QVERIFY(!fs::exists(root / "0123456789abcdef"));
      QVERIFY(fs::is_directory(own));
    }
    QVERIFY(!fs::exists(own)); // an executor that ends leaves nothing behind
    QVERIFY(test::listFolder(root.string()).empty());
  }
};

MG_TEST_APPLESS_MAIN(NodeCacheTest)
#include "test_node_cache.moc"
