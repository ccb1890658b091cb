// `merganser-cli search` on a project whose Evaluate node is fed by a merge of two specialists: each
// candidate is printed as it is scored, the winner's validation and test scores are reported, a greedy soup
// is never worse on validation than its best ingredient, a search stopped short and run again with a larger
// budget resumes from its journal, --save adds the winner as an ordinary merge node, and a Search that
// cannot work fails with the reason.
#include "support/test_registry.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "graph/builtin_node_types.h"
#include "graph/project_file.h"
#include "support/cli_runner.h"
#include "support/sweep_fixture.h"

using namespace mg;

namespace {

struct SearchProject : test::SweepProject {
  graph::NodeId search = 0;
  std::string project;

  explicit SearchProject(const std::string& algorithm, std::int64_t budget = 8) {
    search = doc.addNode(graph::node_types::kSearch);
    must(doc.connect({evaluate, 0}, {search, 0}));
    must(doc.setParam(search, "algorithm", algorithm));
    must(doc.setParam(search, "budget", budget));
    must(doc.setParam(search, "validation_examples", std::int64_t(60)));
    project = dir.file("search.mgproj");
    graph::saveProject(doc, project);
  }
};

QJsonObject jsonOf(const test::CliResult& r) {
  return QJsonDocument::fromJson(r.out.toUtf8()).object();
}

} // namespace

class SearchCliTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aGreedySoupPrintsItsCandidatesAndBeatsItsBestIngredientOnValidation() {
    SearchProject p("greedy_soup");
    auto r = test::runCli({"search", QString::fromStdString(p.project)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    for (const char* line :
         {"candidate 1: ", "candidate 2: ", "candidate 3: ", "3 candidates evaluated (0 from the journal)",
          "validation: each task's first 60 examples, test: the rest"})
      QVERIFY2(r.out.contains(QLatin1String(line)), qPrintable(r.out));

    // The ingredients alone, scored the same way as a CMA-ES start point would be: weights (1, 0), (0, 1).
    r = test::runCli({"search", QString::fromStdString(p.project), "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    const auto winner = jsonOf(r).value("winner").toObject();
    const double validation = winner.value("validation").toDouble();
    QVERIFY(winner.value("test").toDouble() > 0);
    const auto facts = jsonOf(r).value("facts").toArray();
    QVERIFY2(facts.at(1).toString().contains("(3 from the journal)"), qPrintable(r.out));
    // Every candidate's validation score is in the journal: the winner's is the largest.
    QFile journal(QString::fromStdString(p.project + ".search-" + std::to_string(p.search) + ".journal"));
    QVERIFY(journal.open(QIODevice::ReadOnly));
    const auto lines = QString::fromUtf8(journal.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    for (const auto& line : lines)
      QVERIFY2(line.section('\t', 1).toDouble() <= validation, qPrintable(line));
  }

  void aStoppedSearchResumesFromItsJournalWithALargerBudget() {
    SearchProject p("cmaes", 5);
    auto r = test::runCli({"search", QString::fromStdString(p.project), "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    r = test::runCli({"search", QString::fromStdString(p.project), "--budget", "9", "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    const auto resumed = jsonOf(r);
    QVERIFY2(resumed.value("facts").toArray().at(1).toString().contains(
                 "9 candidates evaluated (5 from the journal)"),
             qPrintable(r.out));
    // A fresh search with the same budget and seed reaches the same winner.
    r = test::runCli({"search", QString::fromStdString(p.project), "--budget", "9", "--journal",
                      QString::fromStdString(p.dir.file("fresh.journal")), "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    QCOMPARE(jsonOf(r).value("winner").toObject().value("weights").toArray(),
             resumed.value("winner").toObject().value("weights").toArray());
    QVERIFY(jsonOf(r).value("facts").toArray().at(1).toString().contains("(0 from the journal)"));
  }

  void saveAddsTheWinnerAsAMergeNodeAndKeepsTheGraph() {
    SearchProject p("cmaes", 4);
    const auto r = test::runCli({"search", QString::fromStdString(p.project), "--save", "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    const auto json = jsonOf(r);
    const auto added = graph::NodeId(json.value("added_node").toInteger());
    const auto saved = graph::loadProject(p.project);
    QCOMPARE(saved.nodes().size(), p.doc.nodes().size() + 1);
    const auto& node = saved.at(added);
    QCOMPARE(node.type, graph::mergeNodeTypeId("task_arithmetic"));
    QCOMPARE(node.title, std::string("Task arithmetic (searched)"));
    const auto weights = json.value("winner").toObject().value("weights").toArray();
    QCOMPARE(node.weights.size(), std::size_t(2));
    for (int i = 0; i < 2; ++i)
      QCOMPARE(node.weights[std::size_t(i)], weights.at(i).toDouble());
    QCOMPARE(saved.edgesInto(added).size(), std::size_t(3)); // base and both specialists
  }

  void adaMergingWritesItsPerTensorCoefficientsAsRules() {
    SearchProject p("adamerging", 20);
    const auto r = test::runCli({"search", QString::fromStdString(p.project), "--save", "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    const auto saved = graph::loadProject(p.project);
    const auto& node = saved.at(graph::NodeId(jsonOf(r).value("added_node").toInteger()));
    const std::string rules = node.params.at("rules").get<std::string>();
    QVERIFY2(rules.find("models 2: weight@^layers\\.0\\.weight$=") != std::string::npos, rules.c_str());
  }

  // With a 'validation' input, candidates are scored on its tasks and the winner on all of the Evaluate
  // node's (120 examples each here), not on what is left after the first validation_examples.
  void aValidationInputScoresTheCandidatesAndTheEvaluateNodesTasksTheWinner() {
    SearchProject p("cmaes", 4);
    graph::Document doc = graph::loadProject(p.project);
    test::SweepProject::must(doc.connect({p.tasks, 0}, {p.search, 1}));
    graph::saveProject(doc, p.project);
    const auto r = test::runCli({"search", QString::fromStdString(p.project), "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    const auto facts = jsonOf(r).value("facts").toArray();
    QVERIFY2(
        facts.at(0).toString().contains(
            "validation: at most 60 examples of each task on 'validation', test: the Evaluate node's tasks"),
        qPrintable(r.out));
  }

  void aSearchThatCannotWorkFailsWithTheReason() {
    SearchProject p("adamerging");
    graph::Document doc = graph::loadProject(p.project);
    // AdaMerging learns task arithmetic's coefficients: a TIES node is refused.
    const auto ties = doc.addNode(graph::mergeNodeTypeId("ties"));
    for (const auto& edge : doc.edgesInto(p.merge))
      test::SweepProject::must(doc.connect(edge.from, {ties, edge.to.port}));
    doc.disconnect({p.evaluate, 0});
    test::SweepProject::must(doc.connect({ties, 0}, {p.evaluate, 0}));
    graph::saveProject(doc, p.project);
    const auto r = test::runCli({"search", QString::fromStdString(p.project)});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("AdaMerging learns task arithmetic's coefficients"), qPrintable(r.err));
  }
};

MG_TEST_APPLESS_MAIN(SearchCliTest)
#include "test_search_cli.moc"
