// Parameter embeddings as a user relies on them: identical adapters embed identically (similarity 1), the
// sketch agrees with the exact flattened task vector on cosine similarities, a LoRA and the fine-tune with
// the same change land on the same point (one space), the same seed gives the same numbers, and adapters of
// different bases are refused with a reason.
#include "support/test_registry.h"
#include <QtTest>

#include <ATen/ATen.h>

#include "embed/embed_tasks.h"
#include "embed/param_embedding.h"
#include "embed/similarity.h"
#include "weights/source_weights.h"
#include "io/peft_adapter.h"
#include "io/safetensors_file.h"
#include "io/safetensors_writer.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

using namespace mg;

namespace {

struct Factors {
  at::Tensor a0, b0, a1, b1; // modules layers.0 [32 x 48] and layers.1 [16 x 32], rank 4
};

Factors randomFactors(std::uint64_t seed) {
  at::manual_seed(seed);
  return {at::randn({4, 48}), at::randn({32, 4}), at::randn({4, 32}), at::randn({16, 4})};
}

// A PEFT adapter with r 4, alpha 8 (scaling 2).
std::shared_ptr<const io::PeftAdapter> writeAdapter(const test::TempDir& dir, const std::string& name,
                                                    const Factors& f) {
  io::LoraConfig config;
  config.r = 4;
  config.loraAlpha = 8;
  config.targetModules = {"layers.0", "layers.1"};
  const auto folder = dir.file(name);
  io::writePeftAdapter(folder, config,
                       {tensor::fromTorch(f.a0, io::peftKey("layers.0", "lora_A"), io::DType::F32),
                        tensor::fromTorch(f.b0, io::peftKey("layers.0", "lora_B"), io::DType::F32),
                        tensor::fromTorch(f.a1, io::peftKey("layers.1", "lora_A"), io::DType::F32),
                        tensor::fromTorch(f.b1, io::peftKey("layers.1", "lora_B"), io::DType::F32)});
  return std::make_shared<io::PeftAdapter>(folder);
}

// The same change as dense task vectors (what W_ft − W_base of a fine-tune holds), plus an unchanged bias.
engine::WeightSetPtr writeDense(const test::TempDir& dir, const std::string& name, const Factors& f) {
  const auto path = dir.file(name + ".safetensors");
  io::writeSafetensors(path, {tensor::fromTorch(at::zeros({32}), "layers.0.bias", io::DType::F32),
                              tensor::fromTorch(2 * at::mm(f.b0, f.a0), "layers.0.weight", io::DType::F32),
                              tensor::fromTorch(2 * at::mm(f.b1, f.a1), "layers.1.weight", io::DType::F32)});
  return std::make_shared<engine::SourceWeights>(std::make_shared<io::SafetensorsFile>(path));
}

embed::TaskVector adapterItem(const std::string& name, std::shared_ptr<const io::PeftAdapter> adapter) {
  embed::TaskVector item;
  item.name = name;
  item.adapter = std::move(adapter);
  return item;
}

} // namespace

class ParamEmbeddingTest : public QObject {
  Q_OBJECT
  test::TempDir dir_;
  std::vector<embed::TaskVector> items_; // a, a copy of a, b, a mix of a and b, c

private Q_SLOTS:
  void initTestCase() {
    const Factors a = randomFactors(1), b = randomFactors(2), c = randomFactors(3);
    // Mostly a with some b (the factors' products mix: B·A of the mix is close to a's).
    Factors mix{a.a0, a.b0 + 0.5 * b.b0, a.a1, a.b1 + 0.5 * b.b1};
    items_ = {
        adapterItem("a", writeAdapter(dir_, "a", a)), adapterItem("a copy", writeAdapter(dir_, "a2", a)),
        adapterItem("b", writeAdapter(dir_, "b", b)), adapterItem("mix", writeAdapter(dir_, "mix", mix)),
        adapterItem("c", writeAdapter(dir_, "c", c))};
  }

  void identicalAdaptersEmbedIdentically() {
    for (const std::int64_t dims : {std::int64_t(0), std::int64_t(256)}) {
      embed::ParamEmbeddingOptions options;
      options.dimensions = dims;
      const auto vectors = embed::parameterEmbeddings(items_, options);
      QCOMPARE(vectors.size(), items_.size());
      QCOMPARE(vectors[0], vectors[1]);
      QCOMPARE(embed::cosineSimilarity(vectors[0], vectors[1]), 1.0);
      QVERIFY(vectors[0] != vectors[2]);
      if (dims == 0)
        QCOMPARE(vectors[0].size(), std::size_t(32 * 48 + 16 * 32));
      else
        QCOMPARE(vectors[0].size(), std::size_t(dims));
    }
  }

  void exactVectorIsTheFlattenedDelta() {
    embed::ParamEmbeddingOptions options;
    options.dimensions = 0;
    const auto vectors = embed::parameterEmbeddings({items_[0]}, options);
    const Factors a = randomFactors(1);
    const at::Tensor expected =
        at::cat({(2 * at::mm(a.b0, a.a0)).flatten(), (2 * at::mm(a.b1, a.a1)).flatten()});
    const at::Tensor got =
        at::from_blob(const_cast<float*>(vectors[0].data()), {std::int64_t(vectors[0].size())});
    QVERIFY(at::allclose(got, expected, 1e-5, 1e-4));
  }

  void sketchAgreesWithExactOnCosineSimilarity() {
    embed::ParamEmbeddingOptions exact, sketch;
    exact.dimensions = 0;
    sketch.dimensions = 4096;
    const auto e = embed::cosineSimilarityMatrix(embed::parameterEmbeddings(items_, exact));
    const auto s = embed::cosineSimilarityMatrix(embed::parameterEmbeddings(items_, sketch));
    double worst = 0;
    for (std::size_t i = 0; i < e.size(); ++i)
      for (std::size_t j = 0; j < e.size(); ++j)
        worst = std::max(worst, std::abs(e[i][j] - s[i][j]));
    qInfo("largest |cos_sketch - cos_exact| with 4096 dimensions: %.4f (exact a-mix %.3f, a-b %.3f)", worst,
          e[0][3], e[0][2]);
    QVERIFY2(worst < 0.06, qPrintable(QString::number(worst)));
    // The order that matters: a is far closer to the mix than to b, in both.
    QVERIFY(e[0][3] > e[0][2] + 0.3);
    QVERIFY(s[0][3] > s[0][2] + 0.3);
  }

  void aLoraAndTheSameDenseChangeShareAPoint() {
    // The fine-tune holding exactly a's change (and an unchanged bias) embeds where the adapter does.
    embed::TaskVector dense;
    dense.name = "a as a fine-tune";
    dense.deltas = writeDense(dir_, "dense-a", randomFactors(1));
    for (const std::int64_t dims : {std::int64_t(0), std::int64_t(512)}) {
      embed::ParamEmbeddingOptions options;
      options.dimensions = dims;
      const auto vectors = embed::parameterEmbeddings({items_[0], dense, items_[2]}, options);
      QVERIFY2(embed::cosineSimilarity(vectors[0], vectors[1]) > 0.99999,
               qPrintable(QString::number(embed::cosineSimilarity(vectors[0], vectors[1]))));
      QVERIFY(embed::cosineSimilarity(vectors[2], vectors[1]) < 0.5);
    }
  }

  void deterministicWithASeed() {
    embed::ParamEmbeddingOptions one, two;
    one.dimensions = two.dimensions = 128;
    one.seed = two.seed = 5;
    QCOMPARE(embed::parameterEmbeddings(items_, one), embed::parameterEmbeddings(items_, two));
    two.seed = 6;
    QVERIFY(embed::parameterEmbeddings(items_, one) != embed::parameterEmbeddings(items_, two));
    // Embedding an adapter alone or among others gives the same vector (to float rounding: the factors of
    // all items go through one matrix product): each tensor's projection depends on the seed and its name.
    const auto alone = embed::parameterEmbeddings({items_[2]}, one).front();
    const auto among = embed::parameterEmbeddings(items_, one)[2];
    for (std::size_t i = 0; i < alone.size(); ++i)
      QVERIFY(std::abs(alone[i] - among[i]) <= 1e-4f * (1.0f + std::abs(alone[i])));
  }

  void theMapOfAdaptersNamesNearestNeighbours() {
    const auto map = embed::embedTaskVectors(items_);
    QCOMPARE(map.names[1], std::string("a copy"));
    QCOMPARE(map.nearest[0], 1);
    QCOMPARE(map.nearest[1], 0);
    QCOMPARE(map.nearest[3], 0); // the mix is nearest to a
    QCOMPARE(map.clusters[0], map.clusters[1]);
  }

  void adaptersOfDifferentBasesAreRefused() {
    const Factors a = randomFactors(1);
    Factors wide{at::randn({4, 64}), a.b0, a.a1, a.b1}; // layers.0 takes 64 inputs instead of 48
    const auto other = adapterItem("wide", writeAdapter(dir_, "wide", wide));
    try {
      embed::parameterEmbeddings({items_[0], other});
      QFAIL("no error");
    } catch (const std::runtime_error& e) {
      const std::string what = e.what();
      QVERIFY2(what.find("wide") != std::string::npos && what.find("layers.0.weight") != std::string::npos &&
                   what.find("not of one base") != std::string::npos,
               e.what());
    }
  }

  void cancelStopsBetweenTensors() {
    engine::CancelToken cancel;
    cancel.cancel();
    embed::ParamEmbeddingOptions options;
    options.cancel = &cancel;
    QVERIFY_THROWS_EXCEPTION(engine::Cancelled, embed::parameterEmbeddings(items_, options));
  }
};

MG_TEST_GUILESS_MAIN(ParamEmbeddingTest)
#include "test_param_embedding.moc"
