// A coefficient search in the workbench as a user runs it: the Search tab fills while the search runs (the
// run controller relays the candidates live), ends with a table of every candidate and the winner's
// validation and test scores, and "Add the winner to the graph" adds it as a merge node in one undo step.
#include "support/test_registry.h"
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QUndoStack>
#include <QtTest>

#include "charts/results_panel.h"
#include "charts/search_view.h"
#include "graph/builtin_node_types.h"
#include "graph/project_file.h"
#include "mainwindow/main_window.h"
#include "mainwindow/run_controller.h"
#include "prefs/preferences.h"
#include "session/project_session.h"
#include "support/sweep_fixture.h"
#include "support/test_time.h"

using namespace mg;

class SearchViewTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aSearchShowsItsCandidatesLiveAndItsWinnerCanBeAddedToTheGraph() {
    test::SweepProject p;
    const auto search = p.doc.addNode(graph::node_types::kSearch, {900, 0});
    test::SweepProject::must(p.doc.connect({p.evaluate, 0}, {search, 0}));
    test::SweepProject::must(p.doc.setParam(search, "budget", std::int64_t(7)));
    test::SweepProject::must(p.doc.setParam(search, "validation_examples", std::int64_t(60)));
    const std::string project = p.dir.file("search.mgproj");
    graph::saveProject(p.doc, project);

    QSettings settings(QString::fromStdString(p.dir.file("settings.ini")), QSettings::IniFormat);
    ui::Preferences preferences(&settings);
    ui::MainWindow w(&preferences, QString::fromStdString(p.dir.file("recovery")));
    w.show();
    QCOMPARE(w.openProject(QString::fromStdString(project)), QString());
    QSignalSpy live(w.runController(), &ui::RunController::partialResults);
    QSignalSpy finished(w.runController(), &ui::RunController::runFinished);
    w.runController()->runAll();
    QVERIFY(finished.wait(test::scaledMs(60000)));
    QVERIFY2(live.count() >= 7, qPrintable(QString::number(live.count()))); // one per candidate at least

    auto* panel = w.findChild<ui::ResultsPanel*>();
    QVERIFY(panel);
    auto* view = panel->searchView();
    QCOMPARE(panel->tabs()->currentWidget(), view);
    QCOMPARE(view->table()->rowCount(), 7);
    QCOMPARE(view->table()->columnCount(), 4); // candidate, weight 1, weight 2, validation %
    QVERIFY2(view->summary()->text().contains(QStringLiteral("validation")) &&
                 view->summary()->text().contains(QStringLiteral("test")),
             qPrintable(view->summary()->text()));
    QVERIFY(view->addButton()->isEnabled());

    const auto before = w.session()->document().nodes().size();
    view->addButton()->click();
    const auto& doc = w.session()->document();
    QCOMPARE(doc.nodes().size(), before + 1);
    const auto added = doc.nodeIds().back();
    QCOMPARE(doc.at(added).title, std::string("Task arithmetic (searched)"));
    QCOMPARE(doc.edgesInto(added).size(), std::size_t(3));
    w.session()->undoStack()->undo();
    QCOMPARE(w.session()->document().nodes().size(), before);
  }
};

MG_TEST_MAIN(SearchViewTest)
#include "test_search_view.moc"
