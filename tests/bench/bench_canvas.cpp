// The canvas at scale (issue 16): a 200-node graph built from the demo zoo's models pans and zooms at 60
// frames per second while the engine runs it, and the workbench shows its first frame of the demo project
// within 1.5 s.
//   bench_canvas --demo build/demo [--nodes 200] [--frames 240]
// Frames: each step scrolls or zooms the view in the real main window (1600×1000) and repaints the canvas
// synchronously (QWidget::repaint through the platform's raster backing store: offscreen here, as on a
// headless CI; Xvfb gives the same painting). Figures beside two references measured in the same run: the
// same graph with the engine idle, and an empty canvas (the floor: the window's own painting).
// Start-up: the wall time from starting `merganser --quit-after-first-frame demo.mgproj` to its "first frame"
// line, beside `merganser --version` (loading the libraries, the floor of any start).
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QScrollBar>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "editor/graph_scene.h"
#include "editor/graph_view.h"
#include "graph/auto_layout.h"
#include "graph/project_file.h"
#include "mainwindow/main_window.h"
#include "mainwindow/run_controller.h"

namespace {

struct FrameStats {
  double median = 0, p95 = 0, worst = 0;
  std::size_t frames = 0;
};

FrameStats statsOf(std::vector<double> ms) {
  FrameStats stats;
  if (ms.empty()) return stats;
  std::sort(ms.begin(), ms.end());
  stats.frames = ms.size();
  stats.median = ms[ms.size() / 2];
  stats.p95 = ms[std::min(ms.size() - 1, ms.size() * 95 / 100)];
  stats.worst = ms.back();
  return stats;
}

void print(const char* what, const FrameStats& s) {
  std::printf("  %-34s %5zu frames  median %6.2f ms (%5.0f fps)  p95 %6.2f ms  worst %6.2f ms\n", what,
              s.frames, s.median, s.median > 0 ? 1000.0 / s.median : 0.0, s.p95, s.worst);
}

// The demo's graph grown to `count` nodes: its base, adapters and tasks feed more merges (task arithmetic,
// TIES, DARE-TIES in turn, varied coefficients), each followed by an Evaluate node; laid out as the editor's
// auto-layout does.
mg::graph::Document grownDemo(const std::string& demoProject, std::size_t count) {
  using namespace mg::graph;
  Document document = loadProject(demoProject);
  NodeId base = 0, tasks = 0;
  std::vector<NodeId> adapters;
  for (const auto& [id, node] : document.nodes()) {
    if (node.type == "source.model" && base == 0) base = id;
    if (node.type == "source.tasks" && tasks == 0) tasks = id;
    if (node.type == "source.adapter") adapters.push_back(id);
  }
  if (base == 0 || tasks == 0 || adapters.size() < 2)
    throw std::runtime_error(demoProject + ": not the demo project");
  const char* methods[] = {"merge.task_arithmetic", "merge.ties", "merge.dare_ties"};
  for (std::size_t i = 0; document.nodes().size() < count; ++i) {
    const NodeId merge = document.addNode(methods[i % 3]);
    document.setTitle(merge, "Merge " + std::to_string(i + 1));
    document.connect({base, 0}, {merge, 0});
    const std::size_t inputs = 2 + i % (adapters.size() - 1);
    for (std::size_t a = 0; a < inputs; ++a)
      document.connect({adapters[(i + a) % adapters.size()], 0}, {merge, 1 + a}, 0.5 + 0.1 * double(a));
    const NodeId evaluate = document.addNode("sink.evaluate");
    document.setTitle(evaluate, "Evaluate " + std::to_string(i + 1));
    document.connect({merge, 0}, {evaluate, 0});
    document.connect({tasks, 0}, {evaluate, 1});
  }
  for (const auto& [id, position] : autoLayout(document))
    document.move(id, position);
  return document;
}

// One frame: a small pan or zoom as a user's drag or wheel makes, then a synchronous repaint.
double frame(mg::ui::GraphView* view, std::size_t i) {
  QElapsedTimer timer;
  timer.start();
  switch (i % 4) {
  case 0: view->horizontalScrollBar()->setValue(view->horizontalScrollBar()->value() + 24); break;
  case 1: view->verticalScrollBar()->setValue(view->verticalScrollBar()->value() + 16); break;
  case 2: view->zoomBy((i / 4) % 20 < 10 ? 1.03 : 1.0 / 1.03); break;
  default: view->horizontalScrollBar()->setValue(view->horizontalScrollBar()->value() - 20); break;
  }
  view->viewport()->repaint();
  return double(timer.nsecsElapsed()) / 1e6;
}

std::vector<double> frames(mg::ui::MainWindow& window, std::size_t count,
                           const std::function<bool()>& keepGoing) {
  std::vector<double> ms;
  for (std::size_t i = 0; i < count && keepGoing(); ++i) {
    ms.push_back(frame(window.view(), i));
    QApplication::processEvents(); // the engine's progress and badges arrive between frames, as live
  }
  return ms;
}

double startSeconds(const QString& program, const QStringList& arguments, const QString& waitFor) {
  QProcess process;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
  process.setProcessEnvironment(env);
  QElapsedTimer timer;
  timer.start();
  process.start(program, arguments);
  QByteArray output;
  if (waitFor.isEmpty()) process.waitForFinished(30000);
  while (!waitFor.isEmpty() && !output.contains(waitFor.toUtf8())) {
    if (!process.waitForReadyRead(30000))
      throw std::runtime_error("no \"" + waitFor.toStdString() + "\" from " + program.toStdString());
    output += process.readAllStandardOutput();
  }
  const double seconds = double(timer.nsecsElapsed()) / 1e9;
  process.waitForFinished(30000);
  return seconds;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  Q_INIT_RESOURCE(merganser);
  QApplication app(argc, argv);
  QString demo;
  std::size_t nodes = 200, count = 240;
  const QStringList args = app.arguments();
  for (int i = 1; i + 1 < args.size(); i += 2) {
    if (args[i] == QLatin1String("--demo"))
      demo = args[i + 1];
    else if (args[i] == QLatin1String("--nodes"))
      nodes = args[i + 1].toULong();
    else if (args[i] == QLatin1String("--frames"))
      count = args[i + 1].toULong();
  }
  if (demo.isEmpty()) {
    std::fprintf(stderr, "usage: bench_canvas --demo DEMO_DIR [--nodes 200] [--frames 240]\n");
    return 2;
  }
  try {
    const QString demoProject = QDir(demo).absoluteFilePath(QStringLiteral("demo.mgproj"));
    QTemporaryDir scratch;
    const QString grown = QDir(demo).absoluteFilePath(QStringLiteral("bench-canvas.mgproj"));
    const mg::graph::Document document = grownDemo(demoProject.toStdString(), nodes);
    mg::graph::saveProject(document, grown.toStdString());

    mg::ui::MainWindow window;
    window.resize(1600, 1000);
    window.show();
    QApplication::processEvents();
    const auto always = [] { return true; };
    std::printf("canvas, window 1600x1000, %zu nodes, %zu frames per row (pan and zoom steps):\n",
                document.nodes().size(), count);
    print("empty canvas (floor)", statsOf(frames(window, count, always)));
    if (QString error = window.openProject(grown); !error.isEmpty())
      throw std::runtime_error(error.toStdString());
    QApplication::processEvents();
    const double fitZoom = window.view()->zoom();
    print(qPrintable(QStringLiteral("fit all (zoom %1), engine idle").arg(fitZoom, 0, 'f', 2)),
          statsOf(frames(window, count, always)));
    window.view()->zoomBy(1.0 / window.view()->zoom()); // 1:1, every label drawn
    print("zoom 1, engine idle", statsOf(frames(window, count, always)));
    window.view()->fitAll();
    mg::ui::RunController* run = window.runController();
    run->runAll();
    QApplication::processEvents();
    const auto running = [run] { return run->isRunning(); };
    print("fit all, engine running", statsOf(frames(window, count, running)));
    window.view()->zoomBy(1.0 / window.view()->zoom());
    const FrameStats zoomedRunning = statsOf(frames(window, count, running));
    print("zoom 1, engine running", zoomedRunning);
    if (zoomedRunning.frames < count)
      std::printf("  (the run ended after %zu frames)\n", zoomedRunning.frames);
    run->cancel();
    while (run->isRunning())
      QApplication::processEvents(QEventLoop::AllEvents, 50);
    QFile::remove(grown);

    const QString program = QStringLiteral(MERGANSER_GUI);
    std::vector<double> first, version;
    for (int i = 0; i < 5; ++i) {
      version.push_back(startSeconds(program, {QStringLiteral("--version")}, QString()));
      first.push_back(startSeconds(program, {QStringLiteral("--quit-after-first-frame"), demoProject},
                                   QStringLiteral("first frame")));
    }
    std::printf("start-up (median of 5):\n  %-34s %6.2f s\n  %-34s %6.2f s\n",
                "first frame of the demo project", median(first), "merganser --version (floor)",
                median(version));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_canvas: %s\n", e.what());
    return 1;
  }
  return 0;
}
