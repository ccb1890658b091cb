// Every tokenizer file Merganser cannot read gives one line naming the file and the problem or the
// unsupported component, never a crash.
#include "support/test_registry.h"
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>

#include "io/io_error.h"
#include "io/text_file.h"
#include "support/temp_dir.h"
#include "text/tokenizer.h"

using namespace mg;
using nlohmann::json;

namespace {

const std::string kGpt2 = std::string(MG_TOKENIZER_DATA) + "/gpt2/tokenizer.json";

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

// The GPT-2 fixture with one change, loaded from a folder; the error message.
std::string loadChanged(const std::function<void(json&)>& change, const std::string& config = "") {
  test::TempDir dir;
  json t = json::parse(io::readTextFile(kGpt2));
  change(t);
  std::ofstream(dir.file("tokenizer.json")) << t.dump();
  if (!config.empty()) std::ofstream(dir.file("tokenizer_config.json")) << config;
  std::string message = errorOf([&] { text::loadTokenizer(dir.path()); });
  const auto at = message.find(dir.path());
  if (at != std::string::npos) message.replace(at, dir.path().size(), "DIR");
  return message;
}

} // namespace

class TokenizerErrorsTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void unsupportedComponentsAreNamed() {
    QCOMPARE(loadChanged([](json& t) {
               t["pre_tokenizer"] = {{"type", "Whitespace"}};
             }),
             std::string(
                 "DIR/tokenizer.json: unsupported pre_tokenizer \"Whitespace\" (supported: ByteLevel, Split, "
                 "Metaspace, Digits, Sequence)"));
    QCOMPARE(loadChanged([](json& t) { t["model"]["type"] = "WordPiece"; }),
             std::string("DIR/tokenizer.json: unsupported model \"WordPiece\" (supported: BPE)"));
    QCOMPARE(
        loadChanged([](json& t) {
          t["normalizer"] = {{"type", "Sequence"}, {"normalizers", {{{"type", "BertNormalizer"}}}}};
        }),
        std::string(
            "DIR/tokenizer.json: unsupported normalizer \"BertNormalizer\" (supported: Sequence, Prepend, "
            "Replace, NFC, NFD, NFKC, NFKD, Lowercase, Strip)"));
    QCOMPARE(loadChanged([](json& t) {
               t["post_processor"] = {{"type", "BertProcessing"}};
             }),
             std::string("DIR/tokenizer.json: unsupported post_processor \"BertProcessing\" (supported: "
                         "TemplateProcessing, ByteLevel, Sequence)"));
    QCOMPARE(
        loadChanged([](json& t) {
          t["decoder"] = {{"type", "WordPiece"}};
        }),
        std::string("DIR/tokenizer.json: unsupported decoder \"WordPiece\" (supported: ByteLevel, Metaspace, "
                    "ByteFallback, Fuse, Strip, Replace, Sequence)"));
    QCOMPARE(
        loadChanged([](json& t) { t["model"]["dropout"] = 0.1; }),
        std::string(
            "DIR/tokenizer.json: model BPE: unsupported dropout 0.1 (only null: encoding is deterministic)"));
  }

  void malformedFilesAreOneLine() {
    QCOMPARE(loadChanged([](json& t) { t["model"]["merges"][0] = "Ġ"; }),
             std::string("DIR/tokenizer.json: model BPE: merge 0 \"Ġ\" is not \"a b\""));
    QCOMPARE(loadChanged([](json& t) {
               t["model"]["merges"][0] = {"q", "zz"};
             }),
             std::string(
                 "DIR/tokenizer.json: model BPE: merge 0 [\"q\",\"zz\"] uses a token the vocabulary lacks"));
    QCOMPARE(loadChanged([](json& t) { t.erase("model"); }),
             std::string("DIR/tokenizer.json: tokenizer.json has no \"model\""));
    QCOMPARE(
        loadChanged([](json& t) {
          t["pre_tokenizer"] = {
              {"type", "Split"}, {"pattern", {{"Regex", "(unclosed"}}}, {"behavior", "Isolated"}};
        }),
        std::string(
            "DIR/tokenizer.json: pre_tokenizer Split: invalid regex '(unclosed' at offset 9: missing closing "
            "parenthesis"));
    QCOMPARE(
        loadChanged([](json& t) {
          t["pre_tokenizer"] = {{"type", "Split"}, {"pattern", {{"String", " "}}}, {"behavior", "Sideways"}};
        }),
        std::string("DIR/tokenizer.json: pre_tokenizer Split: unknown behavior \"Sideways\" (one of Removed, "
                    "Isolated, MergedWithPrevious, MergedWithNext, Contiguous)"));
    QCOMPARE(
        loadChanged([](json&) {}, "{\"bos_token\": 3}"),
        std::string("DIR/tokenizer_config.json: \"bos_token\" is neither a string nor {\"content\": ...}"));
    test::TempDir dir;
    std::ofstream(dir.file("tokenizer.json")) << "{\"model\": {\"type\": \"BPE\",";
    const std::string truncated = errorOf([&] { text::loadTokenizer(dir.file("tokenizer.json")); });
    QVERIFY2(truncated.rfind(dir.file("tokenizer.json") + ": tokenizer.json is not valid JSON", 0) == 0,
             truncated.c_str());
    QVERIFY(truncated.find('\n') == std::string::npos);
    QCOMPARE(errorOf([&] { text::loadTokenizer(dir.file("missing")); }).rfind(dir.file("missing") + ": ", 0),
             std::size_t(0));
    std::filesystem::create_directories(dir.file("empty"));
    QCOMPARE(errorOf([&] { text::loadTokenizer(dir.file("empty")); }),
             dir.file("empty") + ": no tokenizer.json in this folder");
  }
};

MG_TEST_APPLESS_MAIN(TokenizerErrorsTest)
#include "test_tokenizer_errors.moc"
