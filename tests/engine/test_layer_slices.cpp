// mergekit's slices: layer stacking with passthrough, per-slice merges of layer ranges, gradients over a
// slice's layers and filters on the names mergekit evaluates them on.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <nlohmann/json.hpp>

#include "weights/layer_slices.h"
#include "weights/merged_weights.h"
#include "weights/open_weights.h"
#include "io/safetensors_writer.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

using namespace mg;

namespace {

// A 4-layer model: embed_tokens, layers.{0..3}.mlp.weight (layer i of model `seed` filled with
// 10·seed + i, so every tensor tells where it came from), norm, lm_head.
std::string writeStackModel(const test::TempDir& dir, const std::string& file, int seed) {
  std::vector<io::TensorData> tensors;
  const auto add = [&](const std::string& name, const at::Tensor& t) {
    tensors.push_back(tensor::fromTorch(t, name, io::DType::F32));
  };
  add("model.embed_tokens.weight", at::full({5, 2}, 100.0 * seed));
  for (int i = 0; i < 4; ++i)
    add("model.layers." + std::to_string(i) + ".mlp.weight", at::full({2, 2}, 10.0 * seed + i));
  add("model.norm.weight", at::full({2}, 1000.0 * seed));
  add("lm_head.weight", at::full({5, 2}, -100.0 * seed));
  const std::string path = dir.file(file);
  io::writeSafetensors(path, tensors);
  return path;
}

std::string mlp(int layer) {
  return "model.layers." + std::to_string(layer) + ".mlp.weight";
}

double valueOf(const engine::MergedWeights& m, const std::string& name) {
  return m.load(name).flatten()[0].item<double>();
}

struct TwoModels {
  test::TempDir dir;
  engine::WeightSetPtr a = engine::openWeights(writeStackModel(dir, "a.safetensors", 1), nullptr).weights;
  engine::WeightSetPtr b = engine::openWeights(writeStackModel(dir, "b.safetensors", 2), nullptr).weights;

  engine::MergeRecipe recipe(const std::string& method) const {
    engine::MergeRecipe r;
    r.method = method;
    r.inputs = {{a, 1.0, "a", {}}, {b, 1.0, "b", {}}};
    return r;
  }
};

engine::ParamRule weightRule(std::vector<std::string> values, std::string filter = {}) {
  return {"weight", std::move(filter), std::move(values), engine::FilterSyntax::Mergekit};
}

std::string errorOf(const engine::MergeRecipe& r) {
  try {
    engine::MergedWeights m(r);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

} // namespace

class LayerSlicesTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void sliceSpecParses() {
    const auto s = engine::parseSliceSpec("1:0-3+base:2-5");
    QCOMPARE(s.sources.size(), std::size_t(2));
    QCOMPARE(s.sources[0].input, 0);
    QCOMPARE(s.sources[0].layerEnd, 3);
    QCOMPARE(s.sources[1].input, -1);
    QCOMPARE(s.sources[1].layerStart, 2);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, engine::parseSliceSpec("1:0"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, engine::parseSliceSpec("0:0-2"));
    QCOMPARE(engine::withLayerIndex("model.layers.3.mlp.weight", 12),
             std::string("model.layers.12.mlp.weight"));
  }

  // A frankenmerge: layers 0-2 of a, then 1-3 of b: 6 layers, renumbered; embeddings from the first slice's
  // model, norm and head from the last's.
  void passthroughStacksLayers() {
    TwoModels m;
    auto r = m.recipe("passthrough");
    r.slices = {engine::parseSliceSpec("1:0-3"), engine::parseSliceSpec("2:1-4")};
    engine::MergedWeights merged(r);
    QCOMPARE(merged.tensors().size(), std::size_t(6 + 3));
    QVERIFY(merged.find(mlp(5)) && !merged.find(mlp(6)));
    const double expected[] = {10, 11, 12, 21, 22, 23};
    for (int i = 0; i < 6; ++i)
      QCOMPARE(valueOf(merged, mlp(i)), expected[i]);
    QCOMPARE(valueOf(merged, "model.embed_tokens.weight"), 100.0);
    QCOMPARE(valueOf(merged, "model.norm.weight"), 2000.0);
    QCOMPARE(valueOf(merged, "lm_head.weight"), -200.0);
    const auto provenance = nlohmann::json::parse(merged.provenanceJson());
    QCOMPARE(provenance["slices"].size(), std::size_t(2));
  }

  // A linear merge of layer ranges: output layer k merges a's layer k and b's layer 2+k; a per-model
  // gradient runs over the slice's layers (t = 0 then 1 over 2 layers).
  void linearSliceMergesLayerByLayer() {
    TwoModels m;
    auto r = m.recipe("linear");
    engine::OutputSlice slice = engine::parseSliceSpec("1:0-2+2:2-4");
    slice.sources[1].params = {weightRule({"0", "3"})};
    r.slices = {slice};
    r.params = {engine::parseParamRule("normalize=false")};
    engine::MergedWeights merged(r);
    QCOMPARE(merged.tensors().size(), std::size_t(2 + 3));
    QCOMPARE(valueOf(merged, mlp(0)), 10.0 + 0 * 22.0); // t = 0: b's weight 0
    QCOMPARE(valueOf(merged, mlp(1)), 11.0 + 3 * 23.0); // t = 1: b's weight 3
    // Outside the layers t = 0: b's weight 0.
    QCOMPARE(valueOf(merged, "model.norm.weight"), 1000.0);
  }

  // A per-model value is read on the source's own tensor name at every level (mergekit's for_tensor(
  // weight_in.name)): b's layer 3 and layer 2, not the output's layers 2 and 1.
  void filtersSeeMergekitsNames() {
    TwoModels m;
    auto r = m.recipe("linear");
    engine::OutputSlice slice = engine::parseSliceSpec("1:0-2+2:2-4");
    slice.sources[1].params = {weightRule({"0"}, "layers.3.")}; // b's layer 3 = output layer 1
    r.slices = {engine::parseSliceSpec("1:0-1+2:0-1"), slice};
    r.params = {engine::parseParamRule("normalize=false"), weightRule({"2"}, "layers.2.")};
    engine::MergedWeights merged(r);
    QCOMPARE(valueOf(merged, mlp(0)), 10.0 + 20.0);
    QCOMPARE(valueOf(merged, mlp(1)), 10.0 + 2 * 22.0); // a0 + b2, b2 matching the recipe-wide layers.2.
    QCOMPARE(valueOf(merged, mlp(2)), 11.0 + 0.0);      // a1 + b3, b3 weighted 0 by its source rule
  }

  void badSlicesAreNamed() {
    TwoModels m;
    auto r = m.recipe("passthrough");
    r.slices = {engine::parseSliceSpec("1:2-6")};
    QCOMPARE(errorOf(r),
             std::string("slice 1, source 1: layer_range [2, 6) is beyond the 4 layers of input 1 (a)"));
    r = m.recipe("linear");
    r.slices = {engine::parseSliceSpec("1:0-2+2:0-3")};
    QCOMPARE(errorOf(r), std::string("slice 1: all sources must span the same number of layers (2 and 3)"));
    r.slices = {engine::parseSliceSpec("3:0-2")};
    QCOMPARE(errorOf(r), std::string("slice 1, source 1: names a model that is not in the merge"));
    r = m.recipe("passthrough");
    r.slices = {engine::parseSliceSpec("1:0-2+2:0-2")};
    QVERIFY(errorOf(r).rfind("slice 1: ", 0) == 0);
  }
};

MG_TEST_APPLESS_MAIN(LayerSlicesTest)
#include "test_layer_slices.moc"
