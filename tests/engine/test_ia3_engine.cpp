// IA³ adapters through the engine, against tests/reference/ia3_reference.py (written from the IA³ equations):
// a classifier base with an IA³ applied (AdapterWeights: PEFT's merge W ⊙ l, biases of output-scaled
// modules), routing among IA³ specialists (one-hot = the merged model), the Concatenate node combining IA³
// adapters by PEFT's weighted IA³ merge (and refusing a mix with LoRA), an exported base + IA³ language model
// scoring like the unmerged one, parameter embeddings of IA³ adapters (l − 1 per module), and the
// LoRA-only paths refusing IA³ with a one-line reason.
#include "support/test_registry.h"
#include <QProcess>
#include <QtTest>
#include <ATen/ATen.h>

#include "embed/param_embedding.h"
#include "engine/graph_executor.h"
#include "graph/builtin_node_types.h"
#include "io/hf_model_folder.h"
#include "io/peft_adapter.h"
#include "io/safetensors_file.h"
#include "lm/causal_lm.h"
#include "route/adapter_library.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"
#include "weights/adapter_delta.h"
#include "weights/adapter_weights.h"
#include "weights/export.h"
#include "weights/open_weights.h"

using namespace mg;
using graph::NodeId;
namespace nt = graph::node_types;

namespace {

std::string runReference(const std::string& mode, const test::TempDir& dir) {
  const std::string python = MG_REFERENCE_PYTHON;
  if (python.empty()) return "skip: no /usr/bin/python3 found at configure time";
  QProcess process;
  process.start(QString::fromStdString(python),
                {QString(MG_REFERENCE_DIR) + "/ia3_reference.py", QString::fromStdString(mode),
                 QString::fromStdString(dir.path())});
  if (!process.waitForFinished(120'000)) return "the reference did not finish";
  if (process.exitCode() == 77) return "skip: " + process.readAllStandardError().toStdString();
  if (process.exitCode() != 0) return process.readAllStandardError().toStdString();
  return {};
}

at::Tensor expected(const std::string& file, const std::string& name) {
  return tensor::toTorchFloat32(io::SafetensorsFile(file).load(name)).to(at::kDouble);
}

double maxDifference(const at::Tensor& a, const at::Tensor& b) {
  return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

void check(const graph::MaybeError& error) {
  QVERIFY2(!error, error ? error->c_str() : "");
}

} // namespace

class Ia3EngineTest : public QObject {
  Q_OBJECT
  test::TempDir dir_;
  std::string file(const std::string& name) const { return dir_.file(name); }
  std::string expectedFile() const { return file("expected.safetensors"); }
  engine::WeightSetPtr base() const { return engine::openWeights(file("base.safetensors"), nullptr).weights; }
  std::shared_ptr<const io::PeftAdapter> adapter(const std::string& name) const {
    return std::make_shared<const io::PeftAdapter>(file(name));
  }

private Q_SLOTS:
  void initTestCase() {
    const auto problem = runReference("weights", dir_);
    if (problem.rfind("skip: ", 0) == 0) QSKIP(problem.c_str());
    QVERIFY2(problem.empty(), problem.c_str());
  }

  void mergedClassifierWeightsMatchTheReference() {
    for (const std::string name : {"x", "y"}) {
      const auto applied = engine::openWeights(file(name), base());
      QVERIFY(applied.isAdapter);
      for (const auto& info : applied.weights->tensors()) {
        const auto diff = maxDifference(applied.weights->load(info.name),
                                        expected(expectedFile(), "merged_" + name + "." + info.name));
        QVERIFY2(diff < 1e-6, (name + " " + info.name + ": " + std::to_string(diff)).c_str());
      }
    }
    // The task vector of an IA³ weight is W ⊙ (l − 1); its feed-forward module's bias is unchanged.
    const engine::AdapterWeights x(base(), adapter("x"));
    QVERIFY(!x.delta("layers.1.bias").defined());
    QVERIFY(maxDifference(x.delta("layers.0.bias"), expected(expectedFile(), "merged_x.layers.0.bias") -
                                                        base()->load("layers.0.bias")) < 1e-6);
    QVERIFY(!x.factors("layers.0.weight").has_value());
  }

  void routingOneHotIsTheMergedModel() {
    const route::AdapterLibrary library(base(), {{"x", adapter("x")}, {"y", adapter("y")}});
    QVERIFY(library.isIa3(0) && library.isIa3(1));
    at::manual_seed(3);
    const auto inputs = at::randn({5, 8});
    for (std::int64_t j = 0; j < 2; ++j) {
      const std::string name = j == 0 ? "merged_x." : "merged_y.";
      auto mix = at::zeros({5, 2});
      mix.select(1, j).fill_(1);
      const auto routed = library.mixedForward(inputs, "", mix);
      const auto e = [&](const std::string& t) { return expected(expectedFile(), name + t).to(at::kFloat); };
      auto h = at::relu(at::addmm(e("layers.0.bias"), inputs, e("layers.0.weight").t()));
      h = at::relu(at::addmm(e("layers.1.bias"), h, e("layers.1.weight").t()));
      const auto logits = at::addmm(e("head.bias"), h, e("head.weight").t());
      QVERIFY2(maxDifference(routed, logits) < 1e-4, std::to_string(maxDifference(routed, logits)).c_str());
    }
  }

  void concatenateNodeIsPeftsWeightedIa3Merge() {
    graph::Document doc;
    const auto source = [&](const std::string& path) {
      const NodeId id = doc.addNode(nt::kSourceAdapter);
      check(doc.setParam(id, "path", path));
      return id;
    };
    const NodeId x = source(file("x")), y = source(file("y"));
    const NodeId cat = doc.addNode(nt::kLoraCat);
    const NodeId exporter = doc.addNode(nt::kExport);
    check(doc.connect({x, 0}, {cat, 0}, 0.7));
    check(doc.connect({y, 0}, {cat, 1}, -0.2));
    check(doc.connect({cat, 0}, {exporter, 0}));
    check(doc.setParam(exporter, "path", file("weighted")));
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto summary = executor.run(doc, {exporter}, {}, cancel);
    QVERIFY2(summary.ok(), summary.nodes.at(cat).message.c_str());
    const io::PeftAdapter merged(file("weighted"));
    QVERIFY(merged.isIa3());
    QCOMPARE(merged.ia3Modules().size(), std::size_t(3));
    for (const auto& m : merged.ia3Modules()) {
      QCOMPARE(m.feedforward, m.module != "layers.0"); // layers.1 and head scale their inputs
      const auto l = tensor::toTorchFloat32(merged.load(m.key)).reshape(-1);
      QVERIFY2(maxDifference(l, expected(expectedFile(), "weighted." + m.module)) < 1e-6, m.module.c_str());
    }
    merged.validateAgainst(io::SafetensorsFile(file("base.safetensors")));

    // A LoRA among IA³ inputs is refused with the reason.
    io::LoraConfig lora;
    lora.r = 1;
    lora.loraAlpha = 1;
    io::writePeftAdapter(
        file("lora"), lora,
        {tensor::fromTorch(at::ones({1, 8}), io::peftKey("layers.0", "lora_A"), io::DType::F32),
         tensor::fromTorch(at::ones({16, 1}), io::peftKey("layers.0", "lora_B"), io::DType::F32)});
    check(doc.connect({source(file("lora")), 0}, {cat, 2}));
    const auto mixed = executor.run(doc, {exporter}, {}, cancel);
    QVERIFY(!mixed.ok());
    const std::string message = mixed.nodes.at(cat).message;
    QVERIFY2(message.find("one kind") != std::string::npos && message.find("LORA") != std::string::npos &&
                 message.find("IA3") != std::string::npos,
             message.c_str());
  }

  void loraOnlyPathsRefuseIa3() {
    try {
      engine::AdapterDelta delta(adapter("x"));
      QFAIL("AdapterDelta took an IA³ adapter");
    } catch (const std::runtime_error& e) {
      QVERIFY2(std::string(e.what()).find("is an IA³ adapter") != std::string::npos, e.what());
      QVERIFY(std::string(e.what()).find(file("x")) != std::string::npos);
    }
  }

  void parameterEmbeddingsAreTheScalingVectors() {
    // Exact form: l − 1 per module under "<module>.ia3_l", tensors in name order (head, layers.0, layers.1),
    // zeros where an adapter has no such module.
    const auto embeddings = embed::parameterEmbeddings(
        {{"x", adapter("x"), nullptr, nullptr}, {"y", adapter("y"), nullptr, nullptr}},
        {0, 0, nullptr, nullptr});
    QCOMPARE(embeddings.size(), std::size_t(2));
    QCOMPARE(embeddings[0].size(), std::size_t(12 + 16 + 16));
    const auto vec = [](const std::vector<float>& v) {
      return at::tensor(at::ArrayRef<float>(v)).to(at::kDouble);
    };
    const auto l = [&](const std::string& a, const std::string& m) {
      return tensor::toTorchFloat32(adapter(a)->load(io::ia3Key(m))).reshape(-1).to(at::kDouble) - 1;
    };
    const auto wantX = at::cat({at::zeros({12}, at::kDouble), l("x", "layers.0"), l("x", "layers.1")});
    const auto wantY = at::cat({l("y", "head"), l("y", "layers.0"), at::zeros({16}, at::kDouble)});
    QVERIFY(maxDifference(vec(embeddings[0]), wantX) < 1e-6);
    QVERIFY(maxDifference(vec(embeddings[1]), wantY) < 1e-6);
    // The default sketch keeps their cosine similarity up to sampling noise.
    const auto sketch = embed::parameterEmbeddings(
        {{"x", adapter("x"), nullptr, nullptr}, {"y", adapter("y"), nullptr, nullptr}});
    const auto cosine = [](const at::Tensor& a, const at::Tensor& b) {
      return (a * b).sum().item<double>() / (a.norm().item<double>() * b.norm().item<double>());
    };
    QVERIFY(std::abs(cosine(vec(sketch[0]), vec(sketch[1])) - cosine(wantX, wantY)) < 0.15);
  }

  void exportedBasePlusIa3ScoresLikeTheUnmergedModel() {
    test::TempDir lmDir;
    const auto problem = runReference("lm", lmDir);
    QVERIFY2(problem.empty(), problem.c_str());
    const auto llama = lmDir.file("llama");
    const auto applied =
        engine::openWeights(lmDir.file("llama-i"), engine::openWeights(llama, nullptr).weights);
    const io::HfModelFolder hf(llama);
    engine::ExportOptions options;
    options.hfConfigFrom = &hf;
    engine::exportWeights(*applied.weights, lmDir.file("exported"), options);
    lm::LoadOptions unmerged;
    unmerged.adapters = {lmDir.file("llama-i")};
    const auto ids = at::randint(6, 200, {2, 9}, at::kLong);
    const auto a = lm::CausalLm::load(lmDir.file("exported"))->forward(ids);
    const auto b = lm::CausalLm::load(llama, unmerged)->forward(ids);
    QVERIFY2(maxDifference(a, b) < 1e-4, std::to_string(maxDifference(a, b)).c_str());
    QVERIFY(maxDifference(lm::CausalLm::load(llama)->forward(ids), b) > 1e-2);
  }
};

MG_TEST_GUILESS_MAIN(Ia3EngineTest)
#include "test_ia3_engine.moc"
