// Whole-model merges whose parameters are per model, per-layer gradients and filtered values, compared with
// an independent reference (tests/reference/recipe_reference.py: mergekit's configuration resolution and the
// methods of mergekit_reference.py), run with Debian's python3-torch.
#include "support/test_registry.h"
#include <QProcess>
#include <QtTest>
#include <ATen/ATen.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "weights/merged_weights.h"
#include "weights/open_weights.h"
#include "io/safetensors_file.h"
#include "io/safetensors_writer.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

#include "support/reference_python.h"

using namespace mg;
using nlohmann::json;

namespace {

void writeRefModel(const std::string& path, int seed) {
  at::manual_seed(seed);
  std::vector<io::TensorData> tensors;
  const auto add = [&](const std::string& name, at::IntArrayRef shape) {
    tensors.push_back(tensor::fromTorch(at::randn(shape) * (seed == 0 ? 1.0 : 0.1), name, io::DType::F32));
  };
  add("model.embed_tokens.weight", {7, 5});
  for (int i = 0; i < 4; ++i) {
    add("model.layers." + std::to_string(i) + ".mlp.weight", {6, 5});
    add("model.layers." + std::to_string(i) + ".self_attn.weight", {6, 5});
  }
  add("model.norm.weight", {5});
  io::writeSafetensors(path, tensors);
}

std::string valueText(const json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// mergekit's settings as rules: a value, a gradient, or conditions (consecutive rules, first match wins).
std::vector<engine::ParamRule> rulesOf(const json& parameters) {
  std::vector<engine::ParamRule> rules;
  const auto valuesOf = [](const json& v) {
    std::vector<std::string> out;
    if (v.is_array()) {
      for (const auto& x : v)
        out.push_back(valueText(x));
    } else {
      out.push_back(valueText(v));
    }
    return out;
  };
  for (const auto& [name, setting] : parameters.items()) {
    if (setting.is_array() && !setting.empty() && setting[0].is_object()) {
      for (const auto& c : setting)
        rules.push_back(
            {name, c.value("filter", std::string()), valuesOf(c["value"]), engine::FilterSyntax::Mergekit});
    } else {
      rules.push_back({name, "", valuesOf(setting), engine::FilterSyntax::Mergekit});
    }
  }
  return rules;
}

// Rewrites the recipe's model names to files in `dir` and builds the same merge as a MergeRecipe.
engine::MergeRecipe recipeOf(const json& r, const test::TempDir& dir) {
  engine::MergeRecipe recipe;
  recipe.method = r["merge_method"];
  if (!r["base_model"].is_null()) {
    recipe.base = engine::openWeights(dir.file(r["base_model"]), nullptr).weights;
    recipe.baseLabel = r["base_model"];
  }
  for (const auto& m : r["models"])
    recipe.inputs.push_back({engine::openWeights(dir.file(m["model"]), nullptr).weights,
                             1.0,
                             m["model"],
                             rulesOf(m.value("parameters", json::object())),
                             {}});
  recipe.params = rulesOf(r.value("parameters", json::object()));
  return recipe;
}

const char* kCases = R"([
  {"merge_method": "task_arithmetic", "base_model": "base.safetensors",
   "models": [{"model": "a.safetensors", "parameters": {"weight": [0.2, 1.0, 0.4]}},
              {"model": "b.safetensors",
               "parameters": {"weight": [{"filter": "mlp", "value": [1, 0]}, {"value": 0.5}]}}],
   "parameters": {"lambda": 0.8}},
  {"merge_method": "ties", "base_model": "base.safetensors",
   "models": [{"model": "a.safetensors", "parameters": {"weight": 1, "density": [{"filter": "self_attn", "value": 0.3}]}},
              {"model": "b.safetensors", "parameters": {"weight": [0.5, 1]}}],
   "parameters": {"density": 0.7}},
  {"merge_method": "breadcrumbs", "base_model": "base.safetensors",
   "models": [{"model": "a.safetensors", "parameters": {"weight": 1, "gamma": 0.2}},
              {"model": "b.safetensors",
               "parameters": {"weight": 0.6, "gamma": [{"filter": "layers.2.", "value": 0.3}, {"value": 0.2}]}}],
   "parameters": {"density": 0.6}},
  {"merge_method": "linear", "base_model": null,
   "models": [{"model": "a.safetensors", "parameters": {"weight": [1, 3]}},
              {"model": "b.safetensors", "parameters": {"weight": 2}}]},
  {"merge_method": "linear", "base_model": null,
   "models": [{"model": "a.safetensors"}, {"model": "b.safetensors"}],
   "parameters": {"weight": [{"filter": "layers.3", "value": 0.25}, {"filter": "*", "value": [2, 1]}]}},
  {"merge_method": "passthrough", "base_model": null,
   "models": [{"model": "a.safetensors", "parameters": {"scale": [{"filter": "mlp", "value": [1, 3]}]}}]}
])";

} // namespace

class RecipeReferenceTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void resolvedParametersMatchTheReference() {
    const std::string python = MG_REFERENCE_PYTHON;
    if (python.empty()) QSKIP("no /usr/bin/python3 for the reference");
    test::TempDir dir;
    writeRefModel(dir.file("base.safetensors"), 0);
    writeRefModel(dir.file("a.safetensors"), 1);
    writeRefModel(dir.file("b.safetensors"), 2);
    const json cases = json::parse(kCases);
    for (std::size_t i = 0; i < cases.size(); ++i) {
      const json& r = cases[i];
      const std::string id = std::to_string(i) + " " + r["merge_method"].get<std::string>();
      std::ofstream(dir.file("recipe.json")) << r.dump();
      QProcess process;
      process.start(QString::fromStdString(python), {QString(MG_REFERENCE_DIR) + "/recipe_reference.py",
                                                     QString::fromStdString(dir.file("recipe.json")),
                                                     QString::fromStdString(dir.file("out.safetensors"))});
      QVERIFY(process.waitForFinished(120000));
      if (process.exitCode() == 77) QSKIP("torch is not available to the reference python");
      QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());

      const engine::MergedWeights merged(recipeOf(r, dir));
      const auto reference = engine::openWeights(dir.file("out.safetensors"), nullptr).weights;
      QCOMPARE(merged.tensors().size(), reference->tensors().size());
      for (const auto& info : reference->tensors()) {
        const auto ours = merged.load(info.name), theirs = reference->load(info.name);
        QVERIFY2(at::allclose(ours, theirs, 1e-5, 1e-6), (id + ": " + info.name).c_str());
      }
    }
  }
};

MG_TEST_APPLESS_MAIN(RecipeReferenceTest)
#include "test_recipe_reference.moc"
