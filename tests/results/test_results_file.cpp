// What the Results dock shows, saved beside a project (engine/run_file.h): every field of scores (with a
// router's decisions), matrices, embedding maps and scatters reads back as written, an embedding map
// rebuilds to the same similarities, clusters and coordinates, a file of the first version (scores only)
// still loads, so does one of the second (no producing nodes), a damaged file is a one-line error naming it
// and where, a failed write leaves the old file, fresh results replace saved ones of the same node (or
// title, saved without a node) so a renamed node leaves no stale entry, and a run's summary gives all four.
#include "support/test_registry.h"
#include <QtTest>

#include <hdf5.h>

#include "embed/embedding_map.h"
#include "results/collect_run.h"
#include "results/results_file.h"
#include "graph/builtin_node_types.h"
#include "io/io_error.h"
#include "results/results_compare.h"
#include "support/temp_dir.h"

using namespace mg;
using mg::test::compareScores;
using mg::test::errorOf;

namespace {

std::vector<eval::ModelScores> sampleScores() {
  eval::TaskScore rotate;
  rotate.task = "rotate";
  rotate.examples = 8;
  rotate.accuracy = 0.75;
  rotate.loss = 0.5;
  rotate.confusion = {{3, 1}, {1, 3}};
  rotate.routedTo = {"rotate", "flip/v"};
  rotate.routedCounts = {6, 2};
  rotate.routingAccuracy = 0.75;
  eval::TaskScore novel = rotate; // a task no specialist is named after: routed, accuracy unmeasured
  novel.task = "rotate+flip";
  novel.routedCounts = {1, 7};
  novel.routingAccuracy.reset();
  eval::TaskScore plain = rotate; // not a router's
  plain.routedTo.clear();
  plain.routedCounts.clear();
  plain.routingAccuracy.reset();
  eval::ModelScores router;
  router.model = "Router (nearest, top-1)";
  router.modelNode = 11;
  router.evaluateNode = 11;
  router.scores = {rotate, novel};
  eval::ModelScores merge;
  merge.model = "TIES";
  merge.modelNode = 4;
  merge.evaluateNode = 7;
  merge.parameter = "lambda";
  merge.parameterValue = 0.25;
  merge.scores = {plain};
  return {router, merge};
}

// A language model's text tasks (version 4): perplexity (no accuracy) and multiple choice.
eval::ModelScores languageModelScores() {
  eval::TaskScore prose;
  prose.task = "prose";
  prose.examples = 3;
  prose.loss = 2.5;
  prose.textKind = "perplexity";
  prose.tokens = 84;
  prose.perplexity = 12.18;
  eval::TaskScore choose = prose;
  choose.task = "choose";
  choose.textKind = "multiple_choice";
  choose.perplexity.reset();
  choose.accuracy = 0.4;
  choose.accuracyNorm = 0.6;
  eval::ModelScores language;
  language.model = "Llama";
  language.modelNode = 2;
  language.evaluateNode = 3;
  language.scores = {prose, choose};
  return language;
}

engine::MatrixValue sampleMatrix(const std::string& title) {
  engine::MatrixValue matrix;
  matrix.kind = "routing";
  matrix.title = title;
  matrix.note = "rows sum to 1; routing accuracy 75.0%";
  matrix.rows = {"rotate", "rotate+flip", "ünïcode"};
  matrix.columns = {"rotate", "flip/v"};
  matrix.rowNodes = {3, 3, 0};
  matrix.values = {{0.75, 0.25}, {0.125, 0.875}, {1.0 / 3, 2.0 / 3}};
  matrix.producer = 11;
  return matrix;
}

engine::EmbeddingsValue sampleEmbeddings(embed::EmbeddingKind kind, const std::string& source) {
  embed::MapOptions options;
  options.projection = embed::Projection::Tsne;
  options.seed = 1234;
  options.alpha = 0.3;
  std::vector<std::vector<float>> vectors = {
      {1.0f, 0.5f, 0.1f, 0.0f}, {0.9f, 0.6f, 0.0f, 0.1f}, {0.0f, 0.2f, 1.0f, 0.7f}, {0.1f, 0.1f, 0.8f, 0.9f}};
  std::vector<float> trivial;
  if (kind == embed::EmbeddingKind::Fisher) {
    for (auto& v : vectors)
      for (auto& x : v)
        x += 0.05f; // Fisher values are positive
    trivial = {0.2f, 0.2f, 0.2f, 0.2f};
  }
  auto map =
      embed::makeEmbeddingMap(kind, {"rotate", "flip", "invert", "rotate+invert"}, vectors, options, trivial);
  map.skills = {{"rotate"}, {"flip"}, {}, {"rotate", "invert"}};
  engine::EmbeddingsValue value;
  value.map = std::make_shared<const embed::EmbeddingMap>(std::move(map));
  value.nodes = {5, 6, 0, 2};
  value.source = source;
  value.producer = 12;
  return value;
}

engine::ScatterValue sampleScatter(const std::string& title) {
  engine::ScatterValue scatter;
  scatter.kind = "merge_gain";
  scatter.title = title;
  scatter.note = "right and down: similar specialists merge well";
  scatter.xLabel = "cosine similarity";
  scatter.yLabel = "accuracy lost by merging";
  scatter.points = {
      {"rotate + flip", 0.25, -0.125, {5, 6}}, {"alone", -1, 2.5, {}}, {"all", 0, 0, {5, 6, 7}}};
  scatter.producer = 12;
  return scatter;
}

results::RunResults sampleRun() {
  results::RunResults run;
  run.scores = sampleScores();
  run.matrices = {sampleMatrix("Routing of Router (nearest, top-1)"), sampleMatrix("Feature interference")};
  run.matrices[1].kind = "interference";
  run.matrices[1].producer = 13;
  run.embeddings = {sampleEmbeddings(embed::EmbeddingKind::Parameter, "Embedding map"),
                    sampleEmbeddings(embed::EmbeddingKind::Fisher, "Embedding map")};
  run.scatters = {sampleScatter("Merge gain")};
  return run;
}

// Opens a written file for damaging it.
template <typename F> void editFile(const std::string& path, F edit) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  QVERIFY(file >= 0);
  edit(file);
  H5Fclose(file);
}

void compareMatrix(const engine::MatrixValue& a, const engine::MatrixValue& b) {
  QCOMPARE(a.kind, b.kind);
  QCOMPARE(a.title, b.title);
  QCOMPARE(a.note, b.note);
  QCOMPARE(a.rows, b.rows);
  QCOMPARE(a.columns, b.columns);
  QCOMPARE(a.rowNodes, b.rowNodes);
  QCOMPARE(a.values, b.values); // bit for bit: doubles are stored as float64
  QCOMPARE(a.producer, b.producer);
}

void compareEmbeddings(const engine::EmbeddingsValue& a, const engine::EmbeddingsValue& b) {
  QCOMPARE(a.source, b.source);
  QCOMPARE(a.producer, b.producer);
  QCOMPARE(a.nodes, b.nodes);
  const auto &x = *a.map, &y = *b.map;
  QVERIFY(x.kind == y.kind);
  QVERIFY(x.projection == y.projection);
  QCOMPARE(x.seed, y.seed);
  QCOMPARE(x.alpha, y.alpha);
  QCOMPARE(x.names, y.names);
  QCOMPARE(x.skills, y.skills);
  QCOMPARE(x.vectors, y.vectors);
  QCOMPARE(x.trivial, y.trivial);
  // What the view draws is rebuilt identically.
  QCOMPARE(x.metric, y.metric);
  QCOMPARE(x.similarity, y.similarity);
  QCOMPARE(x.distance, y.distance);
  QCOMPARE(x.asymmetric, y.asymmetric);
  QCOMPARE(x.nearest, y.nearest);
  QCOMPARE(x.clusters, y.clusters);
  QCOMPARE(x.clusterCount, y.clusterCount);
  QCOMPARE(x.coordinates.size(), y.coordinates.size());
  for (const auto& [projection, points] : x.coordinates) {
    const auto& other = y.coordinates.at(projection);
    QCOMPARE(points.size(), other.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
      QCOMPARE(points[i].x, other[i].x);
      QCOMPARE(points[i].y, other[i].y);
    }
  }
}

void compareScatter(const engine::ScatterValue& a, const engine::ScatterValue& b) {
  QCOMPARE(a.kind, b.kind);
  QCOMPARE(a.title, b.title);
  QCOMPARE(a.note, b.note);
  QCOMPARE(a.xLabel, b.xLabel);
  QCOMPARE(a.yLabel, b.yLabel);
  QCOMPARE(a.producer, b.producer);
  QCOMPARE(a.points.size(), b.points.size());
  for (std::size_t i = 0; i < a.points.size(); ++i) {
    QCOMPARE(a.points[i].label, b.points[i].label);
    QCOMPARE(a.points[i].x, b.points[i].x);
    QCOMPARE(a.points[i].y, b.points[i].y);
    QCOMPARE(a.points[i].nodes, b.points[i].nodes);
  }
}

} // namespace

class ResultsFileTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void everyFieldReadsBack() {
    test::TempDir dir;
    const auto path = results::resultsFileFor(dir.file("demo.mgproj"));
    auto written = sampleRun();
    written.scores.push_back(languageModelScores());
    results::writeResultsFile(path, written);
    QCOMPARE(test::listFolder(dir.path()), std::vector<std::string>{"demo.scores.h5"}); // no temporary left
    const auto read = results::readResultsFile(path);
    compareScores(read.scores, written.scores);
    QCOMPARE(read.matrices.size(), written.matrices.size());
    for (std::size_t i = 0; i < read.matrices.size(); ++i)
      compareMatrix(read.matrices[i], written.matrices[i]);
    QCOMPARE(read.embeddings.size(), written.embeddings.size());
    for (std::size_t i = 0; i < read.embeddings.size(); ++i)
      compareEmbeddings(read.embeddings[i], written.embeddings[i]);
    QCOMPARE(read.scatters.size(), written.scatters.size());
    for (std::size_t i = 0; i < read.scatters.size(); ++i)
      compareScatter(read.scatters[i], written.scatters[i]);
    // The scores-only reader (the command line's) reads the same file.
    compareScores(results::readResultsFile(path).scores, written.scores);

    results::writeResultsFile(path, {}); // nothing to show is a valid file
    QVERIFY(results::readResultsFile(path).empty());
  }

  // A file as version 1 wrote it: scores without routing decisions, no other groups.
  void aFirstVersionFileLoads() {
    test::TempDir dir;
    const auto path = dir.file("old.scores.h5");
    auto scores = sampleScores();
    for (auto& model : scores)
      for (auto& score : model.scores) {
        score.routedTo.clear();
        score.routedCounts.clear();
        score.routingAccuracy.reset();
      }
    results::RunResults run;
    run.scores = scores;
    results::writeResultsFile(path, run);
    editFile(path, [](hid_t file) {
      for (const char* group : {"matrices", "embeddings", "scatters"})
        QVERIFY(H5Ldelete(file, group, H5P_DEFAULT) >= 0);
      const std::int64_t one = 1;
      const hid_t version = H5Aopen(file, "version", H5P_DEFAULT);
      QVERIFY(H5Awrite(version, H5T_NATIVE_INT64, &one) >= 0);
      H5Aclose(version);
    });
    const auto read = results::readResultsFile(path);
    compareScores(read.scores, scores);
    QVERIFY(read.matrices.empty() && read.embeddings.empty() && read.scatters.empty());
  }

  // A file as version 2 wrote it: no node behind a matrix, map or scatter. It reads with producer 0, and a
  // fresh result replaces such an entry by its title as before.
  void aSecondVersionFileLoads() {
    test::TempDir dir;
    const auto path = dir.file("old.scores.h5");
    const auto written = sampleRun();
    results::writeResultsFile(path, written);
    editFile(path, [](hid_t file) {
      for (const char* group : {"matrices/0", "matrices/1", "embeddings/0", "embeddings/1", "scatters/0"})
        QVERIFY(H5Adelete_by_name(file, group, "node", H5P_DEFAULT) >= 0);
      const std::int64_t two = 2;
      const hid_t version = H5Aopen(file, "version", H5P_DEFAULT);
      QVERIFY(H5Awrite(version, H5T_NATIVE_INT64, &two) >= 0);
      H5Aclose(version);
    });
    const auto read = results::readResultsFile(path);
    compareScores(read.scores, written.scores);
    QCOMPARE(read.matrices.size(), std::size_t(2));
    QCOMPARE(read.matrices[1].title, std::string("Feature interference"));
    QCOMPARE(read.matrices[1].values, written.matrices[1].values);
    QCOMPARE(read.embeddings.size(), std::size_t(2));
    QCOMPARE(read.scatters.size(), std::size_t(1));
    for (const auto& matrix : read.matrices)
      QCOMPARE(matrix.producer, graph::NodeId(0));
    for (const auto& map : read.embeddings)
      QCOMPARE(map.producer, graph::NodeId(0));
    QCOMPARE(read.scatters[0].producer, graph::NodeId(0));

    results::RunResults fresh;
    fresh.matrices = {sampleMatrix("Feature interference")};
    fresh.matrices[0].kind = "interference";
    fresh.matrices[0].producer = 21;
    const auto merged = results::mergeRuns(read, fresh);
    QCOMPARE(merged.matrices.size(), std::size_t(2));
    QCOMPARE(merged.matrices[1].producer, graph::NodeId(21));
  }

  void aBadFileIsAOneLineErrorNamingIt() {
    test::TempDir dir;
    const auto text = dir.file("text.scores.h5");
    test::writeBytes(text, "accuracy 0.5\n");
    QCOMPARE(QString::fromStdString(errorOf([&] { results::readResultsFile(text); })),
             QString::fromStdString(text + ": not an HDF5 file"));

    const auto check = [&](const std::string& name, auto damage, const std::string& expected) {
      const auto path = dir.file(name);
      results::writeResultsFile(path, sampleRun());
      editFile(path, damage);
      const auto what = errorOf([&] { results::readResultsFile(path); });
      QVERIFY2(what == path + ": " + expected, what.c_str());
    };
    check(
        "vectors.scores.h5",
        [](hid_t file) { QVERIFY(H5Ldelete(file, "embeddings/1/vectors", H5P_DEFAULT) >= 0); },
        "embedding map 1 has no dataset 'vectors'");
    check(
        "title.scores.h5",
        [](hid_t file) { QVERIFY(H5Adelete_by_name(file, "matrices/0", "title", H5P_DEFAULT) >= 0); },
        "matrix 0 has no attribute 'title'");
    check(
        "routing.scores.h5",
        [](hid_t file) { QVERIFY(H5Ldelete(file, "0/rotate/routed_counts", H5P_DEFAULT) >= 0); },
        "model 0 task 'rotate' has no dataset 'routed_counts'");
    check(
        "counts.scores.h5",
        [](hid_t file) {
          // The nodes of one point dropped: the counts no longer add up.
          QVERIFY(H5Ldelete(file, "scatters/0/nodes", H5P_DEFAULT) >= 0);
          const hid_t group = H5Gopen2(file, "scatters/0", H5P_DEFAULT);
          const hsize_t dims[1] = {4};
          const hid_t space = H5Screate_simple(1, dims, nullptr);
          const hid_t dataset =
              H5Dcreate2(group, "nodes", H5T_STD_U64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
          const std::uint64_t nodes[4] = {5, 6, 5, 6};
          H5Dwrite(dataset, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, nodes);
          H5Dclose(dataset);
          H5Sclose(space);
          H5Gclose(group);
        },
        "scatter 0 nodes: the counts do not add up to the values listed");
    check(
        "version.scores.h5",
        [](hid_t file) {
          const std::int64_t five = 5;
          const hid_t version = H5Aopen(file, "version", H5P_DEFAULT);
          QVERIFY(H5Awrite(version, H5T_NATIVE_INT64, &five) >= 0);
          H5Aclose(version);
        },
        "results file version 5 is not supported (only 1 to 4)");
  }

  void aFailedWriteLeavesTheOldFile() {
    test::TempDir dir;
    const auto path = dir.file("p.scores.h5");
    results::writeResultsFile(path, sampleRun());
    auto bad = sampleRun();
    bad.matrices[1].values[0].pop_back(); // a ragged matrix is refused while writing
    const auto what = errorOf([&] { results::writeResultsFile(path, bad); });
    QVERIFY2(what.rfind(path + ": matrix 1", 0) == 0, what.c_str());
    QCOMPARE(results::readResultsFile(path).matrices.size(), std::size_t(2));
    QCOMPARE(test::listFolder(dir.path()), std::vector<std::string>{"p.scores.h5"});
  }

  void freshResultsReplaceTheirNodesOwn() {
    auto saved = sampleRun();
    saved.embeddings.push_back(sampleEmbeddings(embed::EmbeddingKind::Data, "Other map"));
    saved.embeddings.back().producer = 15;
    results::RunResults fresh;
    auto again = saved.scores[1];
    again.model = "TIES (again)";
    fresh.scores = {again};
    fresh.matrices = {sampleMatrix("Routing of Router (nearest, top-1)")};
    fresh.matrices[0].note = "again";
    fresh.embeddings = {sampleEmbeddings(embed::EmbeddingKind::Data, "Embedding map")};
    fresh.scatters = {sampleScatter("Merge gain 2")};
    fresh.scatters[0].producer = 16;
    const auto merged = results::mergeRuns(saved, fresh);
    QCOMPARE(merged.scores.size(), std::size_t(2));
    QCOMPARE(merged.scores[1].model, std::string("TIES (again)"));
    QCOMPARE(merged.matrices.size(), std::size_t(2));
    QCOMPARE(merged.matrices[0].title, std::string("Feature interference")); // kept, first
    QCOMPARE(merged.matrices[1].note, std::string("again"));
    // Both saved maps of the node are replaced by what it computes now (one kind); another node's stay.
    QCOMPARE(merged.embeddings.size(), std::size_t(2));
    QCOMPARE(merged.embeddings[0].source, std::string("Other map"));
    QVERIFY(merged.embeddings[1].map->kind == embed::EmbeddingKind::Data);
    QCOMPARE(merged.scatters.size(), std::size_t(2)); // another node's: both kept
  }

  // A node renamed between runs: its fresh heatmap, map and plot replace the ones it made under its old
  // title (one entry each, not a stale one beside it); another node with the new title keeps its own.
  void aRenamedNodesResultsReplaceItsOldOnes() {
    auto saved = sampleRun(); // routing matrix of node 11, interference of 13; maps and scatter of 12
    auto otherScatter = sampleScatter("Merge gain of Specialists");
    otherScatter.producer = 14;
    saved.scatters.push_back(otherScatter);
    results::RunResults fresh;
    fresh.matrices = {sampleMatrix("Routing of Router 2")};
    fresh.embeddings = {sampleEmbeddings(embed::EmbeddingKind::Data, "Specialists")};
    fresh.scatters = {sampleScatter("Merge gain of Specialists")};
    const auto merged = results::mergeRuns(saved, fresh);
    QCOMPARE(merged.matrices.size(), std::size_t(2));
    QCOMPARE(merged.matrices[0].title, std::string("Feature interference"));
    QCOMPARE(merged.matrices[1].title, std::string("Routing of Router 2"));
    QCOMPARE(merged.embeddings.size(), std::size_t(1)); // both kinds the node made under its old title
    QCOMPARE(merged.embeddings[0].source, std::string("Specialists"));
    QCOMPARE(merged.scatters.size(), std::size_t(2)); // the same title from another node stays
    QCOMPARE(merged.scatters[0].producer, graph::NodeId(14));
    QCOMPARE(merged.scatters[1].producer, graph::NodeId(12));
  }

  void aRunGivesItsFinishedNodesResults() {
    graph::Document doc;
    namespace nt = graph::node_types;
    const auto map = doc.addNode(nt::kEmbeddingMap);
    doc.setTitle(map, "Specialists");
    const auto router = doc.addNode(nt::kRouter);
    const auto failed = doc.addNode(nt::kRouter);
    engine::RunSummary summary;
    summary.order = {map, router, failed};
    auto& mapStatus = summary.nodes[map];
    mapStatus.state = engine::NodeState::Cached;
    mapStatus.embeddings = {sampleEmbeddings(embed::EmbeddingKind::Parameter, ""),
                            sampleEmbeddings(embed::EmbeddingKind::Data, "")};
    mapStatus.scatters = {sampleScatter("Merge gain")};
    auto& routerStatus = summary.nodes[router];
    routerStatus.state = engine::NodeState::Done;
    routerStatus.matrices = {sampleMatrix("Routing of Router")};
    auto scores = std::make_shared<const std::vector<eval::TaskScore>>(sampleScores()[0].scores);
    routerStatus.results = {engine::ScoresValue{scores, "Router", router, {}, 0}};
    summary.nodes[failed].state = engine::NodeState::Failed;
    summary.nodes[failed].matrices = {sampleMatrix("Routing of the failed one")};
    const auto run = results::collectRun(doc, summary);
    QCOMPARE(run.scores.size(), std::size_t(1));
    QCOMPARE(run.scores[0].evaluateNode, std::uint64_t(router));
    QCOMPARE(run.matrices.size(), std::size_t(1));
    QCOMPARE(run.matrices[0].title, std::string("Routing of Router"));
    QCOMPARE(run.matrices[0].producer, router);
    QCOMPARE(run.embeddings.size(), std::size_t(2));
    QCOMPARE(run.embeddings[0].source, std::string("Specialists"));
    QCOMPARE(run.embeddings[1].source, std::string("Specialists"));
    QCOMPARE(run.embeddings[1].producer, map);
    QCOMPARE(run.scatters.size(), std::size_t(1));
    QCOMPARE(run.scatters[0].producer, map);
  }
};

MG_TEST_APPLESS_MAIN(ResultsFileTest)
#include "test_results_file.moc"
