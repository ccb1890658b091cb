// The SVD to LoRA node: task vectors (a Subtract upstream) become a PEFT adapter whose factors are the
// truncated SVD of each weight matrix's change: a change of low rank comes back exactly, a larger one as its
// best approximation of the node's rank (Eckart–Young), and adapter_config.json names the model the task
// vectors were taken from.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <cmath>

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
    const auto f32 = [](const char* name, const at::Tensor& t) {
      return tensor::fromTorch(t, name, io::DType::F32);
    };
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
};

MG_TEST_APPLESS_MAIN(SvdToLoraTest)
#include "test_svd_to_lora.moc"
