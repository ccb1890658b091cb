// The SVD to LoRA node: task vectors (a Subtract upstream) or an adapter wired in bare (no base) become a
// PEFT adapter whose factors are the truncated SVD of each weight matrix's change: a change of low rank comes
// back exactly, a larger one as its best approximation of the node's rank (Eckart–Young), and
// adapter_config.json names the model the task vectors were taken from (an adapter's own base model). An
// adapter keeps its modules, layouts and whole tensors; a DoRA adapter, whose update needs the base weights,
// is refused.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <cmath>
#include <map>

#include "engine/graph_executor.h"
#include "graph/builtin_node_types.h"
#include "io/peft_adapter.h"
#include "io/safetensors_writer.h"
#include "ops/lora_ops.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

using namespace mg;
using engine::NodeState;
using graph::NodeId;
namespace nt = graph::node_types;

namespace {

constexpr const char* kWeight = "layers.0.fc.weight";

io::TensorData f32(const std::string& name, const at::Tensor& t) {
  return tensor::fromTorch(t, name, io::DType::F32);
}

void check(const graph::MaybeError& error) {
  QVERIFY2(!error, error ? error->c_str() : "");
}

// base.safetensors and tuned.safetensors (base + `delta` on the weight, and a changed bias) → Subtract →
// SVD to LoRA (rank) → Export of the adapter to adapter/.
struct SvdProject {
  test::TempDir dir;
  graph::Document doc;
  NodeId svd = 0, exporter = 0;
  at::Tensor delta;

  SvdProject(const at::Tensor& weightDelta, std::int64_t rank) : delta(weightDelta) {
    at::manual_seed(7);
    const auto w = at::randn(delta.sizes()), b = at::randn({delta.size(0)});
    io::writeSafetensors(dir.file("base.safetensors"), {f32(kWeight, w), f32("layers.0.fc.bias", b)});
    io::writeSafetensors(dir.file("tuned.safetensors"),
                         {f32(kWeight, w + delta), f32("layers.0.fc.bias", b + 0.5)});
    const NodeId base = source("base.safetensors"), tuned = source("tuned.safetensors");
    const NodeId subtract = doc.addNode(nt::kSubtract);
    svd = doc.addNode(nt::kLoraSvd);
    exporter = doc.addNode(nt::kExport);
    check(doc.setParam(svd, "rank", rank));
    check(doc.setParam(exporter, "path", dir.file("adapter")));
    check(doc.connect({base, 0}, {subtract, 0}));
    check(doc.connect({tuned, 0}, {subtract, 1}));
    check(doc.connect({subtract, 0}, {svd, 0}));
    check(doc.connect({svd, 0}, {exporter, 0}));
  }
  NodeId source(const char* file) {
    const NodeId id = doc.addNode(nt::kSourceModel);
    check(doc.setParam(id, "path", dir.file(file)));
    return id;
  }

  engine::RunSummary run() {
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    return executor.run(doc, {exporter}, {}, cancel);
  }
  // The weight change the written adapter applies, and the rank it stores.
  std::pair<at::Tensor, std::int64_t> written() const {
    const io::PeftAdapter adapter(dir.file("adapter"));
    if (adapter.modules().size() != 1) return {};
    const auto& m = adapter.modules().front();
    const auto a = tensor::toTorchFloat32(adapter.load(m.loraA)),
               b = tensor::toTorchFloat32(adapter.load(m.loraB));
    return {ops::loraDelta(a, b, m.scaling), m.rank};
  }
};

std::string messages(const engine::RunSummary& summary) {
  std::string text = summary.failure;
  for (const auto& [id, s] : summary.nodes)
    text += "\n" + std::to_string(id) + " " + engine::nodeStateName(s.state) + " " + s.message;
  return text;
}

double relativeError(const at::Tensor& approximation, const at::Tensor& exact) {
  return (approximation - exact).norm().item<double>() / exact.norm().item<double>();
}

// Eckart–Young: the smallest relative error of a rank-`rank` approximation of `delta`.
double bestRelativeError(const at::Tensor& delta, std::int64_t rank) {
  const auto sigma = at::linalg_svdvals(delta.to(at::kDouble));
  return std::sqrt(sigma.slice(0, rank).pow(2).sum().item<double>() / sigma.pow(2).sum().item<double>());
}

// A module of a PEFT adapter written by the test: its factors and the update s·B·A they stand for, in the
// layout of the module's weight.
struct AdapterModule {
  std::string module;
  at::Tensor A, B;
  bool embedding = false;
};

// What a written adapter applies, module by module (s·B·A in the weight's layout).
std::map<std::string, at::Tensor> updatesOf(const io::PeftAdapter& adapter) {
  std::map<std::string, at::Tensor> updates;
  for (const auto& m : adapter.modules()) {
    const auto layout = m.embedding                    ? ops::LoraLayout::Embedding
                        : adapter.config().fanInFanOut ? ops::LoraLayout::FanInFanOut
                                                       : ops::LoraLayout::Linear;
    updates[m.module] = ops::loraDelta(tensor::toTorchFloat32(adapter.load(m.loraA)),
                                       tensor::toTorchFloat32(adapter.load(m.loraB)), m.scaling, layout);
  }
  return updates;
}

// adapter folder `in` (config, modules, extra tensors) → SVD to LoRA (rank), no base anywhere → Export to
// out/.
struct AdapterSvdProject {
  test::TempDir dir;
  graph::Document doc;
  NodeId svd = 0, exporter = 0;

  AdapterSvdProject(const io::LoraConfig& config, const std::vector<AdapterModule>& modules,
                    std::vector<io::TensorData> extra, std::int64_t rank) {
    for (const auto& m : modules) {
      extra.push_back(f32(io::peftKey(m.module, m.embedding ? "lora_embedding_A" : "lora_A"), m.A));
      extra.push_back(f32(io::peftKey(m.module, m.embedding ? "lora_embedding_B" : "lora_B"), m.B));
    }
    io::writePeftAdapter(dir.file("in"), config, extra);
    const NodeId source = doc.addNode(nt::kSourceAdapter);
    svd = doc.addNode(nt::kLoraSvd);
    exporter = doc.addNode(nt::kExport);
    check(doc.setParam(source, "path", dir.file("in")));
    check(doc.setParam(svd, "rank", rank));
    check(doc.setParam(exporter, "path", dir.file("out")));
    check(doc.connect({source, 0}, {svd, 0}));
    check(doc.connect({svd, 0}, {exporter, 0}));
  }

  engine::RunSummary run() {
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    return executor.run(doc, {exporter}, {}, cancel);
  }
};

} // namespace

class SvdToLoraTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aDeltaOfLowRankRoundTripsExactly() {
    at::manual_seed(1);
    SvdProject p(at::randn({24, 3}).mm(at::randn({3, 16})), /*rank=*/8); // rank 3
    const auto summary = p.run();
    QVERIFY2(summary.ok(), messages(summary).c_str());
    const auto [applied, rank] = p.written();
    QVERIFY(applied.defined());
    QCOMPARE(rank, std::int64_t(3)); // no more than the change has
    QVERIFY(at::allclose(applied, p.delta, 1e-4, 1e-4));
    // The bias changed too: an adapter of task vectors cannot carry it, and the node says so.
    const auto& status = summary.nodes.at(p.svd);
    QCOMPARE(status.warnings.size(), std::size_t(1));
    QVERIFY2(status.warnings.front().find("layers.0.fc.bias") != std::string::npos,
             status.warnings.front().c_str());
    // The base the task vectors were taken from is the adapter's base model.
    const io::PeftAdapter adapter(p.dir.file("adapter"));
    QCOMPARE(adapter.config().baseModelNameOrPath, p.dir.file("base.safetensors"));
  }

  void aLargerRankIsTruncatedToTheBestApproximation() {
    at::manual_seed(2);
    SvdProject p(at::randn({24, 16}), /*rank=*/4); // full rank 16
    const auto summary = p.run();
    QVERIFY2(summary.ok(), messages(summary).c_str());
    const auto [applied, rank] = p.written();
    QVERIFY(applied.defined());
    QCOMPARE(rank, std::int64_t(4));
    // Eckart–Young: the best rank-4 error is the norm of the singular values beyond the fourth.
    const auto sigma = at::linalg_svdvals(p.delta.to(at::kDouble));
    const double best =
        std::sqrt(sigma.slice(0, 4).pow(2).sum().item<double>() / sigma.pow(2).sum().item<double>());
    QVERIFY(best > 0.1); // a real truncation
    QVERIFY2(std::abs(relativeError(applied, p.delta) - best) < 1e-4,
             (std::to_string(relativeError(applied, p.delta)) + " vs " + std::to_string(best)).c_str());
  }

  // Rank 8 on paper (r = 8, alpha = 16: s = 2), rank 3 in fact, in a linear and an embedding module, with a
  // modules_to_save head: the written adapter has rank 3 and applies the same update to every module, in the
  // same layout, and keeps the head and the base model's name.
  void anAdapterOfLowRankBecomesAnAdapterOfThatRankWithTheSameUpdate() {
    io::LoraConfig config;
    config.r = 8;
    config.loraAlpha = 16;
    config.targetModules = {"fc", "embed_tokens"};
    config.modulesToSave = {"score"};
    config.baseModelNameOrPath = "org/base-model";
    at::manual_seed(3);
    const std::vector<AdapterModule> modules{
        {"layers.0.fc", at::randn({8, 16}), at::randn({24, 3}).mm(at::randn({3, 8}))},
        {"model.embed_tokens", at::randn({8, 50}), at::randn({12, 3}).mm(at::randn({3, 8})), true}};
    const auto head = f32("base_model.model.score.weight", at::randn({4, 12}));
    AdapterSvdProject p(config, modules, {head}, /*rank=*/8);
    const auto summary = p.run();
    QVERIFY2(summary.ok(), messages(summary).c_str());

    const io::PeftAdapter in(p.dir.file("in")), out(p.dir.file("out"));
    const auto expected = updatesOf(in), written = updatesOf(out);
    QCOMPARE(written.size(), expected.size()); // the same modules
    for (const auto& m : out.modules()) {
      QCOMPARE(m.rank, 3);
      QCOMPARE(m.embedding, m.module == "model.embed_tokens");
      const auto& update = expected.at(m.module);
      QCOMPARE(written.at(m.module).sizes(), update.sizes());
      QVERIFY2(relativeError(written.at(m.module), update) < 1e-5, m.module.c_str());
    }
    // The head cannot be reduced: it is carried over byte for byte, still a modules_to_save entry.
    QCOMPARE(out.config().modulesToSave, std::vector<std::string>{"score"});
    QCOMPARE(out.replacements().size(), std::size_t(1));
    QVERIFY(out.load(out.replacements().at("score.weight")).bytes == head.bytes);
    QCOMPARE(out.config().baseModelNameOrPath, std::string("org/base-model"));
  }

  // A full-rank fan_in_fan_out (GPT-2 Conv1D) adapter with rsLoRA scaling, cut to rank 2: every module's
  // update is its best rank-2 approximation, and the adapter keeps the Conv1D layout.
  void anAdapterTruncatedToRank2GivesTheBestRank2UpdatePerModule() {
    io::LoraConfig config;
    config.r = 8;
    config.loraAlpha = 8;
    config.useRslora = true;
    config.fanInFanOut = true;
    config.targetModules = {"c_attn", "c_fc"};
    at::manual_seed(4);
    const std::vector<AdapterModule> modules{{"h.0.attn.c_attn", at::randn({8, 16}), at::randn({48, 8})},
                                             {"h.0.mlp.c_fc", at::randn({8, 16}), at::randn({64, 8})}};
    AdapterSvdProject p(config, modules, {}, /*rank=*/2);
    const auto summary = p.run();
    QVERIFY2(summary.ok(), messages(summary).c_str());

    const io::PeftAdapter in(p.dir.file("in")), out(p.dir.file("out"));
    QVERIFY(out.config().fanInFanOut);
    const auto expected = updatesOf(in), written = updatesOf(out);
    QCOMPARE(written.size(), std::size_t(2));
    for (const auto& m : out.modules()) {
      QCOMPARE(m.rank, 2);
      const auto& update = expected.at(m.module);
      QCOMPARE(written.at(m.module).sizes(), update.sizes()); // [in, out], as the Conv1D weight
      const double best = bestRelativeError(update, 2), error = relativeError(written.at(m.module), update);
      QVERIFY(best > 0.1); // a real truncation
      QVERIFY2(std::abs(error - best) < 1e-4,
               (m.module + ": " + std::to_string(error) + " vs " + std::to_string(best)).c_str());
    }
  }

  // DoRA rescales rows to norms of the base weights: without the base there is no update to reduce.
  void aDoraAdapterIsRefusedWithOneLineNamingIt() {
    io::LoraConfig config;
    config.r = 4;
    config.loraAlpha = 4;
    config.useDora = true;
    config.targetModules = {"fc"};
    at::manual_seed(5);
    AdapterSvdProject p(config, {{"layers.0.fc", at::randn({4, 16}), at::randn({24, 4})}},
                        {f32(io::peftKey("layers.0.fc", "lora_magnitude_vector"), at::rand({24}) + 1)},
                        /*rank=*/2);
    const auto summary = p.run();
    QVERIFY(!summary.ok());
    const auto& status = summary.nodes.at(p.svd);
    QCOMPARE(status.state, NodeState::Failed);
    for (const std::string& part : {p.dir.file("in"), std::string("DoRA"), std::string("base")})
      QVERIFY2(status.message.find(part) != std::string::npos, status.message.c_str());
    QVERIFY2(status.message.find('\n') == std::string::npos, status.message.c_str());
  }
};

MG_TEST_APPLESS_MAIN(SvdToLoraTest)
#include "test_svd_to_lora.moc"
