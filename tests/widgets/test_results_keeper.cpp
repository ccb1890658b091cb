// The Results dock's keeper and the disk: the results file is looked at, read and written on a thread other
// than the GUI's, in the order asked (a run's save follows the open before it and reads what the run
// before it saved), the results show again on reopening, destroying the keeper waits for a pending write,
// and a run's results are labelled by the document that ran, not by the one edited since.
#include "support/test_registry.h"
#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <mutex>

#include "charts/compare_view.h"
#include "charts/results_panel.h"
#include "graph/builtin_node_types.h"
#include "mainwindow/results_keeper.h"
#include "results/results_file.h"
#include "session/project_session.h"
#include "support/temp_dir.h"
#include "support/test_time.h"

using namespace mg;
namespace nt = graph::node_types;

namespace {

// The real results files, with every call noted: what was done, and on which thread.
struct RecordingDisk {
  struct Call {
    std::string what; // "exists", "read", "write"
    QThread* thread;
  };
  std::mutex mutex;
  std::vector<Call> calls;

  ui::ResultsKeeper::Disk disk() {
    const auto real = ui::ResultsKeeper::resultsFiles();
    return {[this, real](const std::string& path) {
              note("exists");
              return real.exists(path);
            },
            [this, real](const std::string& path) {
              note("read");
              return real.read(path);
            },
            [this, real](const std::string& path, const results::RunResults& run) {
              note("write");
              real.write(path, run);
            }};
  }
  void note(const char* what) {
    std::lock_guard<std::mutex> lock(mutex);
    calls.push_back({what, QThread::currentThread()});
  }
  std::vector<std::string> whats() {
    std::lock_guard<std::mutex> lock(mutex);
    std::vector<std::string> out;
    for (const auto& call : calls)
      out.push_back(call.what);
    return out;
  }
  bool noneOn(QThread* thread) {
    std::lock_guard<std::mutex> lock(mutex);
    for (const auto& call : calls)
      if (call.thread == thread) return false;
    return !calls.empty();
  }
};

// A saved project with two Evaluate nodes.
struct Project {
  test::TempDir dir;
  ui::ProjectSession session;
  graph::NodeId first = 0, second = 0;
  QString path = QString::fromStdString(dir.file("p.mgproj"));

  Project() {
    first = session.addNode(QString::fromLatin1(nt::kEvaluate), {0, 0});
    second = session.addNode(QString::fromLatin1(nt::kEvaluate), {0, 200});
    if (!session.saveAs(path).isEmpty()) qFatal("cannot save the test project");
  }

  // A run of the document as it is now in which `evaluate` scored `model`.
  engine::RunSummary runOf(graph::NodeId evaluate, const std::string& model) const {
    eval::TaskScore score;
    score.task = "rotate";
    score.examples = 4;
    score.accuracy = 0.75;
    engine::RunSummary summary;
    summary.document = std::make_shared<const graph::Document>(session.document());
    summary.order = {evaluate};
    auto& status = summary.nodes[evaluate];
    status.state = engine::NodeState::Done;
    status.results = {engine::ScoresValue{
        std::make_shared<const std::vector<eval::TaskScore>>(std::vector<eval::TaskScore>{score}),
        model,
        evaluate,
        {},
        0}};
    return summary;
  }

  std::vector<std::string> savedModels() const {
    std::vector<std::string> out;
    for (const auto& entry : results::readResultsFile(results::resultsFileFor(path.toStdString())).scores)
      out.push_back(entry.model);
    return out;
  }
};

void waitFor(QSignalSpy& spy, int count) {
  while (spy.count() < count)
    QVERIFY(spy.wait(test::scaledMs(30000)));
}

} // namespace

class ResultsKeeperTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void theFileIsReadAndWrittenOffTheGuiThreadInOrder() {
    Project project;
    ui::ResultsPanel panel;
    RecordingDisk disk;
    {
      ui::ResultsKeeper keeper(&project.session, &panel, nullptr, disk.disk());
      QSignalSpy loaded(&keeper, &ui::ResultsKeeper::loaded);
      QSignalSpy saved(&keeper, &ui::ResultsKeeper::runSaved);
      keeper.loadSaved(project.path);
      keeper.takeRun(project.runOf(project.first, "A"));
      keeper.takeRun(project.runOf(project.second, "B"));
      waitFor(saved, 2);
      QCOMPARE(saved.at(0).at(0).toString(), QString());
      QCOMPARE(saved.at(1).at(0).toString(), QString());
      // The open found no file; the first save made it, and the second read it before writing.
      QCOMPARE(disk.whats(),
               (std::vector<std::string>{"exists", "exists", "write", "exists", "read", "write"}));
      QVERIFY(disk.noneOn(QThread::currentThread()));
      QCOMPARE(project.savedModels(), (std::vector<std::string>{"A", "B"}));
      QVERIFY(panel.hasResults()); // the open's (empty) delivery, older, did not clear the runs'
    }

    // Reopened: shown again, read off the GUI thread.
    RecordingDisk reopening;
    ui::ResultsPanel again;
    ui::ResultsKeeper keeper(&project.session, &again, nullptr, reopening.disk());
    QSignalSpy loaded(&keeper, &ui::ResultsKeeper::loaded);
    keeper.loadSaved(project.path);
    QVERIFY(!again.hasResults()); // not read yet: the GUI did not wait for the disk
    waitFor(loaded, 1);
    QVERIFY(again.hasResults());
    QCOMPARE(reopening.whats(), (std::vector<std::string>{"exists", "read"}));
    QVERIFY(reopening.noneOn(QThread::currentThread()));
  }

  void destroyingTheKeeperFinishesAPendingWrite() {
    Project project;
    ui::ResultsPanel panel;
    {
      ui::ResultsKeeper keeper(&project.session, &panel);
      keeper.takeRun(project.runOf(project.first, "A"));
    } // no event loop ran: the write was still pending
    QCOMPARE(project.savedModels(), std::vector<std::string>{"A"});
  }

  // The session's document changed after the run started (the Evaluate node deleted): the results are
  // those of the copy that ran.
  void aNodeDeletedDuringTheRunKeepsItsScores() {
    Project project;
    ui::ResultsPanel panel;
    ui::ResultsKeeper keeper(&project.session, &panel);
    QSignalSpy saved(&keeper, &ui::ResultsKeeper::runSaved);
    const auto summary = project.runOf(project.first, "A");
    QCOMPARE(project.session.removeNodes({project.first}), QString());
    keeper.takeRun(summary);
    QVERIFY(panel.hasResults());
    waitFor(saved, 1);
    QCOMPARE(project.savedModels(), std::vector<std::string>{"A"});
  }
};

MG_TEST_MAIN(ResultsKeeperTest)
#include "test_results_keeper.moc"
