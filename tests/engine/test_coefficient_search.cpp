// The coefficient searches behind the Search node: CMA-ES finds a known optimum and is deterministic for a
// seed (which is what lets a journal resume a search), the box keeps candidates in range, a greedy soup is
// never worse than its best ingredient and leaves out one that hurts, the journal survives a restart, and
// AdaMerging lowers the entropy of the merged model's predictions.
#include "support/test_registry.h"
#include <QProcess>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "eval/classifier.h"
#include "search/adamerging.h"
#include "search/cma_es.h"
#include "search/coefficient_search.h"
#include "search/search_journal.h"
#include "io/safetensors_writer.h"
#include "support/reference_python.h"
#include <nlohmann/json.hpp>
#include "support/sweep_fixture.h"
#include "io/tensor_source.h"
#include "weights/source_weights.h"

using namespace mg;

namespace {

// An ill-conditioned ellipsoid centred on `centre` (condition number 100).
double ellipsoid(const std::vector<double>& x, const std::vector<double>& centre) {
  double sum = 0;
  const double n = double(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    sum += std::pow(100.0, double(i) / (n - 1)) * (x[i] - centre[i]) * (x[i] - centre[i]);
  return sum;
}

} // namespace

class CoefficientSearchTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void cmaEsFindsTheMinimumOfAnEllipsoid() {
    const std::vector<double> centre = {0.3, -1.2, 2.0, 0.7};
    search::CmaEs strategy({0, 0, 0, 0}, 0.5, 11);
    for (int generation = 0; generation < 250; ++generation) {
      std::vector<double> values;
      for (const auto& x : strategy.ask())
        values.push_back(ellipsoid(x, centre));
      strategy.tell(values);
    }
    for (std::size_t i = 0; i < centre.size(); ++i)
      QVERIFY2(std::fabs(strategy.mean()[i] - centre[i]) < 1e-4,
               qPrintable(QString("coordinate %1: %2").arg(i).arg(strategy.mean()[i])));
  }

  void cmaEsIsDeterministicForASeed() {
    search::CmaEs a({0.5, 0.5}, 0.3, 7), b({0.5, 0.5}, 0.3, 7), c({0.5, 0.5}, 0.3, 8);
    for (int generation = 0; generation < 3; ++generation) {
      const auto askedA = a.ask(), askedB = b.ask();
      QCOMPARE(askedA, askedB);
      std::vector<double> values;
      for (const auto& x : askedA)
        values.push_back(ellipsoid(x, {0.1, 0.9}));
      a.tell(values);
      b.tell(values);
    }
    QVERIFY(c.ask() != search::CmaEs({0.5, 0.5}, 0.3, 7).ask());
  }

  void theSearchStaysInItsBoxAndSpendsItsBudget() {
    search::SearchBox box{{0.5, 0.5}, {0, 0}, {1, 1}};
    int calls = 0;
    // The unconstrained optimum (1.6, 0.25) lies outside the box: the best inside is (1, 0.25).
    const auto candidates = search::cmaesSearch(box, 80, 3, [&](const std::vector<double>& x) {
      ++calls;
      for (const double v : x)
        if (v < 0 || v > 1) throw std::logic_error("a candidate left the box");
      return -((x[0] - 1.6) * (x[0] - 1.6) + (x[1] - 0.25) * (x[1] - 0.25));
    });
    QCOMPARE(calls, 80);
    QCOMPARE(int(candidates.size()), 80);
    const auto& best = search::bestCandidate(candidates);
    QVERIFY2(best.point[0] > 0.97 && std::fabs(best.point[1] - 0.25) < 0.05,
             qPrintable(QString("%1 %2").arg(best.point[0]).arg(best.point[1])));
  }

  void aGreedySoupIsNeverWorseThanItsBestIngredientAndLeavesOutOneThatHurts() {
    // Ingredients 1..4 with solo scores; ingredient 4 is fair alone but spoils any soup it joins.
    const std::vector<double> solo = {0.60, 0.70, 0.75, 0.65};
    const auto score = [&](const std::vector<double>& w) {
      double sum = 0, count = 0;
      for (std::size_t i = 0; i < w.size(); ++i) {
        sum += w[i] * solo[i];
        count += w[i];
      }
      const double mean = sum / count;
      const bool spoiled = w[3] > 0 && count > 1;
      return spoiled ? mean - 0.3 : mean + 0.05 * (count - 1); // soups of good ingredients gain
    };
    const auto candidates = search::greedySoup(4, score);
    QCOMPARE(int(candidates.size()), 2 * 4 - 1);
    const auto& best = search::bestCandidate(candidates);
    double bestIngredient = 0;
    for (int i = 0; i < 4; ++i)
      bestIngredient = std::max(bestIngredient, candidates[std::size_t(i)].score);
    QVERIFY(best.score >= bestIngredient);
    QCOMPARE(best.point, (std::vector<double>{1, 1, 1, 0})); // the spoiler is left out
  }

  void theJournalKeepsScoresAcrossARestartAndRefusesAForeignFile() {
    test::TempDir dir;
    const std::string path = dir.file("search.journal");
    const auto key = search::SearchJournal::key({{"weights", {1, 0.25}}, {"density", {}}});
    {
      search::SearchJournal journal(path);
      QVERIFY(!journal.find(key));
      journal.record(key, 0.8125);
    }
    search::SearchJournal reopened(path);
    QCOMPARE(reopened.size(), std::size_t(1));
    QCOMPARE(*reopened.find(key), 0.8125);

    std::ofstream(dir.file("foreign.journal")) << "weights 1 0\t0.5\nnot a journal line\n";
    try {
      search::SearchJournal foreign(dir.file("foreign.journal"));
      QFAIL("a foreign file was read as a journal");
    } catch (const std::runtime_error& e) {
      QVERIFY2(std::string(e.what()).find("foreign.journal:2:") != std::string::npos, e.what());
    }
  }

  void adaMergingLowersTheEntropyOfThePredictionsAndKeepsCoefficientsInRange() {
    test::TempDir dir;
    const auto baseMlp = test::SmallMlp::random(1);
    baseMlp.write(dir.file("base.safetensors"));
    test::SmallMlp::random(2, &baseMlp, 0.8f).write(dir.file("a.safetensors"));
    test::SmallMlp::random(3, &baseMlp, 0.8f).write(dir.file("b.safetensors"));
    const auto open = [&](const char* name) {
      return engine::WeightSetPtr(std::make_shared<engine::SourceWeights>(
          std::shared_ptr<const io::TensorSource>(io::openTensorSource(dir.file(name)))));
    };
    std::vector<search::UnlabelledTask> tasks(1);
    tasks[0].name = "alpha";
    tasks[0].shape = {64, test::SmallMlp::kIn};
    std::mt19937 rng(5);
    std::normal_distribution<float> normal;
    for (int i = 0; i < 64 * test::SmallMlp::kIn; ++i)
      tasks[0].inputs.push_back(normal(rng));
    const auto factory = [](const engine::WeightSetPtr& weights) {
      return eval::loadClassifier(*weights, nullptr);
    };

    search::AdaMergingOptions options;
    options.steps = 60;
    options.learningRate = 0.05;
    options.batchSize = 64;
    const auto layerWise = search::adaMerge(
        open("base.safetensors"), {open("a.safetensors"), open("b.safetensors")}, tasks, factory, options);
    QCOMPARE(int(layerWise.entropy.size()), 60);
    QVERIFY2(layerWise.entropy.back() < 0.9 * layerWise.entropy.front(),
             qPrintable(QString("%1 -> %2").arg(layerWise.entropy.front()).arg(layerWise.entropy.back())));
    QCOMPARE(layerWise.tensors.size(), std::size_t(4)); // every tensor of the MLP moves
    QCOMPARE(layerWise.coefficients.size(), std::size_t(2));
    for (const auto& row : layerWise.coefficients)
      for (const double v : row)
        QVERIFY(v >= 0 && v <= 1);

    options.granularity = search::Granularity::Task;
    const auto taskWise = search::adaMerge(
        open("base.safetensors"), {open("a.safetensors"), open("b.safetensors")}, tasks, factory, options);
    QVERIFY(taskWise.tensors.empty());
    QCOMPARE(taskWise.coefficients[0].size(), std::size_t(1));
    QVERIFY(taskWise.entropy.back() < taskWise.entropy.front());
  }

  // The coefficients after 25 full-batch steps equal an independent torch implementation of the paper's
  // update (tests/reference/adamerging_reference.py, torch.optim.Adam), task-wise and layer-wise.
  void adaMergingMatchesAnIndependentReference() {
    const std::string python = MG_REFERENCE_PYTHON;
    if (python.empty()) QSKIP("no /usr/bin/python3 for the reference");
    test::TempDir dir;
    const auto baseMlp = test::SmallMlp::random(1);
    baseMlp.write(dir.file("base.safetensors"));
    test::SmallMlp::random(2, &baseMlp, 0.8f).write(dir.file("a.safetensors"));
    test::SmallMlp::random(3, &baseMlp, 0.8f).write(dir.file("b.safetensors"));
    std::vector<search::UnlabelledTask> tasks(2);
    std::vector<io::TensorData> written;
    std::mt19937 rng(9);
    std::normal_distribution<float> normal;
    for (std::size_t t = 0; t < tasks.size(); ++t) {
      tasks[t].name = t == 0 ? "alpha" : "beta";
      tasks[t].shape = {24, test::SmallMlp::kIn};
      for (int i = 0; i < 24 * test::SmallMlp::kIn; ++i)
        tasks[t].inputs.push_back(normal(rng) * (t == 0 ? 1.0f : 2.0f));
      written.push_back(io::TensorData::fromFloat32(tasks[t].name, tasks[t].shape, tasks[t].inputs));
    }
    io::writeSafetensors(dir.file("inputs.safetensors"), written);
    const auto open = [&](const char* name) {
      return engine::WeightSetPtr(std::make_shared<engine::SourceWeights>(
          std::shared_ptr<const io::TensorSource>(io::openTensorSource(dir.file(name)))));
    };
    const auto factory = [](const engine::WeightSetPtr& weights) {
      return eval::loadClassifier(*weights, nullptr);
    };
    for (const auto granularity : {search::Granularity::Task, search::Granularity::Layer}) {
      const char* name = granularity == search::Granularity::Task ? "task" : "layer";
      search::AdaMergingOptions options;
      options.granularity = granularity;
      options.steps = 25;
      options.learningRate = 0.02;
      options.batchSize = 1000; // all of each task: the reference takes full batches
      const auto ours = search::adaMerge(
          open("base.safetensors"), {open("a.safetensors"), open("b.safetensors")}, tasks, factory, options);
      QProcess process;
      process.start(QString::fromStdString(python),
                    {QString(MG_REFERENCE_DIR) + "/adamerging_reference.py",
                     QString::fromStdString(dir.file("base.safetensors")),
                     QString::fromStdString(dir.file("a.safetensors") + "," + dir.file("b.safetensors")),
                     QString::fromStdString(dir.file("inputs.safetensors")), "25", "0.02", name,
                     QString::fromStdString(dir.file("out.json"))});
      QVERIFY(process.waitForFinished(120000));
      QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
      std::ifstream in(dir.file("out.json"));
      const auto theirs = nlohmann::json::parse(in);
      QCOMPARE(ours.tensors, theirs["tensors"].get<std::vector<std::string>>());
      const auto coefficients = theirs["coefficients"].get<std::vector<std::vector<double>>>();
      QCOMPARE(ours.coefficients.size(), coefficients.size());
      for (std::size_t i = 0; i < coefficients.size(); ++i)
        for (std::size_t g = 0; g < coefficients[i].size(); ++g)
          QVERIFY2(std::fabs(ours.coefficients[i][g] - coefficients[i][g]) < 1e-4,
                   qPrintable(QString("%1: model %2 group %3: %4 vs %5")
                                  .arg(name)
                                  .arg(i)
                                  .arg(g)
                                  .arg(ours.coefficients[i][g])
                                  .arg(coefficients[i][g])));
      // The coefficients moved: the comparison is not of two starting points.
      QVERIFY(std::fabs(ours.coefficients[0][0] - 0.3) > 0.05);
    }
  }
};

MG_TEST_APPLESS_MAIN(CoefficientSearchTest)
#include "test_coefficient_search.moc"
