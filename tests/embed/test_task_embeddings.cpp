// Task embeddings on the quick demo zoo (real Fashion-MNIST tasks made of skills): data and Fisher
// embeddings of a composed task are nearest to a task of one of its skills, identical task data embeds
// identically, and the Embedding map node runs in a project: its map reaches the node status with the graph
// node behind every point, followed by the map of every other kind its inputs allow (for the view's kind
// switch), a kind that fails only costing a warning.
#include "support/test_registry.h"
#include <QtTest>

#include <algorithm>
#include <filesystem>

#include "demo/demo_zoo.h"
#include "embed/data_embedding.h"
#include "embed/embed_tasks.h"
#include "embed/embedding_map.h"
#include "embed/fisher_embedding.h"
#include "engine/graph_executor.h"
#include "weights/open_weights.h"
#include "eval/classifier.h"
#include "graph/builtin_node_types.h"
#include "io/hf_model_folder.h"
#include "io/idx_file.h"
#include "io/task_file.h"
#include "support/temp_dir.h"

using namespace mg;
namespace fs = std::filesystem;
namespace nt = graph::node_types;

namespace {

void check(const graph::MaybeError& error) {
  QVERIFY2(!error, error ? error->c_str() : "");
}

int indexOf(const embed::EmbeddingMap& map, const std::string& name) {
  for (std::size_t i = 0; i < map.size(); ++i)
    if (map.names[i] == name) return int(i);
  return -1;
}

// The skills shared by two tasks of the map.
bool shareASkill(const embed::EmbeddingMap& map, int a, int b) {
  for (const auto& s : map.skills[std::size_t(a)])
    for (const auto& t : map.skills[std::size_t(b)])
      if (s == t) return true;
  return false;
}

void printMap(const embed::EmbeddingMap& map) {
  for (const auto& line : embed::nearestNeighbourLines(map))
    qInfo("%s %s", embed::kindName(map.kind), line.c_str());
}

} // namespace

class TaskEmbeddingsTest : public QObject {
  Q_OBJECT
  test::TempDir dir_;
  std::string zoo_;
  std::vector<io::TaskData> tasks_;
  std::unique_ptr<eval::Classifier> base_;

private Q_SLOTS:
  void initTestCase() {
    if (!fs::exists(std::string(io::kFashionMnistFolder)))
      QSKIP("dataset-fashion-mnist is not installed (packaging/install-deps.sh installs it)");
    zoo_ = dir_.file("zoo");
    demo::DemoOptions options;
    options.outFolder = zoo_;
    options.quick = true;
    demo::buildDemoZoo(options);
    tasks_ = io::readTaskSet(zoo_ + "/tasks");
    const auto opened = engine::openWeights(zoo_ + "/base", nullptr);
    base_ =
        eval::loadClassifier(*opened.weights, dynamic_cast<const io::HfModelFolder*>(opened.source.get()));
  }

  void composedTasksAreNearATaskOfTheirSkills() {
    for (const auto kind : {embed::EmbeddingKind::Data, embed::EmbeddingKind::Fisher}) {
      const auto map = embed::embedTasks(kind, *base_, tasks_);
      printMap(map);
      QCOMPARE(map.size(), tasks_.size());
      for (const char* composed : {"rotate+invert", "flip+invert"}) {
        const int i = indexOf(map, composed);
        QVERIFY(i >= 0);
        QVERIFY2(shareASkill(map, i, map.nearest[std::size_t(i)]),
                 qPrintable(
                     QString("%1 %2: nearest %3")
                         .arg(embed::kindName(kind), composed,
                              QString::fromStdString(map.names[std::size_t(map.nearest[std::size_t(i)])]))));
      }
    }
  }

  void identicalTaskDataEmbedsIdentically() {
    const auto& task = tasks_.front();
    QCOMPARE(embed::dataEmbedding(*base_, task), embed::dataEmbedding(*base_, task));
    const auto fisher = embed::fisherEmbedding(*base_, task);
    QCOMPARE(embed::fisherEmbedding(*base_, task), fisher);
    QCOMPARE(fisher.size(), std::size_t(64)); // one value per unit of the base's last hidden layer
    for (const float f : fisher)
      QVERIFY(f >= 0);
    io::TaskData copy = task;
    copy.name = "copy";
    const auto map = embed::embedTasks(embed::EmbeddingKind::Fisher, *base_, {task, copy});
    QCOMPARE(map.vectors[0], map.vectors[1]);
    QCOMPARE(map.distance[0][1], 0.0);
    QCOMPARE(map.trivial.size(), std::size_t(64));
  }

  void theEmbeddingMapNodeRunsInAProject() {
    graph::Document doc;
    auto source = [&](const char* type, const std::string& path, const std::string& title) {
      const graph::NodeId id = doc.addNode(type);
      check(doc.setParam(id, "path", path));
      doc.setTitle(id, title);
      return id;
    };
    const auto base = source(nt::kSourceModel, zoo_ + "/base", "base");
    const auto tasks = source(nt::kSourceTasks, zoo_ + "/tasks", "tasks");
    std::vector<graph::NodeId> items = {
        source(nt::kSourceAdapter, zoo_ + "/adapters/rotate", "LoRA rotate"),
        source(nt::kSourceAdapter, zoo_ + "/adapters/flip", "LoRA flip"),
        source(nt::kSourceAdapter, zoo_ + "/adapters/invert", "LoRA invert"),
        source(nt::kSourceModel, zoo_ + "/finetunes/invert", "fine-tune invert")};
    const auto params = doc.addNode(nt::kEmbeddingMap);
    check(doc.connect({base, 0}, {params, 0}));
    for (std::size_t i = 0; i < items.size(); ++i)
      check(doc.connect({items[i], 0}, {params, 2 + i}));
    const auto data = doc.addNode(nt::kEmbeddingMap);
    check(doc.setParam(data, "kind", "data"));
    check(doc.setParam(data, "projection", "tsne"));
    check(doc.connect({base, 0}, {data, 0}));
    check(doc.connect({tasks, 0}, {data, 1}));
    // Everything connected: kind param first, then fisher and data for the view.
    const auto all = doc.addNode(nt::kEmbeddingMap);
    check(doc.connect({base, 0}, {all, 0}));
    check(doc.connect({tasks, 0}, {all, 1}));
    for (std::size_t i = 0; i < items.size(); ++i)
      check(doc.connect({items[i], 0}, {all, 2 + i}));

    engine::GraphExecutor executor(dir_.file("scratch"));
    engine::CancelToken cancel;
    const auto summary = executor.run(doc, {params, data, all}, {}, cancel);
    for (const auto& [id, status] : summary.nodes)
      QVERIFY2(status.state == engine::NodeState::Done, status.message.c_str());

    const auto& p = summary.nodes.at(params);
    QCOMPARE(p.embeddings.size(), std::size_t(1)); // no tasks: param only
    QVERIFY(p.warnings.empty());
    QCOMPARE(p.embeddings[0].map->skills, std::vector<std::vector<std::string>>(items.size()));
    const auto& pmap = *p.embeddings[0].map;
    QCOMPARE(pmap.names,
             (std::vector<std::string>{"LoRA rotate", "LoRA flip", "LoRA invert", "fine-tune invert"}));
    QCOMPARE(p.embeddings[0].nodes, items); // a click on a point selects its node
    printMap(pmap);
    // The LoRA and the full fine-tune trained on the same task are each other's nearest (cosine ~0.22
    // exact, against ~0.01 for the other pairs): the task vector describes the task, whatever the method.
    QCOMPARE(pmap.nearest[3], 2);
    QCOMPARE(pmap.nearest[2], 3);
    QVERIFY(pmap.similarity[2][3] > 0.1);
    QVERIFY(p.facts.size() >= 2 + items.size());

    const auto& d = summary.nodes.at(data);
    QCOMPARE(d.embeddings.size(), std::size_t(2)); // no items: data, then fisher
    QVERIFY(d.warnings.empty());
    QCOMPARE(d.embeddings[1].map->kind, embed::EmbeddingKind::Fisher);
    QCOMPARE(d.embeddings[1].nodes, std::vector<graph::NodeId>(tasks_.size(), tasks));
    QCOMPARE(d.embeddings[1].map->projection, embed::Projection::Tsne); // the node's projection and seed
    const auto& dmap = *d.embeddings[0].map;
    QCOMPARE(dmap.kind, embed::EmbeddingKind::Data);
    QCOMPARE(dmap.size(), tasks_.size());
    QCOMPARE(dmap.projection, embed::Projection::Tsne);
    QCOMPARE(d.embeddings[0].nodes, std::vector<graph::NodeId>(tasks_.size(), tasks));
    QCOMPARE(dmap.skills[std::size_t(indexOf(dmap, "rotate+invert"))],
             (std::vector<std::string>{"rotate", "invert"}));

    const auto& a = summary.nodes.at(all);
    QVERIFY(a.warnings.empty());
    QCOMPARE(a.embeddings.size(), std::size_t(3));
    QCOMPARE(a.embeddings[0].map->kind, embed::EmbeddingKind::Parameter);
    QCOMPARE(a.embeddings[1].map->kind, embed::EmbeddingKind::Fisher);
    QCOMPARE(a.embeddings[2].map->kind, embed::EmbeddingKind::Data);
    QCOMPARE(a.embeddings[0].nodes, items);
    QCOMPARE(a.embeddings[0].map->vectors, pmap.vectors); // the same map as without tasks
    // Each specialist has the skills of the task it is named after, for colouring adapters by skill.
    const auto skillsOf = [&](const std::string& task) {
      return dmap.skills[std::size_t(indexOf(dmap, task))];
    };
    QCOMPARE(a.embeddings[0].map->skills,
             (std::vector<std::vector<std::string>>{skillsOf("rotate"), skillsOf("flip"), skillsOf("invert"),
                                                    skillsOf("invert")}));
    QVERIFY(!skillsOf("rotate").empty());
    QCOMPARE(a.embeddings[2].map->vectors, dmap.vectors);
    QVERIFY(std::any_of(a.facts.begin(), a.facts.end(), [](const std::string& fact) {
      return fact.rfind("also fisher embeddings", 0) == 0;
    }));

    // A second run comes from the cache with the same map.
    const auto again = executor.run(doc, {params}, {}, cancel);
    QCOMPARE(again.nodes.at(params).state, engine::NodeState::Cached);
    QCOMPARE(again.nodes.at(params).embeddings.size(), std::size_t(1));

    // Kind fisher without tasks, and kind param without items, fail with the reason.
    check(doc.setParam(params, "kind", "fisher"));
    const auto failed = executor.run(doc, {params}, {}, cancel);
    const auto& f = failed.nodes.at(params);
    QCOMPARE(f.state, engine::NodeState::Failed);
    QVERIFY2(f.message.find("connect 'base' and 'tasks'") != std::string::npos, f.message.c_str());
    check(doc.setParam(data, "kind", "param"));
    const auto noItemsRun = executor.run(doc, {data}, {}, cancel);
    const auto& noItems = noItemsRun.nodes.at(data);
    QCOMPARE(noItems.state, engine::NodeState::Failed);
    QVERIFY2(noItems.message.find("connect adapters or models to 'items'") != std::string::npos,
             noItems.message.c_str());
  }

  // Tasks the base cannot read (another input shape) fail the optional fisher and data maps of a param map:
  // warnings naming the kind, and the node still gives its own map.
  void anOptionalKindThatFailsIsAWarning() {
    io::TaskData odd;
    odd.name = "odd";
    odd.labelNames = {"a", "b"};
    odd.inputShape = {4, 5};
    odd.inputs.assign(20, 0.5f);
    odd.labels = {0, 1, 0, 1};
    const auto oddFile = dir_.file("odd.h5");
    io::writeTaskFile(oddFile, odd);
    graph::Document doc;
    const auto base = doc.addNode(nt::kSourceModel);
    check(doc.setParam(base, "path", zoo_ + "/base"));
    const auto tasks = doc.addNode(nt::kSourceTasks);
    check(doc.setParam(tasks, "path", oddFile));
    const auto map = doc.addNode(nt::kEmbeddingMap);
    check(doc.connect({base, 0}, {map, 0}));
    check(doc.connect({tasks, 0}, {map, 1}));
    for (const std::string name : {"rotate", "flip"}) {
      const auto adapter = doc.addNode(nt::kSourceAdapter);
      check(doc.setParam(adapter, "path", zoo_ + "/adapters/" + name));
      check(doc.connect({adapter, 0}, {map, doc.variadicConnected(map) + 2}));
    }
    engine::GraphExecutor executor(dir_.file("scratch-odd"));
    engine::CancelToken cancel;
    const auto summary = executor.run(doc, {map}, {}, cancel);
    const auto& status = summary.nodes.at(map);
    QVERIFY2(status.state == engine::NodeState::Done, status.message.c_str());
    QCOMPARE(status.embeddings.size(), std::size_t(1));
    QCOMPARE(status.embeddings[0].map->kind, embed::EmbeddingKind::Parameter);
    QCOMPARE(status.warnings.size(), std::size_t(2));
    QVERIFY2(status.warnings[0].rfind("fisher embeddings not computed: ", 0) == 0,
             status.warnings[0].c_str());
    QVERIFY2(status.warnings[1].rfind("data embeddings not computed: ", 0) == 0, status.warnings[1].c_str());
  }
};

MG_TEST_GUILESS_MAIN(TaskEmbeddingsTest)
#include "test_task_embeddings.moc"
