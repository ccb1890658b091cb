// `merganser-cli merge --tokenizer-source ... --chat-template ...` as a user runs it: the output folder's
// tokenizer, config vocab_size and permuted embeddings; bad values refused in one line with exit 2.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include "io/safetensors_file.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"
#include "support/tokenizer_fixtures.h"
#include "tensor/torch_convert.h"

using namespace mg;
using namespace mg::test;

namespace {

QString qs(const std::string& s) {
  return QString::fromStdString(s);
}

} // namespace

class MergeTokenizerCliTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void unionTokenizerAndChatTemplate() {
    TempDir dir;
    const auto base = writeTinyModel(dir, "base", {1, {"A", "B"}});
    const auto other = writeTinyModel(dir, "other", {2, {"B", "C"}, {{"<s>", true}}});
    writeText(dir.file("template.jinja"), "{% for m in messages %}{{ m['content'] }}{% endfor %}");
    const auto r = runCli({"merge", "--method", "task_arithmetic", "--base", qs(base), "--model", qs(other),
                           "--tokenizer-source", "union", "--chat-template", qs(dir.file("template.jinja")),
                           "--out", qs(dir.file("out"))});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const std::string out = dir.file("out");
    QVERIFY(readJson(out + "/config.json")["vocab_size"] == Json(4)); // A B C <s>
    const Json tok = readJson(out + "/tokenizer.json");
    QCOMPARE(tok["added_tokens"].size(), std::size_t(2));
    QVERIFY(tok["added_tokens"][1]["content"] == Json("<s>"));
    QVERIFY(readJson(out + "/tokenizer_config.json")["chat_template"] ==
            Json("{% for m in messages %}{{ m['content'] }}{% endfor %}"));
    // A: only the base has it (the other gets the base's row: zero task vector); B: both; C, <s>: only the
    // other (the base gets the other's row: zero task vector too).
    const auto e1 = embeddingRows(1, 2), e2 = embeddingRows(2, 3);
    const auto expected = at::stack({e1[0], e2[0], e2[1], e2[2]});
    const io::SafetensorsFile merged(out + "/model.safetensors");
    QVERIFY(at::allclose(tensor::toTorchFloat32(merged.load("model.embed_tokens.weight")), expected));
  }

  void badValuesAreRefused() {
    TempDir dir;
    const auto base = writeTinyModel(dir, "base", {1, {"A", "B"}});
    auto r = runCli({"merge", "--method", "linear", "--model", qs(base), "--model", qs(base),
                     "--chat-template", "chatmk", "--out", qs(dir.file("out"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("chat template 'chatmk'") && r.err.count('\n') == 1, qPrintable(r.err));
    r = runCli({"merge", "--method", "linear", "--model", qs(base), "--model", qs(base), "--tokenizer-source",
                qs(dir.file("nowhere")), "--out", qs(dir.file("out"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("nowhere/tokenizer.json") && r.err.count('\n') == 1, qPrintable(r.err));
  }
};

MG_TEST_APPLESS_MAIN(MergeTokenizerCliTest)
#include "test_merge_tokenizer_cli.moc"
