// Text tasks (JSON Lines): the three kinds read as written, with or without the header line, a folder is a
// task set, and every broken line is a one-line error naming the file and the line.
#include "support/test_registry.h"
#include <QtTest>

#include <functional>

#include "io/io_error.h"
#include "io/text_task_file.h"
#include "support/temp_dir.h"

using namespace mg;

namespace {

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const io::IoError& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("not an IoError: ") + e.what();
  }
  return "no error";
}

} // namespace

class TextTaskFileTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void writtenTasksReadBack() {
    test::TempDir dir;
    io::TextTask choice;
    choice.name = "upper";
    choice.kind = io::TextTaskKind::MultipleChoice;
    choice.skills = {"upper-case"};
    choice.examples = {{"", "abc →", {" ABC", " abc", " CBA"}, 0, "", "", 0},
                       {"", "é ö \"quoted\"\n", {" É Ö", " e o"}, 1, "", "", 0}};
    io::writeTextTaskFile(dir.file("upper.jsonl"), choice);
    const auto read = io::readTextTaskFile(dir.file("upper.jsonl"));
    QCOMPARE(read.name, std::string("upper"));
    QVERIFY(read.kind == io::TextTaskKind::MultipleChoice);
    QCOMPARE(read.skills, std::vector<std::string>{"upper-case"});
    QCOMPARE(read.examples.size(), std::size_t(2));
    QCOMPARE(read.examples[1].context, std::string("é ö \"quoted\"\n"));
    QCOMPARE(read.examples[1].choices, (std::vector<std::string>{" É Ö", " e o"}));
    QCOMPARE(read.examples[1].label, std::int64_t(1));
    QCOMPARE(read.examples[1].line, std::size_t(3)); // the header is line 1

    io::TextTask generation;
    generation.name = "reverse";
    generation.kind = io::TextTaskKind::Generation;
    generation.maxNewTokens = 12;
    generation.stop = {"\n", "."};
    generation.examples = {{"", "", {}, -1, "reverse abc:", " cba", 0}};
    io::writeTextTaskFile(dir.file("reverse.jsonl"), generation);
    const auto readGeneration = io::readTextTaskFile(dir.file("reverse.jsonl"));
    QCOMPARE(readGeneration.maxNewTokens, std::int64_t(12));
    QCOMPARE(readGeneration.stop, (std::vector<std::string>{"\n", "."}));
    QCOMPARE(readGeneration.examples[0].answer, std::string(" cba"));

    // A folder is the set of its .jsonl files, sorted by name; other files are not tasks.
    test::writeBytes(dir.file("notes.txt"), "not a task");
    const auto set = io::readTextTaskSet(dir.path());
    QCOMPARE(set.size(), std::size_t(2));
    QCOMPARE(set[0].name, std::string("reverse"));
    QCOMPARE(set[1].name, std::string("upper"));
  }

  void withoutAHeaderTheKeysGiveTheKind() {
    test::TempDir dir;
    test::writeBytes(dir.file("wiki.jsonl"), "{\"text\": \"one\"}\n\n{\"text\": \"two\"}\r\n");
    const auto task = io::readTextTaskFile(dir.file("wiki.jsonl"));
    QCOMPARE(task.name, std::string("wiki"));
    QVERIFY(task.kind == io::TextTaskKind::Perplexity);
    QCOMPARE(task.examples.size(), std::size_t(2));
    QCOMPARE(task.examples[1].text, std::string("two"));
    QCOMPARE(task.examples[1].line, std::size_t(3));
  }

  void brokenLinesNameTheFileAndLine() {
    test::TempDir dir;
    const auto file = dir.file("bad.jsonl");
    const auto errorFor = [&](const std::string& text) {
      test::writeBytes(file, text);
      return errorOf([&] { io::readTextTaskFile(file); });
    };
    const std::string mc = R"({"merganser_task": {"kind": "multiple_choice"}})"
                           "\n";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "bad.jsonl: holds no examples"},
        {"{\"text\": \"a\"}\n{\"text\": 3}\n", "bad.jsonl: line 2: \"text\" must be text"},
        {"{\"text\": \"a\"}\n{nope\n", "bad.jsonl: line 2 is not valid JSON"},
        {"[1, 2]\n", "bad.jsonl: line 1: is not a JSON object"},
        {"{\"question\": \"a\"}\n", "bad.jsonl: line 1: is not an example of any kind"},
        {mc + R"({"context": "a", "choices": ["x", "y"], "label": 2})",
         "bad.jsonl: line 2: \"label\" 2 is not one of the 2 choices (0-based)"},
        {mc + R"({"context": "a", "choices": ["x"], "label": 0})",
         "bad.jsonl: line 2: \"choices\" needs at least two"},
        {mc + R"({"context": "a", "choices": ["x", "y"]})", "bad.jsonl: line 2: has no \"label\""},
        {R"({"merganser_task": {"kind": "summarise"}})", "bad.jsonl: line 1: \"kind\" must be one of"},
        {"{\"text\": \"a\"}\n{\"merganser_task\": {}}\n",
         "bad.jsonl: line 2: the \"merganser_task\" header must be the first line"},
        {R"({"merganser_task": {"kind": "generation", "max_new_tokens": 0}})",
         "bad.jsonl: line 1: \"max_new_tokens\" must be an integer from 1 to 65536"},
        {"{\"text\": \"\xff\"}\n", "bad.jsonl: line 1 is not valid UTF-8"},
    };
    for (const auto& [text, expected] : cases) {
      const auto error = errorFor(text);
      QVERIFY2(error.find(expected) != std::string::npos && error.find('\n') == std::string::npos,
               (expected + " | got: " + error).c_str());
    }
    QVERIFY(errorOf([&] { io::readTextTaskSet(dir.file("missing.jsonl")); }).find("cannot be read") !=
            std::string::npos);
    test::TempDir empty;
    QVERIFY(errorOf([&] { io::readTextTaskSet(empty.path()); }).find("holds no text task files (.jsonl)") !=
            std::string::npos);
  }
};

MG_TEST_APPLESS_MAIN(TextTaskFileTest)
#include "test_text_task_file.moc"
