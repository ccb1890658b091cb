// merganser_save_loop KIND FOLDER FROM COUNT: the workbench's saves over and over, for
// widgets.test_crash_safe_saves to kill at random moments. It starts as the workbench does on
// FOLDER/project.mgproj: the project is opened (a new one with a node "probe" when there is none), its saved
// results are loaded and the autosave is set up on FOLDER/recovery. Then for i = FROM+1 ... FROM+COUNT (COUNT
// -1: until killed) it makes one edit, the probe retitled "edit i" (an undo step, as in the editor), and one
// save of KIND, through the classes the workbench uses:
//   project   File ▸ Save (ProjectSession::save)
//   autosave  the recovery copy the autosave timer writes a moment after an edit (Autosave::writeNow)
//   results   the results file a run's scores are written to (ResultsKeeper's disk), one score of i
// and prints "saved i" once the save has returned. COUNT 0: start, and nothing else.
#include <QApplication>
#include <QEventLoop>
#include <QFile>

#include <cstdio>
#include <cstdlib>

#include "charts/results_panel.h"
#include "graph/builtin_node_types.h"
#include "mainwindow/autosave.h"
#include "mainwindow/results_keeper.h"
#include "session/project_session.h"

using namespace mg;

namespace {

results::RunResults scoresOf(long i) {
  eval::ModelScores model;
  model.model = "edit " + std::to_string(i);
  model.evaluateNode = 1;
  eval::TaskScore score;
  score.task = "probe";
  score.examples = i;
  score.accuracy = 0.5;
  model.scores.push_back(score);
  results::RunResults run;
  run.scores.push_back(model);
  return run;
}

int fail(const QString& message) {
  std::fprintf(stderr, "merganser_save_loop: %s\n", qPrintable(message));
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  if (argc != 5)
    return fail(QStringLiteral("usage: merganser_save_loop project|autosave|results FOLDER FROM COUNT"));
  const QString kind = QString::fromLocal8Bit(argv[1]), folder = QString::fromLocal8Bit(argv[2]);
  const long from = std::atol(argv[3]), count = std::atol(argv[4]);
  const QString project = folder + QStringLiteral("/project.mgproj");

  // The start, as the workbench's.
  ui::ProjectSession session;
  ui::Autosave autosave(&session, folder + QStringLiteral("/recovery"));
  ui::ResultsPanel panel;
  ui::ResultsKeeper keeper(&session, &panel);
  graph::NodeId probe = 0;
  if (QFile::exists(project)) {
    if (const QString error = session.load(project); !error.isEmpty()) return fail(error);
    for (const auto& [id, node] : session.document().nodes())
      if (node.type == graph::node_types::kCompare) probe = id;
  } else {
    probe = session.addNode(QString::fromLatin1(graph::node_types::kCompare), {0, 0});
    if (const QString error = session.saveAs(project); !error.isEmpty()) return fail(error);
  }
  if (!probe) return fail(project + QStringLiteral(": no probe node"));
  QEventLoop loaded;
  QObject::connect(&keeper, &ui::ResultsKeeper::loaded, &loaded, &QEventLoop::quit);
  keeper.loadSaved(project);
  loaded.exec();

  const auto writeResults = ui::ResultsKeeper::resultsFiles().write;
  const std::string resultsFile = results::resultsFileFor(project.toStdString());
  for (long i = from + 1; count < 0 || i <= from + count; ++i) {
    if (const QString error = session.setTitle(probe, QStringLiteral("edit %1").arg(i)); !error.isEmpty())
      return fail(error);
    if (kind == QLatin1String("project")) {
      if (const QString error = session.save(); !error.isEmpty()) return fail(error);
    } else if (kind == QLatin1String("autosave")) {
      autosave.writeNow();
    } else if (kind == QLatin1String("results")) {
      writeResults(resultsFile, scoresOf(i));
    } else {
      return fail(QStringLiteral("unknown kind %1").arg(kind));
    }
    std::printf("saved %ld\n", i);
    std::fflush(stdout);
  }
  return 0;
}
