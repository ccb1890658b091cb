// `merganser-cli merge --method fisher|regmean --tasks DIR` with language models and text tasks (JSON Lines):
// two LoRA adapters of the tiny Llama of tests/reference/lm_eval_reference.py, each on its own text task,
// merged as base + update; the statistics are cached and read back; task sets that mix text and classifier
// tasks are a one-line error.
#include "support/test_registry.h"
#include <QtTest>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "io/safetensors_file.h"
#include "support/cli_runner.h"
#include "support/lm_eval_fixture.h"
#include "support/temp_dir.h"

using namespace mg;

namespace {

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

std::vector<float> tensorOf(const std::string& file, const std::string& name) {
  return io::SafetensorsFile(file).load(name).toFloat32();
}

} // namespace

class TextDataAwareCliTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    MG_WRITE_LM_EVAL_REFERENCE(dir_, expected_);
    std::filesystem::create_directories(dir_.file("pair"));
    for (const char* task : {"choose", "prose"})
      std::filesystem::copy_file(dir_.file(std::string("tasks/") + task + ".jsonl"),
                                 dir_.file(std::string("pair/") + task + ".jsonl"));
  }

  void fisherAndRegmeanMergeAdaptersOnTextTasks() {
    const auto merge = [&](const char* method, const std::string& out) {
      return test::runCli({"merge", "--method", method, "--base", q(dir_.file("model")), "--model",
                           q(dir_.file("adapter")), "--model", q(dir_.file("adapter2")), "--tasks",
                           q(dir_.file("pair")), "--statistics-cache", q(dir_.file("cache")), "--out",
                           q(dir_.file(out))});
    };
    const std::string weight = "model.layers.0.self_attn.q_proj.weight";
    auto r = test::runCli({"merge", "--method", "linear", "--base", q(dir_.file("model")), "--model",
                           q(dir_.file("adapter")), "--model", q(dir_.file("adapter2")), "--out",
                           q(dir_.file("linear"))});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto mean = tensorOf(dir_.file("linear/model.safetensors"), weight);
    for (const char* method : {"fisher", "regmean"}) {
      r = merge(method, method);
      QVERIFY2(r.exitCode == 0, qPrintable(r.err));
      QVERIFY2(r.err.contains("on task choose: ") && r.err.contains("on task prose: ") &&
                   r.err.contains("computed, cached in "),
               qPrintable(r.err));
      QVERIFY(tensorOf(dir_.file(std::string(method) + "/model.safetensors"), weight) != mean);
      if (std::string(method) != "fisher") continue;
      r = merge(method, std::string(method) + "-again"); // the statistics come from the cache
      QVERIFY2(r.exitCode == 0, qPrintable(r.err));
      QCOMPARE(r.err.count("read from "), 2);
      QCOMPARE(tensorOf(dir_.file(std::string(method) + "-again/model.safetensors"), weight),
               tensorOf(dir_.file(std::string(method) + "/model.safetensors"), weight));
    }
  }

  void mixedTaskKindsAreAOneLineError() {
    const auto r = test::runCli({"merge", "--method", "fisher", "--base", q(dir_.file("model")), "--model",
                                 q(dir_.file("adapter")), "--model", q(dir_.file("adapter2")), "--tasks",
                                 q(dir_.file("pair")), "--tasks", q(dir_.file("elsewhere.h5")), "--out",
                                 q(dir_.file("mixed"))});
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("--tasks: give text tasks (.jsonl) or classifier task files (.h5), not both"),
             qPrintable(r.err));
  }

private:
  test::TempDir dir_;
  nlohmann::json expected_;
};

MG_TEST_APPLESS_MAIN(TextDataAwareCliTest)
#include "test_text_data_aware_cli.moc"
