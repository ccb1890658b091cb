// `merganser-cli demo --zoo text --quick` as a user runs it: it trains the text zoo, runs its project and
// prints the specialists' table and the Compare table with the held-out compositions, saving the scores
// beside the project; it refuses to write over a folder that is not a zoo, and names the zoos it knows.
#include "support/test_registry.h"
#include <QtTest>

#include <filesystem>

#include "support/cli_runner.h"
#include "support/temp_dir.h"

using namespace mg;

namespace {

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

} // namespace

class TextDemoCliTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void buildsAndRunsTheQuickTextZoo() {
    test::TempDir dir;
    const auto out = dir.file("zoo");
    const auto r = test::runCli({"demo", "--zoo", "text", "--quick", "--out", q(out)}, 300000);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    for (const char* row : {"reverse ", "upper ", "sort ", "shift ", "add "})
      QVERIFY2(r.out.contains(QStringLiteral("\n") + row), row);
    // The Compare table: a column per task (held-out compositions included), a row per model.
    for (const char* text : {"reverse+upper", "sort-choice", "TIES", "SMEAR (soft merge)", "LoRA reverse"})
      QVERIFY2(r.out.contains(QString::fromUtf8(text)), text);
    QVERIFY(std::filesystem::exists(dir.file("zoo/text.mgproj")));
    QVERIFY2(std::filesystem::exists(dir.file("zoo/text.scores.h5")), qPrintable(r.out));
  }

  void refusesAFolderThatIsNotAZoo() {
    test::TempDir dir;
    test::writeBytes(dir.file("notes.txt"), "mine");
    const auto r = test::runCli({"demo", "--zoo", "text", "--quick", "--out", q(dir.path())});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("not a Merganser demo zoo")), qPrintable(r.err));
    QCOMPARE(test::listFolder(dir.path()), std::vector<std::string>{"notes.txt"});
    const auto unknown = test::runCli({"demo", "--zoo", "poetry", "--out", q(dir.file("x"))});
    QVERIFY(unknown.exitCode != 0);
    QVERIFY2(unknown.err.contains(QStringLiteral("basic, benchmark, text")), qPrintable(unknown.err));
  }
};

MG_TEST_APPLESS_MAIN(TextDemoCliTest)
#include "test_text_demo_cli.moc"
