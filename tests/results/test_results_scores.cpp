// Saved evaluation results: the results file reloads exactly what was written (labels, nodes, sweep points,
// tasks in order with their confusion matrices), is never half-written, a damaged or foreign file is a
// one-line "path: problem", re-running an Evaluate node replaces only its own entries, and a run's results
// are gathered from Evaluate and Sweep nodes (not from Compare, which repeats them).
#include "support/test_registry.h"
#include <QtTest>

#include <hdf5.h>

#include <filesystem>

#include "results/collect_run.h"
#include "results/results_file.h"
#include "graph/builtin_node_types.h"
#include "io/io_error.h"
#include "io/task_file.h"
#include "results/results_compare.h"
#include "support/temp_dir.h"

using namespace mg;
using mg::test::compareScores;
using mg::test::errorOf;
namespace nt = graph::node_types;

namespace {

// A results file holding scores and nothing else.
results::RunResults scoresOnly(std::vector<eval::ModelScores> scores) {
  results::RunResults run;
  run.scores = std::move(scores);
  return run;
}

eval::TaskScore taskScore(const std::string& name, double accuracy,
                          std::vector<std::vector<std::int64_t>> confusion) {
  eval::TaskScore s;
  s.task = name;
  s.accuracy = accuracy;
  s.loss = 1.0 - accuracy / 2;
  s.confusion = std::move(confusion);
  for (const auto& row : s.confusion)
    for (const auto v : row)
      s.examples += v;
  return s;
}

std::vector<eval::ModelScores> sample() {
  eval::ModelScores ties;
  ties.model = "TIES";
  ties.modelNode = 4;
  ties.evaluateNode = 7;
  // Tasks keep their order (not alphabetical); names with '/' or '.' survive.
  ties.scores = {taskScore("rotate90", 0.75, {{3, 1}, {1, 3}}),
                 taskScore("flip/vertical", 0.5, {{1, 1}, {1, 1}}),
                 taskScore(".", 1.0, {{2, 0, 0}, {0, 1, 0}, {0, 0, 1}})};
  eval::ModelScores point;
  point.model = "Task arithmetic";
  point.modelNode = 5;
  point.evaluateNode = 9;
  point.parameter = "lambda";
  point.parameterValue = 0.25;
  point.scores = {taskScore("rotate90", 0.625, {{4, 0}, {3, 1}})};
  return {ties, point};
}

} // namespace

class ResultsScoresTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aWrittenFileReadsBackExactly() {
    test::TempDir dir;
    QCOMPARE(results::resultsFileFor(dir.file("demo.mgproj")), dir.file("demo.scores.h5"));
    const auto path = results::resultsFileFor(dir.file("demo.mgproj"));
    const auto written = sample();
    results::writeResultsFile(path, scoresOnly(written));
    QCOMPARE(test::listFolder(dir.path()), std::vector<std::string>{"demo.scores.h5"}); // no temporary left
    const auto read = results::readResultsFile(path).scores;
    compareScores(read, written);
    results::writeResultsFile(path, scoresOnly({})); // an empty result set is a valid file
    QVERIFY(results::readResultsFile(path).scores.empty());
  }

  void aBadFileIsAOneLineErrorNamingIt() {
    test::TempDir dir;
    const auto missing = dir.file("missing.scores.h5");
    QCOMPARE(QString::fromStdString(errorOf([&] { results::readResultsFile(missing).scores; })),
             QString::fromStdString(missing + ": no such file"));
    const auto text = dir.file("text.scores.h5");
    test::writeBytes(text, "accuracy 0.5\n");
    QCOMPARE(QString::fromStdString(errorOf([&] { results::readResultsFile(text).scores; })),
             QString::fromStdString(text + ": not an HDF5 file"));
    // Another Merganser HDF5 file (a task file) is not a results file.
    io::TaskData task;
    task.name = "t";
    task.labelNames = {"a"};
    task.inputShape = {1, 1};
    task.inputs = {0};
    task.labels = {0};
    io::writeTaskFile(dir.file("task.h5"), task);
    auto what = errorOf([&] { results::readResultsFile(dir.file("task.h5")).scores; });
    QVERIFY2(what.rfind(dir.file("task.h5") + ": not a Merganser results file", 0) == 0, what.c_str());

    // A results file that lost an attribute names where.
    const auto damaged = dir.file("damaged.scores.h5");
    results::writeResultsFile(damaged, scoresOnly(sample()));
    {
      const hid_t file = H5Fopen(damaged.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
      QVERIFY(file >= 0);
      QVERIFY(H5Adelete_by_name(file, "0/rotate90", "accuracy", H5P_DEFAULT) >= 0);
      H5Fclose(file);
    }
    what = errorOf([&] { results::readResultsFile(damaged).scores; });
    QVERIFY2(what.rfind(damaged + ": model 0 task 'rotate90' has no attribute 'accuracy'", 0) == 0,
             what.c_str());
    QVERIFY(what.find('\n') == std::string::npos);
  }

  void aFailedWriteLeavesTheOldFile() {
    test::TempDir dir;
    const auto path = dir.file("p.scores.h5");
    results::writeResultsFile(path, scoresOnly(sample()));
    auto bad = sample();
    bad[1].scores[0].confusion = {{1, 2}, {3}}; // not square: refused while writing
    QVERIFY_THROWS_EXCEPTION(io::IoError, results::writeResultsFile(path, scoresOnly(bad)));
    QCOMPARE(results::readResultsFile(path).scores.size(), std::size_t(2));
    QCOMPARE(test::listFolder(dir.path()), std::vector<std::string>{"p.scores.h5"});
  }

  void freshScoresReplaceOnlyTheirNodes() {
    auto saved = sample(); // nodes 7 and 9
    eval::ModelScores again;
    again.model = "TIES (re-run)";
    again.evaluateNode = 7;
    eval::ModelScores added;
    added.model = "DARE";
    added.evaluateNode = 12;
    const auto merged = eval::mergeScores(saved, {again, added});
    QCOMPARE(merged.size(), std::size_t(3));
    QCOMPARE(merged[0].model, std::string("Task arithmetic")); // kept, first
    QCOMPARE(merged[1].model, std::string("TIES (re-run)"));
    QCOMPARE(merged[2].model, std::string("DARE"));
  }

  void runResultsComeFromEvaluateAndSweepNodes() {
    graph::Document doc;
    const auto evaluate = doc.addNode(nt::kEvaluate);
    const auto compare = doc.addNode(nt::kCompare);
    const auto sweep = doc.addNode(nt::kSweep);
    const auto failed = doc.addNode(nt::kEvaluate);
    auto scores = std::make_shared<const std::vector<eval::TaskScore>>(
        std::vector<eval::TaskScore>{taskScore("rotate90", 0.75, {{3, 1}, {1, 3}})});
    engine::RunSummary summary;
    summary.order = {evaluate, compare, sweep, failed};
    engine::ScoresValue value{scores, "TIES", 3};
    summary.nodes[evaluate].state = engine::NodeState::Done;
    summary.nodes[evaluate].results = {value};
    summary.nodes[compare].state = engine::NodeState::Done;
    summary.nodes[compare].results = {value};
    summary.nodes[sweep].state = engine::NodeState::Cached;
    for (const double lambda : {0.0, 0.5}) {
      engine::ScoresValue point{scores, "Task arithmetic", 5, "lambda", lambda};
      summary.nodes[sweep].results.push_back(point);
    }
    summary.nodes[failed].state = engine::NodeState::Failed;
    summary.nodes[failed].results = {value};
    const auto results = results::collectResults(doc, summary);
    QCOMPARE(results.size(), std::size_t(3));
    QCOMPARE(results[0].model, std::string("TIES"));
    QCOMPARE(results[0].modelNode, std::uint64_t(3));
    QCOMPARE(results[0].evaluateNode, std::uint64_t(evaluate));
    QCOMPARE(results[0].scores.at(0).accuracy, 0.75);
    QCOMPARE(results[2].evaluateNode, std::uint64_t(sweep));
    QCOMPARE(results[2].parameter, std::string("lambda"));
    QCOMPARE(results[2].parameterValue, 0.5);
  }
};

MG_TEST_APPLESS_MAIN(ResultsScoresTest)
#include "test_results_scores.moc"
