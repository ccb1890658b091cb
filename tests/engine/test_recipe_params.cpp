// Per-model parameters and mergekit's parameter forms in a merge recipe: a number, a per-layer gradient and a
// list of filtered values, per model and recipe-wide, each changing exactly the tensors it names.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include "weights/merged_weights.h"
#include "weights/open_weights.h"
#include "weights/param_rules.h"
#include "io/safetensors_writer.h"
#include "ops/merge_method.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

using namespace mg;

namespace {

// A 4-layer model: embed_tokens, layers.{0..3}.{mlp,self_attn}.weight, norm; `seed` varies the values.
std::string writeLayeredModel(const test::TempDir& dir, const std::string& file, int seed) {
  at::manual_seed(seed);
  std::vector<io::TensorData> tensors;
  const auto add = [&](const std::string& name, at::IntArrayRef shape) {
    tensors.push_back(tensor::fromTorch(at::randn(shape), name, io::DType::F32));
  };
  add("model.embed_tokens.weight", {5, 3});
  for (int i = 0; i < 4; ++i) {
    add("model.layers." + std::to_string(i) + ".mlp.weight", {3, 3});
    add("model.layers." + std::to_string(i) + ".self_attn.weight", {3, 3});
  }
  add("model.norm.weight", {3});
  const std::string path = dir.file(file);
  io::writeSafetensors(path, tensors);
  return path;
}

engine::WeightSetPtr openModel(const std::string& path) {
  return engine::openWeights(path, nullptr).weights;
}

engine::ParamRule rule(std::string name, std::vector<std::string> values, std::string filter = {},
                       engine::FilterSyntax syntax = engine::FilterSyntax::Mergekit) {
  return {std::move(name), std::move(filter), std::move(values), syntax};
}

std::string layerName(int i, const char* part) {
  return "model.layers." + std::to_string(i) + "." + part + ".weight";
}

struct ThreeModels {
  test::TempDir dir;
  engine::WeightSetPtr base = openModel(writeLayeredModel(dir, "base.safetensors", 1));
  engine::WeightSetPtr a = openModel(writeLayeredModel(dir, "a.safetensors", 2));
  engine::WeightSetPtr b = openModel(writeLayeredModel(dir, "b.safetensors", 3));

  engine::MergeRecipe taskArithmetic() const {
    engine::MergeRecipe r;
    r.method = "task_arithmetic";
    r.base = base;
    r.baseLabel = "base";
    r.inputs = {{a, 1.0, "a", {}}, {b, 1.0, "b", {}}};
    return r;
  }
  // base + wa·(a − base) + wb·(b − base), task arithmetic without normalization.
  at::Tensor expected(const std::string& name, double wa, double wb) const {
    const auto t0 = base->load(name);
    return t0 + wa * (a->load(name) - t0) + wb * (b->load(name) - t0);
  }
};

std::string errorOf(const engine::MergeRecipe& recipe) {
  try {
    engine::MergedWeights m(recipe);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

} // namespace

class RecipeParamsTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  // mergekit's t: i/(n−1) within the layers, 1 for a single layer, 0 outside the layers.
  void gradientPositionIsMergekits() {
    QCOMPARE(engine::gradientPosition(0, 4), 0.0);
    QCOMPARE(engine::gradientPosition(1, 4), 1.0 / 3.0);
    QCOMPARE(engine::gradientPosition(3, 4), 1.0);
    QCOMPARE(engine::gradientPosition(0, 1), 1.0);
    QCOMPARE(engine::gradientPosition(-1, 4), 0.0);
  }

  // Numbers are interpolated between neighbours, other values stepped: evaluate_setting.
  void gradientValuesInterpolateOrStep() {
    const auto numbers = rule("weight", {"0", "1", "3"});
    QCOMPARE(engine::ruleValueAt(numbers, 0.75), std::string("2"));
    QCOMPARE(engine::ruleValueAt(numbers, 1.0), std::string("3"));
    QCOMPARE(engine::ruleValueAt(numbers, 0.25), std::string("0.5"));
    const auto words = rule("rescale", {"none", "l1", "inverse_density"});
    QCOMPARE(engine::ruleValueAt(words, 0.49), std::string("none"));
    QCOMPARE(engine::ruleValueAt(words, 0.5), std::string("l1"));
    QCOMPARE(engine::ruleValueAt(words, 0.99), std::string("l1"));
    QCOMPARE(engine::ruleValueAt(words, 1.0), std::string("inverse_density"));
  }

  void perModelWeightNumber() {
    ThreeModels m;
    auto r = m.taskArithmetic();
    r.inputs[1].params = {rule("weight", {"0.25"})};
    engine::MergedWeights merged(r);
    for (const auto& name : {layerName(2, "mlp"), std::string("model.embed_tokens.weight")})
      QVERIFY2(at::allclose(merged.load(name), m.expected(name, 1.0, 0.25), 1e-5, 1e-6), name.c_str());
  }

  // A per-model gradient over 4 layers: layer i at t = i/3; tensors outside the layers at t = 0.
  void perModelWeightGradient() {
    ThreeModels m;
    auto r = m.taskArithmetic();
    r.inputs[0].params = {rule("weight", {"0", "0.6", "1.2"})};
    engine::MergedWeights merged(r);
    for (int i = 0; i < 4; ++i) {
      const double t = i / 3.0, w = t <= 0.5 ? 1.2 * t : 0.6 + 1.2 * (t - 0.5);
      const auto name = layerName(i, "self_attn");
      QVERIFY2(at::allclose(merged.load(name), m.expected(name, w, 1.0), 1e-5, 1e-6), name.c_str());
    }
    QVERIFY(at::allclose(merged.load("model.norm.weight"), m.expected("model.norm.weight", 0.0, 1.0), 1e-5,
                         1e-6));
  }

  // mergekit's conditional list: the first filter that is a substring of the name wins; a list in which no
  // filter matches falls through to the recipe-wide value, which applies to every model.
  void perModelFilterListFallsThrough() {
    ThreeModels m;
    auto r = m.taskArithmetic();
    r.inputs[1].params = {rule("weight", {"0"}, "mlp"), rule("weight", {"0.5"}, "layers.3.")};
    r.params = {rule("weight", {"2"})};
    engine::MergedWeights merged(r);
    const auto check = [&](const std::string& name, double wa, double wb) {
      QVERIFY2(at::allclose(merged.load(name), m.expected(name, wa, wb), 1e-5, 1e-6), name.c_str());
    };
    check(layerName(3, "mlp"), 2.0, 0.0);       // first condition, though the second matches too
    check(layerName(3, "self_attn"), 2.0, 0.5); // second condition
    check(layerName(1, "self_attn"), 2.0, 2.0); // no condition: the recipe-wide weight for both
    // A regex filter (the CLI's) is a regex, not a substring.
    r.inputs[1].params = {rule("weight", {"0"}, "layers\\.[02]\\.", engine::FilterSyntax::Regex)};
    r.params.clear();
    engine::MergedWeights regex(r);
    QVERIFY(
        at::allclose(regex.load(layerName(2, "mlp")), m.expected(layerName(2, "mlp"), 1.0, 0.0), 1e-5, 1e-6));
    QVERIFY(
        at::allclose(regex.load(layerName(1, "mlp")), m.expected(layerName(1, "mlp"), 1.0, 1.0), 1e-5, 1e-6));
  }

  // Per-model density reaches the kernel as per-input densities: the same as giving them positionally.
  void perModelDensityIsPerInput() {
    ThreeModels m;
    auto r = m.taskArithmetic();
    r.method = "ties";
    r.inputs[1].params = {rule("density", {"0.3"})};
    r.params = {rule("density", {"0.7"})};
    engine::MergedWeights perModel(r);
    r.inputs[1].params.clear();
    r.params = {engine::parseParamRule("density=0.7,0.3")};
    engine::MergedWeights positional(r);
    r.params = {engine::parseParamRule("density=0.7")};
    engine::MergedWeights global(r);
    const auto name = layerName(1, "mlp");
    QVERIFY(at::equal(perModel.load(name), positional.load(name)));
    QVERIFY(!at::equal(perModel.load(name), global.load(name)));
  }

  // Per-model gamma (breadcrumbs) and epsilon (della) reach the kernel: with one input, the same as the
  // recipe-wide value, and not the default.
  void perModelGammaAndEpsilon() {
    ThreeModels m;
    const auto name = layerName(0, "mlp");
    for (const auto& [method, param, value] :
         {std::tuple{"breadcrumbs", "gamma", "0.2"}, std::tuple{"della", "epsilon", "0.45"}}) {
      auto r = m.taskArithmetic();
      r.method = method;
      r.inputs.pop_back();
      r.seed = 7;
      r.params = {rule("density", {"0.5"})};
      engine::MergedWeights defaults(r);
      r.inputs[0].params = {rule(param, {value})};
      engine::MergedWeights perModel(r);
      r.inputs[0].params.clear();
      r.params.push_back(rule(param, {value}));
      engine::MergedWeights global(r);
      QVERIFY2(at::equal(perModel.load(name), global.load(name)), method);
      QVERIFY2(!at::equal(perModel.load(name), defaults.load(name)), method);
    }
  }

  void perModelScaleForPassthrough() {
    ThreeModels m;
    engine::MergeRecipe r;
    r.method = "passthrough";
    r.inputs = {{m.a, 1.0, "a", {rule("scale", {"0", "3"}, "mlp")}}};
    engine::MergedWeights merged(r);
    QVERIFY(at::allclose(merged.load(layerName(3, "mlp")), 3 * m.a->load(layerName(3, "mlp"))));
    QVERIFY(at::allclose(merged.load(layerName(1, "mlp")), m.a->load(layerName(1, "mlp"))));
    QVERIFY(at::equal(merged.load(layerName(3, "self_attn")), m.a->load(layerName(3, "self_attn"))));
  }

  // Bad per-model parameters: one line naming the input and the parameter.
  void badPerModelParametersAreNamed() {
    ThreeModels m;
    auto r = m.taskArithmetic();
    r.method = "ties";
    r.inputs[1].params = {rule("lambda", {"0.5"})};
    QCOMPARE(errorOf(r), std::string("input 2 (b): lambda is not a per-model parameter (weight, density, "
                                     "gamma, epsilon, scale)"));
    r.inputs[1].params = {rule("density", {"1.5"})};
    QCOMPARE(errorOf(r), std::string("input 2 (b): density must be in (0, 1], got 1.5"));
    r.inputs[1].params = {rule("gamma", {"0.1"})};
    QCOMPARE(errorOf(r), std::string("input 2 (b): method ties takes no per-model gamma"));
    r.inputs[1].params = {rule("weight", {"0.1", "x"})};
    QCOMPARE(errorOf(r), std::string("input 2 (b): weight must be a number, got 'x'"));
    r.inputs[1].params = {rule("weight", {"1"}, "(", engine::FilterSyntax::Regex)};
    QCOMPARE(errorOf(r), std::string("input 2 (b): parameter weight: filter '(' is not a valid regex"));
  }
};

MG_TEST_APPLESS_MAIN(RecipeParamsTest)
#include "test_recipe_params.moc"
