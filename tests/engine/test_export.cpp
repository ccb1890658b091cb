// Streaming export of a WeightSet: formats, HF folders, atomicity on NaN/cancel, progress, determinism.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "weights/export.h"
#include "weights/progress.h"
#include "weights/source_weights.h"
#include "io/hf_model_folder.h"
#include "io/safetensors_file.h"
#include "io/safetensors_writer.h"
#include "io/tensor_source.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

using namespace mg;
namespace fs = std::filesystem;

namespace {

// A WeightSet computed in memory: each tensor is filled with its index, optionally poisoned.
class SyntheticWeights : public engine::WeightSet {
public:
  SyntheticWeights(int count, std::vector<std::int64_t> shape, std::set<int> nanAt = {})
      : nanAt_(std::move(nanAt)) {
    for (int i = 0; i < count; ++i)
      infos_.push_back({"t." + std::to_string(100 + i), io::DType::F32, shape});
  }
  const std::vector<io::TensorInfo>& tensors() const override { return infos_; }
  at::Tensor load(const std::string& name) const override {
    ++loads;
    const int i = std::stoi(name.substr(2)) - 100;
    auto t = at::full(find(name)->shape, float(i) + 0.25f);
    if (nanAt_.count(i)) t.view(-1)[0] = std::numeric_limits<float>::quiet_NaN();
    if (delayMs) std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
    return t;
  }
  std::string describe() const override { return "synthetic"; }
  mutable std::atomic<int> loads{0};
  int delayMs = 0;

private:
  std::vector<io::TensorInfo> infos_;
  std::set<int> nanAt_;
};

} // namespace

class ExportTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void singleFileWithDtypeAndMetadata() {
    test::TempDir dir;
    SyntheticWeights w(5, {4, 3});
    engine::ExportOptions o;
    o.dtype = io::DType::BF16;
    o.metadata = {{"merge_method", "test"}};
    const auto report = engine::exportWeights(w, dir.file("out.safetensors"), o);
    QCOMPARE(report.tensors, std::uint64_t(5));
    QCOMPARE(report.bytes, std::uint64_t(5 * 12 * 2));
    io::SafetensorsFile f(dir.file("out.safetensors"));
    QCOMPARE(f.tensors().size(), std::size_t(5));
    QCOMPARE(f.tensors()[2].dtype, io::DType::BF16);
    QCOMPARE(f.metadata().at("merge_method"), std::string("test"));
    QCOMPARE(f.metadata().at("format"), std::string("pt"));
    QCOMPARE(f.loadFloat32("t.103")[0], 3.25f);
  }

  void shardedFolderAndHdf5() {
    test::TempDir dir;
    SyntheticWeights w(10, {64, 64}); // 16 KiB each
    engine::ExportOptions o;
    o.shardBytes = 40 * 1024;
    engine::exportWeights(w, dir.file("folder"), o);
    QVERIFY(fs::exists(dir.file("folder/model.safetensors.index.json")));
    auto sharded = io::openTensorSource(dir.file("folder"));
    QCOMPARE(sharded->tensors().size(), std::size_t(10));
    QCOMPARE(sharded->loadFloat32("t.109")[7], 9.25f);
    engine::exportWeights(w, dir.file("m.h5"), {});
    auto h5 = io::openTensorSource(dir.file("m.h5"));
    QCOMPARE(h5->loadFloat32("t.101")[0], 1.25f);
    // Only the finished outputs are in the folder: no staging leftovers.
    QCOMPARE(test::listFolder(dir.path()), (std::vector<std::string>{"folder", "m.h5"}));
  }

  void hfFolderCopiesConfigAndUpdatesDtype() {
    test::TempDir dir;
    const fs::path base = dir.file("base");
    fs::create_directories(base);
    test::writeBytes((base / "config.json").string(),
                     R"({"architectures": ["MlpClassifier"], "model_type": "mlp", "torch_dtype": "float32",)"
                     R"( "tie_word_embeddings": true})");
    test::writeBytes((base / "tokenizer.json").string(), "{}");
    io::writeSafetensors((base / "model.safetensors").string(),
                         {io::TensorData::fromFloat32("model.embed_tokens.weight", {2, 2}, {1, 2, 3, 4}),
                          io::TensorData::fromFloat32("lm_head.weight", {2, 2}, {1, 2, 3, 5})});
    io::HfModelFolder hf(base.string());
    engine::SourceWeights w(io::openTensorSource(base.string()));
    engine::ExportOptions o;
    o.dtype = io::DType::F16;
    o.hfConfigFrom = &hf;
    engine::exportWeights(w, dir.file("out"), o);
    const auto config = nlohmann::json::parse(test::readBytes(dir.file("out/config.json")));
    QCOMPARE(config["torch_dtype"].get<std::string>(), std::string("float16"));
    QCOMPARE(config["dtype"].get<std::string>(), std::string("float16"));
    QCOMPARE(config["tie_word_embeddings"].get<bool>(), false); // the two matrices differ
    QVERIFY(fs::exists(dir.file("out/tokenizer.json")));
    io::HfModelFolder out(dir.file("out"));
    QCOMPARE(out.tensors().size(), std::size_t(2));
  }

  void nonFiniteIsRefusedAndNothingIsWritten() {
    test::TempDir dir;
    SyntheticWeights w(6, {8}, {1, 4});
    try {
      engine::exportWeights(w, dir.file("bad.safetensors"), {});
      QFAIL("export with NaN succeeded");
    } catch (const engine::NonFiniteError& e) {
      QCOMPARE(e.tensors().size(), std::size_t(2));
      QCOMPARE(e.tensors()[0].name, std::string("t.101"));
      QCOMPARE(e.tensors()[0].count, std::uint64_t(1));
      QVERIFY(std::string(e.what()).find("t.104") != std::string::npos);
    }
    QVERIFY(test::listFolder(dir.path()).empty());
    // Allowed on request, and reported.
    engine::ExportOptions o;
    o.allowNonFinite = true;
    const auto report = engine::exportWeights(w, dir.file("ok.safetensors"), o);
    QCOMPARE(report.nonFinite.size(), std::size_t(2));
  }

  void cancelLeavesNoPartialExport() {
    test::TempDir dir;
    SyntheticWeights w(40, {1024});
    w.delayMs = 5;
    engine::CancelToken cancel;
    engine::ExportOptions o;
    o.cancel = &cancel;
    o.progress = [&](const engine::Progress& p) {
      if (p.tensorsDone == 10) cancel.cancel();
    };
    QVERIFY_THROWS_EXCEPTION(engine::Cancelled, engine::exportWeights(w, dir.file("folder"), o));
    QVERIFY(w.loads < 40);
    QVERIFY(test::listFolder(dir.path()).empty());
  }

  void progressAndParallelDeterminism() {
    test::TempDir dir;
    SyntheticWeights w(20, {33, 7});
    std::vector<std::uint64_t> done;
    engine::ExportOptions serial;
    serial.workers = 1;
    serial.progress = [&](const engine::Progress& p) {
      done.push_back(p.tensorsDone);
      QCOMPARE(p.tensorsTotal, std::uint64_t(20));
    };
    engine::exportWeights(w, dir.file("a.safetensors"), serial);
    QCOMPARE(done.size(), std::size_t(20));
    QCOMPARE(done.back(), std::uint64_t(20));
    engine::ExportOptions parallel;
    parallel.workers = 4;
    engine::exportWeights(w, dir.file("b.safetensors"), parallel);
    QCOMPARE(test::readBytes(dir.file("a.safetensors")), test::readBytes(dir.file("b.safetensors")));
  }

  // Export shares the cores between its workers by lowering LibTorch's intra-op threads while it runs; the
  // thread that exported gets its own setting back (the GUI's and the CLI's later work would crawl on one).
  // Export workers report from several threads; the callback writes a node's status unguarded, so it must
  // run one call at a time (ThreadSanitizer found two at once) and never report fewer tensors than before.
  void progressCallbacksRunOneAtATimeInOrder() {
    constexpr int kThreads = 4, kEach = 300;
    std::atomic<int> inside{0}, mostInside{0};
    std::vector<std::uint64_t> seen; // written only by the callback
    engine::ProgressMeter meter(kThreads * kEach, kThreads * kEach, [&](const engine::Progress& p) {
      const int now = ++inside;
      mostInside = std::max(mostInside.load(), now);
      seen.push_back(p.tensorsDone);
      std::this_thread::sleep_for(std::chrono::microseconds(20)); // a terminal line, a queued signal
      --inside;
    });
    std::vector<std::thread> workers;
    for (int t = 0; t < kThreads; ++t)
      workers.emplace_back([&] {
        for (int i = 0; i < kEach; ++i)
          meter.tensorDone("w", 1);
      });
    for (auto& w : workers)
      w.join();
    QCOMPARE(mostInside.load(), 1);
    QCOMPARE(seen.size(), std::size_t(kThreads * kEach));
    QVERIFY(std::is_sorted(seen.begin(), seen.end()));
    QCOMPARE(seen.back(), std::uint64_t(kThreads * kEach));
  }

  void exportWithWorkersRestoresTheCallersIntraOpThreads() {
    test::TempDir dir;
    SyntheticWeights w(8, {32, 32});
    const int original = at::get_num_threads();
    at::set_num_threads(3); // not what the export picks: cores / workers, at least 1
    engine::ExportOptions o;
    o.workers = 2 * std::max(1, static_cast<int>(std::thread::hardware_concurrency())); // its pick: 1
    engine::exportWeights(w, dir.file("out.safetensors"), o);
    const int after = at::get_num_threads();
    at::set_num_threads(original);
    QCOMPARE(after, 3);
  }

  void parseDtypes() {
    QCOMPARE(engine::parseOutputDtype("bf16"), io::DType::BF16);
    QCOMPARE(engine::parseOutputDtype("float16"), io::DType::F16);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, engine::parseOutputDtype("int8"));
  }
};

MG_TEST_APPLESS_MAIN(ExportTest)
#include "test_export.moc"
