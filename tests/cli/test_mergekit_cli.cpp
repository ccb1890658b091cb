// mergekit YAML on the command line: `merge --config` gives the tensors of the equivalent `merge --method
// ... --param` command line, `import` writes a project whose `run` gives them too, `export-yaml` writes the
// recipe back, and every kind of bad file is one line on stderr with exit status 2.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <filesystem>

#include "io/safetensors_file.h"
#include "io/safetensors_writer.h"
#include "mergekit/yaml_reader.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

using namespace mg;
using test::runCli;
namespace fs = std::filesystem;

namespace {

QString qpath(const std::string& s) {
  return QString::fromStdString(s);
}

// base, a, b: three layers of attention and MLP weights plus an embedding, with distinct values.
void writeLayeredModels(const test::TempDir& dir) {
  fs::create_directories(dir.file("models"));
  const auto write = [&](const std::string& name, float seed) {
    std::vector<io::TensorData> tensors;
    at::manual_seed(static_cast<std::uint64_t>(seed * 100));
    tensors.push_back(
        tensor::fromTorch(at::randn({6, 4}) + seed, "model.embed_tokens.weight", io::DType::F32));
    for (int layer = 0; layer < 3; ++layer) {
      const std::string prefix = "model.layers." + std::to_string(layer);
      tensors.push_back(
          tensor::fromTorch(at::randn({4, 4}) + seed, prefix + ".self_attn.q_proj.weight", io::DType::F32));
      tensors.push_back(
          tensor::fromTorch(at::randn({8, 4}) - seed, prefix + ".mlp.up_proj.weight", io::DType::F32));
    }
    io::writeSafetensors(dir.file("models/" + name + ".safetensors"), tensors);
  };
  write("base", 0.0f);
  write("a", 0.5f);
  write("b", -0.25f);
}

void compareOutputs(const std::string& left, const std::string& right) {
  const io::SafetensorsFile a(left), b(right);
  QCOMPARE(a.tensors().size(), b.tensors().size());
  for (const auto& info : a.tensors()) {
    const auto x = tensor::toTorchFloat32(a.load(info.name));
    const auto y = tensor::toTorchFloat32(b.load(info.name));
    QVERIFY2(at::equal(x, y), info.name.c_str());
  }
}

const char* kTiesRecipe = R"(merge_method: ties
base_model: models/base.safetensors
models:
  - model: models/base.safetensors
  - model: models/a.safetensors
    parameters:
      weight: [0.2, 1.0]
      density: 0.6
  - model: models/b.safetensors
    parameters:
      weight:
        - filter: mlp
          value: 0.7
        - value: 0.3
      density: 0.8
parameters:
  lambda: 0.9
dtype: float32
)";

} // namespace

class MergekitCliTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  // The same tensors as the command line that says the same thing.
  void configMatchesCommandLine() {
    test::TempDir dir;
    writeLayeredModels(dir);
    test::writeBytes(dir.file("recipe.yml"), kTiesRecipe);
    const auto fromYaml = runCli(
        {"merge", "--config", qpath(dir.file("recipe.yml")), "--out", qpath(dir.file("yaml.safetensors"))});
    QVERIFY2(fromYaml.exitCode == 0, qPrintable(fromYaml.err));
    const auto fromArgs = runCli({"merge",
                                  "--method",
                                  "ties",
                                  "--base",
                                  qpath(dir.file("models/base.safetensors")),
                                  "--model",
                                  qpath(dir.file("models/a.safetensors")),
                                  "--model",
                                  qpath(dir.file("models/b.safetensors")),
                                  "--model-param",
                                  "1:weight=grad(0.2,1.0)",
                                  "--model-param",
                                  "1:density=0.6",
                                  "--model-param",
                                  "2:weight@sub:mlp=0.7",
                                  "--model-param",
                                  "2:weight=0.3",
                                  "--model-param",
                                  "2:density=0.8",
                                  "--param",
                                  "lambda=0.9",
                                  "--compute-dtype",
                                  "f32",
                                  "--out",
                                  qpath(dir.file("args.safetensors"))});
    QVERIFY2(fromArgs.exitCode == 0, qPrintable(fromArgs.err));
    compareOutputs(dir.file("yaml.safetensors"), dir.file("args.safetensors"));
  }

  // import → run gives the same file as merge --config; export-yaml gives the recipe back.
  void importRunAndExportYaml() {
    test::TempDir dir;
    writeLayeredModels(dir);
    test::writeBytes(dir.file("recipe.yml"), kTiesRecipe);
    const auto direct = runCli(
        {"merge", "--config", qpath(dir.file("recipe.yml")), "--out", qpath(dir.file("direct.safetensors"))});
    QVERIFY2(direct.exitCode == 0, qPrintable(direct.err));
    const auto imported =
        runCli({"import", qpath(dir.file("recipe.yml")), "--out", qpath(dir.file("p.mgproj"))});
    QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
    QVERIFY2(imported.out.contains("merge node 1"), qPrintable(imported.out));
    const auto exported = runCli(
        {"export-yaml", qpath(dir.file("p.mgproj")), "--node", "1", "--out", qpath(dir.file("back.yml"))});
    QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
    const auto back = mergekit::readConfig(dir.file("back.yml"));
    QCOMPARE(back.models.size(), std::size_t(2));
    QCOMPARE(back.mergeMethod, std::string("ties"));
    const auto notMerge = runCli({"export-yaml", qpath(dir.file("p.mgproj")), "--node", "2"});
    QCOMPARE(notMerge.exitCode, 2);
    QVERIFY2(notMerge.err.contains("is not a merge node"), qPrintable(notMerge.err));

    // The project's Export node writes beside the recipe: recipe-merged (a folder for a file model).
    const auto ran = runCli({"run", qpath(dir.file("p.mgproj"))});
    QVERIFY2(ran.exitCode == 0, qPrintable(ran.err + ran.out));
    const std::string out = dir.file("recipe-merged");
    const std::string file = fs::is_directory(out) ? out + "/model.safetensors" : out;
    QVERIFY2(fs::exists(file), file.c_str());
    compareOutputs(dir.file("direct.safetensors"), file);
  }

  // Each bad file: one line naming the file, the line and the key; exit status 2.
  void badRecipesExitTwo_data() {
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("expected");
    QTest::newRow("syntax") << "merge_method: linear\nmodels: [\n  - model: a\n"
                            << ":3: YAML syntax error";
    QTest::newRow("unknown key")
        << "merge_method: linear\nmodels:\n  - model: models/a.safetensors\nweights: 1\n"
        << ":4: weights: unknown key";
    QTest::newRow("missing model") << "merge_method: linear\nmodels:\n  - parameters: {weight: 1}\n"
                                   << ":3: models[0].model: missing";
    QTest::newRow("wrong type") << "merge_method: linear\nmodels:\n  - model: models/a.safetensors\n    "
                                   "parameters:\n      weight: {filter: [1], value: 1}\n"
                                << ":5: models[0].parameters.weight.filter: expected text, got a list";
    QTest::newRow("unknown method")
        << "merge_method: frankenmerge\nmodels:\n  - model: models/a.safetensors\n"
        << ":1: merge_method: unknown merge method 'frankenmerge'";
    QTest::newRow("hub id")
        << "merge_method: linear\nmodels:\n  - model: meta-llama/Llama-2-7b-hf\n"
        << ":3: models[0].model: 'meta-llama/Llama-2-7b-hf' is not a local file or folder";
  }
  void badRecipesExitTwo() {
    QFETCH(QString, yaml);
    QFETCH(QString, expected);
    test::TempDir dir;
    writeLayeredModels(dir);
    test::writeBytes(dir.file("bad.yml"), yaml.toStdString());
    // merge --config for every kind; import reads the file the same way (one kind is enough to show it).
    std::vector<QStringList> runs = {
        {"merge", "--config", qpath(dir.file("bad.yml")), "--out", qpath(dir.file("o.safetensors"))}};
    if (QByteArray(QTest::currentDataTag()) == "syntax")
      runs.push_back({"import", qpath(dir.file("bad.yml")), "--out", qpath(dir.file("o.mgproj"))});
    for (const QStringList& args : runs) {
      const auto r = runCli(args);
      QCOMPARE(r.exitCode, 2);
      const QString line = r.err.trimmed();
      QVERIFY2(!line.contains('\n'), qPrintable(r.err));
      QVERIFY2(line.startsWith(qpath(dir.file("bad.yml")) + expected), qPrintable(r.err));
    }
    QVERIFY(!fs::exists(dir.file("o.safetensors")));
    QVERIFY(!fs::exists(dir.file("o.mgproj")));
  }
};

MG_TEST_MAIN(MergekitCliTest)
#include "test_mergekit_cli.moc"
