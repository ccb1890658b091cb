// `merganser-cli merge --method wudi | knots` as a user runs them (spec, "wudi", "knots"): the merged model,
// KnOTS's exact adapter output (loadable as PEFT, its update the merge's), mergekit-style recipes of both,
// and one-line errors for what they cannot merge.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <nlohmann/json.hpp>

#include "io/peft_adapter.h"
#include "io/safetensors_file.h"
#include "support/cli_runner.h"
#include "support/knots_fixtures.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"
#include "weights/adapter_weights.h"

using namespace mg;
using test::runCli;

namespace {

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

at::Tensor load(const std::string& path, const std::string& name) {
  return tensor::toTorchFloat32(io::SafetensorsFile(path).load(name));
}

} // namespace

class KnotsWudiCliTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void knotsWritesAModelAndTheSameMergeAsAnAdapter() {
    test::TempDir dir;
    const auto zoo = test::writeKnotsZoo(dir);
    const auto r = runCli({"merge",
                           "--method",
                           "knots",
                           "--base",
                           q(zoo.base),
                           "--model",
                           q(zoo.adapters[0]),
                           "--model",
                           q(zoo.adapters[1]) + ":0.5",
                           "--model",
                           q(zoo.adapters[2]),
                           "--param",
                           "density=0.4",
                           "--param",
                           "lambda=0.9",
                           "--out",
                           q(dir.file("out.safetensors")),
                           "--adapter-out",
                           q(dir.file("knots")),
                           "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto report = nlohmann::json::parse(r.out.toStdString());
    QVERIFY(report["adapter"]["exact"].get<bool>());
    QCOMPARE(report["adapter"]["modules"].get<int>(), 3);
    // The adapter's update is the model's change, module by module; other tensors are the base's.
    const io::PeftAdapter adapter(dir.file("knots"));
    adapter.validateAgainst(io::SafetensorsFile(zoo.base));
    for (const auto& m : adapter.modules()) {
      const auto change = load(dir.file("out.safetensors"), m.baseTensor) - load(zoo.base, m.baseTensor);
      QVERIFY2(at::allclose(engine::loraUpdateOf(adapter, m), change, 1e-4, 1e-5), m.module.c_str());
    }
    const auto bias = test::kKnotsQ + ".bias";
    QVERIFY(at::equal(load(dir.file("out.safetensors"), bias), load(zoo.base, bias)));
    // `inspect` reads it as an adapter of the joint rank.
    const auto inspect = runCli({"inspect", q(dir.file("knots")), "--json"});
    QVERIFY2(inspect.exitCode == 0, qPrintable(inspect.err));
    QCOMPARE(nlohmann::json::parse(inspect.out.toStdString())["kind"].get<std::string>(),
             std::string("peft-adapter"));
  }

  void knotsRefusesAFullModelInOneLine() {
    test::TempDir dir;
    const auto zoo = test::writeKnotsZoo(dir);
    const auto r = runCli({"merge", "--method", "knots", "--base", q(zoo.base), "--model", q(zoo.adapters[0]),
                           "--model", q(zoo.finetune), "--out", q(dir.file("out.safetensors"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.trimmed().count('\n') == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("knots merges LoRA adapters: input 2 (" + q(zoo.finetune) +
                            ") is not a PEFT LoRA adapter"),
             qPrintable(r.err));
    const auto badMerge = runCli({"merge", "--method", "knots", "--base", q(zoo.base), "--model",
                                  q(zoo.adapters[0]), "--param", "merge=dare", "--out", q(dir.file("o"))});
    QCOMPARE(badMerge.exitCode, 2);
    QVERIFY2(badMerge.err.contains("merge must be one of ties | task_arithmetic, got 'dare'"),
             qPrintable(badMerge.err));
  }

  void wudiMergesFromTheCommandLineAndARecipe() {
    test::TempDir dir;
    const auto zoo = test::writeKnotsZoo(dir);
    // Full models: the base and the fine-tune, the adapter applied to the base as a second model.
    const auto r = runCli({"merge", "--method", "wudi", "--base", q(zoo.base), "--model", q(zoo.finetune),
                           "--model", q(zoo.adapters[0]), "--param", "steps=20", "--param",
                           "learning_rate=0.001", "--out", q(dir.file("wudi.safetensors"))});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto weight = test::kKnotsQ + ".weight";
    const auto taskArithmetic =
        runCli({"merge", "--method", "task_arithmetic", "--base", q(zoo.base), "--model", q(zoo.finetune),
                "--model", q(zoo.adapters[0]), "--out", q(dir.file("ta.safetensors"))});
    QVERIFY2(taskArithmetic.exitCode == 0, qPrintable(taskArithmetic.err));
    // Matrices move away from task arithmetic; the bias (a vector) is task arithmetic.
    QVERIFY(!at::allclose(load(dir.file("wudi.safetensors"), weight),
                          load(dir.file("ta.safetensors"), weight), 1e-4, 1e-5));
    const auto bias = test::kKnotsQ + ".bias";
    QVERIFY(at::allclose(load(dir.file("wudi.safetensors"), bias), load(dir.file("ta.safetensors"), bias)));
    // The same merge from a mergekit-style recipe gives the same bits.
    test::writeBytes(dir.file("wudi.yml"), "merge_method: wudi\nbase_model: " + zoo.base +
                                               "\nmodels:\n  - model: " + zoo.finetune +
                                               "\n  - model: " + zoo.base + "+" + zoo.adapters[0] +
                                               "\nparameters:\n  steps: 20\n  learning_rate: 0.001\n");
    const auto recipe =
        runCli({"merge", "--config", q(dir.file("wudi.yml")), "--out", q(dir.file("yml.safetensors"))});
    QVERIFY2(recipe.exitCode == 0, qPrintable(recipe.err));
    QVERIFY(at::equal(load(dir.file("yml.safetensors"), weight), load(dir.file("wudi.safetensors"), weight)));
  }
};

MG_TEST_APPLESS_MAIN(KnotsWudiCliTest)
#include "test_knots_wudi_cli.moc"
