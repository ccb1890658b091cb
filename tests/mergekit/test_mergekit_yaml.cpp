// mergekit YAML: the recipes of tests/data/mergekit (every method, every parameter form) read, imported as a
// graph, exported and read back to the same configuration; each kind of bad file refused in one line that
// names the file, the line and the key.
#include "support/test_registry.h"
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <set>

#include "graph/merge_rules.h"
#include "graph/project_file.h"
#include "graph/validation.h"
#include "mergekit/config_graph.h"
#include "mergekit/yaml_reader.h"
#include "mergekit/yaml_writer.h"
#include "ops/merge_params.h"
#include "ops/method_schemas.h"
#include "support/temp_dir.h"

using namespace mg::mergekit;
using mg::test::TempDir;
namespace fs = std::filesystem;

namespace {

// QT_TESTCASE_SOURCEDIR: tests/, absolute (Qt Test defines it for every test target).
const fs::path kRecipes = fs::path(QT_TESTCASE_SOURCEDIR) / "data" / "mergekit";

// The model folders the recipes name, relative to the recipe: empty folders are enough to read them.
void makeModels(const fs::path& folder) {
  for (const char* name : {"models/base", "models/a", "models/b", "models/c", "adapters/lora_a"})
    fs::create_directories(folder / name);
}

// A copy of every recipe in `folder`, with the models they name.
std::vector<fs::path> copyRecipes(const fs::path& folder) {
  makeModels(folder);
  std::vector<fs::path> copies;
  for (const auto& entry : fs::directory_iterator(kRecipes)) {
    if (entry.path().extension() != ".yml") continue;
    copies.push_back(folder / entry.path().filename());
    fs::copy_file(entry.path(), copies.back());
  }
  std::sort(copies.begin(), copies.end());
  return copies;
}

// The text a method's parameter value is canonical in (rescale: true and rescale: "true" are one value).
Value canonical(const std::string& method, const std::string& name, const Value& value) {
  const auto* spec = mg::ops::mergeMethod(method).findParam(name);
  if (spec == nullptr || spec->type != mg::ops::ParamType::Choice) return value;
  if (const auto* b = std::get_if<bool>(&value)) return std::string(*b ? "true" : "false");
  return value;
}

// A number as the parameter parser reads it ("7" for an integer parameter).
std::string numberText(double v) {
  return v == std::floor(v) ? std::to_string(static_cast<long long>(v)) : mg::graph::valueText(v);
}

// What makes two configurations mean the same merge although written differently: a base repeated under
// models without parameters, a missing weight (1), a parameter at its default, a one-entry conditional
// without filter, tokenizer_source written as a tokenizer block.
MergekitConfig normalized(MergekitConfig c) {
  const auto& info = mg::ops::mergeMethod(c.mergeMethod);
  const auto plainOf = [](Setting& s) {
    if (auto* list = std::get_if<std::vector<Conditional>>(&s.form);
        list && list->size() == 1 && !list->front().filter)
      s.form = list->front().value;
  };
  const auto normalizeParams = [&](Parameters& params) {
    for (auto& [name, setting] : params) {
      plainOf(setting);
      if (auto* v = std::get_if<Value>(&setting.form)) *v = canonical(c.mergeMethod, name, *v);
    }
  };
  std::vector<InputModel> models;
  for (auto& m : c.models) {
    if (c.baseModel && m.model == *c.baseModel && info.base != mg::ops::BaseUse::Unused) continue;
    normalizeParams(m.parameters);
    const bool hasWeight =
        std::any_of(m.parameters.begin(), m.parameters.end(), [](auto& p) { return p.first == "weight"; });
    if (info.usesWeights && !hasWeight) m.parameters.emplace_back("weight", Setting{Value(1.0), 0});
    std::sort(m.parameters.begin(), m.parameters.end(), [](auto& a, auto& b) { return a.first < b.first; });
    models.push_back(m);
  }
  c.models = models;
  for (auto& slice : c.slices) {
    normalizeParams(slice.parameters);
    for (auto& s : slice.sources)
      normalizeParams(s.parameters);
  }
  normalizeParams(c.parameters);
  Parameters kept;
  for (auto& [name, setting] : c.parameters) {
    const auto* spec = info.findParam(name);
    const auto* plain = std::get_if<Value>(&setting.form);
    if (spec && plain && !std::holds_alternative<std::vector<double>>(*plain)) {
      mg::ops::MergeParams ours, defaults;
      const std::string text = std::holds_alternative<double>(*plain) ? numberText(std::get<double>(*plain))
                               : std::holds_alternative<bool>(*plain)
                                   ? (std::get<bool>(*plain) ? "true" : "false")
                                   : std::get<std::string>(*plain);
      mg::ops::setParam(ours, name, text);
      mg::ops::setParam(defaults, name, spec->defaultValue);
      if (mg::ops::paramText(ours, name) == mg::ops::paramText(defaults, name)) continue;
    }
    kept.emplace_back(name, setting);
  }
  std::sort(kept.begin(), kept.end(), [](auto& a, auto& b) { return a.first < b.first; });
  c.parameters = kept;
  if (c.tokenizer && !c.tokenizer->padToMultipleOf) {
    c.tokenizerSource = c.tokenizer->source;
    c.tokenizer.reset();
  }
  return c;
}

std::string describe(const MergekitConfig& c) {
  return configYaml(c, "");
}

// The ConfigError `action` throws, as text.
std::string configError(const std::function<void()>& action) {
  try {
    action();
  } catch (const ConfigError& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("not a ConfigError: ") + e.what();
  }
  return "nothing thrown";
}

} // namespace

class TestMergekitYaml : public QObject {
  Q_OBJECT

private Q_SLOTS:
  // Every method that runs on weights alone has a recipe in the collection.
  void collectionCoversEveryMethod() {
    TempDir dir;
    std::set<std::string> covered;
    for (const auto& recipe : copyRecipes(dir.path()))
      covered.insert(readConfig(recipe.string()).mergeMethod);
    for (const auto& method : mg::ops::mergeMethods())
      if (!method.needsData) QVERIFY2(covered.count(method.name), ("no recipe for " + method.name).c_str());
  }

  // YAML → project (saved and loaded) → YAML gives the same recipe, for every recipe of the collection.
  void roundTripThroughProject() {
    TempDir dir;
    for (const auto& recipe : copyRecipes(dir.path())) {
      const std::string name = recipe.filename().string();
      const MergekitConfig read = readConfig(recipe.string());
      auto imported = importConfig(read, dir.file(recipe.stem().string() + "-out"));
      for (const auto& issue : mg::graph::validate(imported.document))
        QVERIFY2(issue.severity != mg::graph::Severity::Error, (name + ": " + issue.message).c_str());
      const std::string project = dir.file(recipe.stem().string() + ".mgproj");
      mg::graph::saveProject(imported.document, project);
      const auto loaded = mg::graph::loadProject(project);
      const std::string written = dir.file(recipe.stem().string() + "-back.yml");
      writeConfig(exportConfig(loaded, imported.merge), written);
      const MergekitConfig back = readConfig(written);
      QVERIFY2(normalized(back) == normalized(read),
               (name + ":\n" + describe(normalized(read)) + "---\n" + describe(normalized(back))).c_str());
    }
  }

  // The graph holds what the YAML says in the places the workbench shows: per-input weights, rules with
  // scopes, filters and gradients, slices, dtype, out_dtype, tokenizer, chat template, model+LoRA.
  void importedGraphHoldsEverything() {
    TempDir dir;
    copyRecipes(dir.path());
    const auto ties = importConfig(readConfig(dir.file("ties.yml")), "");
    const auto& doc = ties.document;
    QCOMPARE(doc.at(ties.merge).type, std::string("merge.ties"));
    QCOMPARE(doc.variadicConnected(ties.merge), std::size_t(3));
    QCOMPARE(doc.param(ties.merge, "rules")->get<std::string>(),
             std::string("models 1: density=grad(1.0,0.7,0.1); models 2: density=0.5; models 2: "
                         "weight=grad(0.0,0.3,0.7,1.0); "
                         "models 3: density=0.33; models 3: weight@sub:mlp=0.5; models 3: weight=0.0"));
    QCOMPARE(*doc.inputWeight(ties.merge, 1), 1.0);
    QCOMPARE(doc.param(ties.merge, "dtype")->get<std::string>(), std::string("f16"));

    const auto slerp = importConfig(readConfig(dir.file("slerp.yml")), "");
    QCOMPARE(slerp.document.param(slerp.merge, "slices")->get<std::string>(),
             std::string("base[0:2], 1[0:2]"));
    QCOMPARE(
        slerp.document.param(slerp.merge, "rules")->get<std::string>(),
        std::string("t@sub:self_attn=grad(0.0,0.5,0.3,0.7,1.0); t@sub:mlp=grad(1.0,0.5,0.7,0.3,0.0); t=0.5"));

    const auto tok = importConfig(readConfig(dir.file("tokenizer.yml")), "");
    QCOMPARE(tok.document.param(tok.merge, "tokenizer_source")->get<std::string>(), std::string("union"));
    QCOMPARE(tok.document.param(tok.merge, "pad_to_multiple_of")->get<int>(), 64);
    QCOMPARE(tok.document.param(tok.merge, "chat_template")->get<std::string>(), std::string("chatml"));
    const auto first = tok.document.source({tok.merge, 1});
    QVERIFY(first.has_value());
    QCOMPARE(tok.document.at(first->node).type, std::string("op.add_delta")); // the model with its LoRA

    const auto ta = importConfig(readConfig(dir.file("task_arithmetic.yml")), "/tmp/out");
    QCOMPARE(ta.document.param(ta.exporter, "dtype")->get<std::string>(), std::string("f16"));
    QCOMPARE(ta.document.param(ta.exporter, "path")->get<std::string>(), std::string("/tmp/out"));
    QCOMPARE(ta.document.variadicConnected(ta.merge),
             std::size_t(2)); // the base listed under models is the base
  }

  void relativePathsFromTheFileFolder() {
    TempDir dir;
    copyRecipes(dir.path());
    const auto config = readConfig(dir.file("dare_ties.yml"));
    QCOMPARE(config.baseModel->path, (fs::path(dir.path()) / "models/base").lexically_normal().string());
    QCOMPARE(config.models[1].model.path, (fs::path(dir.path()) / "models/b").lexically_normal().string());
    const std::string text = configYaml(config, dir.path());
    QVERIFY2(text.find("base_model: models/base") != std::string::npos, text.c_str());
  }

  // Each kind of bad file: its own one-line error with the file, the line and the key.
  void badFilesRefusedInOneLine_data() {
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("expected");
    const QString models = "models:\n  - model: models/a\n  - model: models/b\n";
    QTest::newRow("syntax") << "merge_method: linear\nmodels: [\n  - model: a\n"
                            << "r.yml:3: YAML syntax error";
    QTest::newRow("unknown key") << "merge_method: linear\n" + models + "normalise: true\n"
                                 << "r.yml:5: normalise: unknown key";
    QTest::newRow("missing model") << "merge_method: linear\nmodels:\n  - parameters: {weight: 1}\n"
                                   << "r.yml:3: models[0].model: missing";
    QTest::newRow("missing path")
        << "merge_method: linear\nmodels:\n  - model: models/nowhere\n"
        << "r.yml:3: models[0].model: 'models/nowhere' is not a local file or folder";
    QTest::newRow("hub id")
        << "merge_method: linear\nmodels:\n  - model: models/a\n  - model: mistralai/Mistral-7B-v0.1\n"
        << "r.yml:4: models[1].model: 'mistralai/Mistral-7B-v0.1' is not a local file or folder (a Hugging "
           "Face hub id?";
    QTest::newRow("wrong type") << "merge_method: ties\nbase_model: models/base\nmodels:\n  - model: "
                                   "models/a\n    parameters:\n      density: {a: 1}\n"
                                << "r.yml:6: models[0].parameters.density.a: unknown key";
    QTest::newRow("wrong type map")
        << "merge_method: ties\nbase_model: models/base\nmodels:\n  - model: models/a\n    parameters:\n     "
           " density: [[1]]\n"
        << "r.yml:6: models[0].parameters.density[0]: expected a number, got a list";
    QTest::newRow("out of range") << "merge_method: ties\nbase_model: models/base\nmodels:\n  - model: "
                                     "models/a\n    parameters:\n      density: 1.5\n"
                                  << "r.yml:6: models[0].parameters.density: must be in";
    QTest::newRow("unknown method") << "merge_method: franken\n" + models
                                    << "r.yml:1: merge_method: unknown merge method 'franken'";
    QTest::newRow("unknown parameter")
        << "merge_method: linear\n" + models + "parameters:\n  density: 0.5\n"
        << "r.yml:6: parameters.density: unknown parameter for linear (takes: weight";
    QTest::newRow("not per model") << "merge_method: ties\nbase_model: models/base\nmodels:\n  - model: "
                                      "models/a\n    parameters:\n      normalize: true\n"
                                   << "r.yml:6: models[0].parameters.normalize: not a per-model parameter of "
                                      "ties (takes: weight, density)";
    QTest::newRow("both forms")
        << "merge_method: passthrough\n" + models +
               "slices:\n  - sources:\n    - model: models/a\n      layer_range: [0, 1]\n"
        << "r.yml:5: slices: give either models or slices, not both";
    QTest::newRow("no method") << models << "r.yml:1: merge_method: missing";
    QTest::newRow("bad dtype") << "merge_method: linear\n" + models + "dtype: float8\n"
                               << "r.yml:5: dtype: expected float32, bfloat16 or float16, got 'float8'";
    QTest::newRow("layer range") << "merge_method: passthrough\nslices:\n  - sources:\n    - model: "
                                    "models/a\n      layer_range: [4, 2]\n"
                                 << "r.yml:5: slices[0].sources[0].layer_range: expected 0 <= start < end";
    QTest::newRow("tokens") << "merge_method: linear\n" + models +
                                   "tokenizer:\n  source: union\n  tokens:\n    x: {source: models/a}\n"
                            << "r.yml:7: tokenizer.tokens: per-token embedding sources are not supported";
    QTest::newRow("given twice") << "merge_method: linear\n" + models + "merge_method: linear\n"
                                 << "r.yml:5: merge_method: given twice";
    QTest::newRow("lora missing")
        << "merge_method: linear\nmodels:\n  - model: models/a+adapters/none\n"
        << "r.yml:3: models[0].model: 'adapters/none' is not a local file or folder";
    // Found by fuzzing: a name longer than the file system allows made the MODEL+LORA check throw the
    // library's own "filesystem error: status: File name too long [...]", naming no file.
    const QString longName = "models/" + QString(300, 'x');
    QTest::newRow("name too long") << "merge_method: linear\nmodels:\n  - model: " + longName + "+a\n"
                                   << "r.yml:3: models[0].model: '" + longName +
                                          "' is not a local file or folder";
  }
  void badFilesRefusedInOneLine() {
    QFETCH(QString, yaml);
    QFETCH(QString, expected);
    TempDir dir;
    makeModels(dir.path());
    const std::string error = configError([&] { parseConfig(yaml.toStdString(), "r.yml", dir.path()); });
    QVERIFY2(error.rfind(expected.toStdString(), 0) == 0, error.c_str());
    QVERIFY2(error.find('\n') == std::string::npos, error.c_str());
  }

  // What the graph cannot hold is refused at import, naming the key and its line.
  void importRefusesWhatTheGraphCannotHold() {
    TempDir dir;
    makeModels(dir.path());
    const auto config = parseConfig(
        "merge_method: linear\nbase_model: models/base\nmodels:\n  - model: models/a\n", "r.yml", dir.path());
    const std::string error = configError([&] { importConfig(config, ""); });
    QVERIFY2(error.rfind("r.yml:2: base_model: Linear takes no base model", 0) == 0, error.c_str());
  }

  // A merge node made in the editor exports too: a per-input density list, a weight, a regex filter that is
  // a plain word; an input that is not a file is refused naming the node.
  void editorGraphExports() {
    TempDir dir;
    copyRecipes(dir.path());
    auto imported = importConfig(readConfig(dir.file("ties.yml")), "");
    auto& doc = imported.document;
    QVERIFY(!doc.setParam(imported.merge, "rules", "lambda@mlp=0.5"));
    QVERIFY(!doc.setParam(imported.merge, "density", mg::graph::ParamValue::array({0.2, 0.3, 0.4})));
    QVERIFY(!doc.setInputWeight(imported.merge, 2, 0.25));
    const auto config = exportConfig(doc, imported.merge);
    QCOMPARE(config.models.size(), std::size_t(3));
    QVERIFY(config.models[1].parameters ==
            (Parameters{{"weight", Setting{Value(0.25), 0}}, {"density", Setting{Value(0.3), 0}}}));
    const auto lambda = std::find_if(config.parameters.begin(), config.parameters.end(),
                                     [](const auto& p) { return p.first == "lambda"; });
    QVERIFY(lambda != config.parameters.end());
    QVERIFY(lambda->second == (Setting{std::vector<Conditional>{{std::string("mlp"), Value(0.5)}}, 0}));
    QVERIFY(!doc.setParam(imported.merge, "rules", "lambda@mlp.*=0.5"));
    try {
      exportConfig(doc, imported.merge);
      QFAIL("a regex filter exported");
    } catch (const std::invalid_argument& e) {
      QVERIFY2(std::string(e.what()).find("a regex filter cannot be written") != std::string::npos, e.what());
    }
  }

  // Validation names rules and slices that do not fit the node: an input it lacks, a parameter the method
  // does not read (per input), a base that is not connected, a slice count the method cannot merge.
  void nodeChecksRulesAndSlices() {
    TempDir dir;
    copyRecipes(dir.path());
    auto imported = importConfig(readConfig(dir.file("linear.yml")), "");
    auto& doc = imported.document;
    const auto issueOn = [&](const std::string& param) {
      std::string found;
      for (const auto& issue : mg::graph::validate(doc))
        if (issue.node == imported.merge && issue.param == param) found = issue.message;
      return found;
    };
    QCOMPARE(issueOn("rules"), std::string());
    QVERIFY(!doc.setParam(imported.merge, "rules", "models 4: weight=0.5"));
    QCOMPARE(issueOn("rules"),
             std::string("rule 'models 4: weight=0.5' names an input 'models' does not have"));
    QVERIFY(!doc.setParam(imported.merge, "rules", "models 1: normalize=false"));
    QVERIFY2(issueOn("rules").find("does not read normalize per input") != std::string::npos,
             issueOn("rules").c_str());
    QVERIFY(!doc.setParam(imported.merge, "rules", ""));
    QVERIFY(!doc.setParam(imported.merge, "slices", "base[0:2], 1[0:2]"));
    QCOMPARE(issueOn("slices"), std::string("slices name the base, which is not connected"));
    QVERIFY(doc.setParam(imported.merge, "slices", "1[2:1]").has_value()); // the text's own check
  }

  // The rule and slice texts: what they read, what they refuse, and that writing gives back the text.
  void ruleTexts() {
    using mg::graph::MergeRuleText;
    const auto rules =
        mg::graph::parseMergeRules("models 2: weight@sub:mlp=grad(0, 1); slice 1.2: scale=0\nt=0.5");
    QCOMPARE(rules.size(), std::size_t(3));
    QVERIFY(rules[0].scope == MergeRuleText::Scope::Input);
    QCOMPARE(rules[0].input, std::size_t(1));
    QCOMPARE(rules[0].filter, std::string("sub:mlp"));
    QCOMPARE(rules[0].values, (std::vector<std::string>{"0", "1"}));
    QVERIFY(rules[1].scope == MergeRuleText::Scope::SliceSource);
    QCOMPARE(rules[1].body(), std::string("scale=0"));
    QCOMPARE(mg::graph::mergeRulesText(rules),
             std::string("models 2: weight@sub:mlp=grad(0,1); slice 1.2: scale=0; t=0.5"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mg::graph::parseMergeRules("weight"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mg::graph::parseMergeRules("input 2: weight=1"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mg::graph::parseMergeRules("models 0: weight=1"));
    const auto slices = mg::graph::parseMergeSlices("1[0:24]; base[0:4], 2[20:24]");
    QCOMPARE(slices.size(), std::size_t(2));
    QVERIFY(!slices[1][0].input.has_value());
    QCOMPARE(mg::graph::mergeSlicesText(slices), std::string("1[0:24]; base[0:4], 2[20:24]"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mg::graph::parseMergeSlices("1[4:2]"));
  }
};

MG_TEST_APPLESS_MAIN(TestMergekitYaml)
#include "test_mergekit_yaml.moc"
