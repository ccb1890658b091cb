// Validation: missing inputs and parameters, merge method rules, adapters and their base, content only a
// file can hold (type mismatches, cycles, unknown types), and tensor compatibility from headers.
#include "support/test_registry.h"
#include <QtTest>

#include <map>
#include <memory>

#include "graph/document.h"
#include "graph/issue_texts.h"
#include "graph/validation.h"
#include "graph_fixtures.h"
#include "io/io_error.h"
#include "io/peft_adapter.h"
#include "support/io_fixtures.h"
#include "support/temp_dir.h"

using namespace mg::graph;
using mg::io::DType;
using mg::io::TensorInfo;
using mg::test::countIssues;
using mg::test::MergeGraph;

namespace {

#define MG_VERIFY_ISSUE(issues, node, fragment)                                                              \
  QVERIFY2(countIssues(issues, node, fragment) == 1,                                                         \
           (std::string("no single issue '") + (fragment) + "' in:\n" + mg::test::issuesText(doc, issues))   \
               .c_str())

// Sources by path, for validateShapes(); unknown paths fail as a missing file would.
struct Opener {
  std::map<std::string, std::shared_ptr<const mg::io::TensorSource>> sources;
  int opened = 0;
  void add(const std::string& path, std::vector<TensorInfo> tensors) {
    sources[path] = std::make_shared<mg::test::FakeSource>(path, std::move(tensors));
  }
  SourceOpener callback() {
    return [this](const std::string& path) -> std::shared_ptr<const mg::io::TensorSource> {
      ++opened;
      const auto it = sources.find(path);
      if (it == sources.end()) {
        throw mg::io::IoError(path, "no such file or folder");
      }
      return it->second;
    };
  }
};

std::vector<TensorInfo> model(std::int64_t rows = 4, std::int64_t vocab = 10) {
  return {{"model.embed_tokens.weight", DType::BF16, {vocab, 4}},
          {"model.layers.0.mlp.weight", DType::BF16, {rows, 4}},
          {"model.position_ids", DType::I64, {1, 8}}};
}

} // namespace

class ValidationTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aCompleteProjectIsClean() {
    MergeGraph g;
    const auto& doc = g.doc;
    const auto issues = validate(doc);
    QVERIFY2(issues.empty(), mg::test::issuesText(doc, issues).c_str());
    QVERIFY(!hasErrors(issues));
  }

  void missingInputsAndParameters() {
    Document doc;
    const NodeId ties = doc.addNode("merge.ties");
    const NodeId source = doc.addNode("source.model");
    const NodeId exporter = doc.addNode("sink.export");
    const auto issues = validate(doc);
    MG_VERIFY_ISSUE(issues, ties, "TIES needs the base model: connect it to 'base'");
    MG_VERIFY_ISSUE(issues, ties, "no input is connected to 'models'");
    MG_VERIFY_ISSUE(issues, source, "path is not set");
    MG_VERIFY_ISSUE(issues, exporter, "path is not set");
    MG_VERIFY_ISSUE(issues, exporter, "input 'model' is not connected");
    QCOMPARE(countIssues(issues, exporter, "base"), std::size_t(0)); // the export's base is optional
    QVERIFY(hasErrors(issues));
    // Sorted by node.
    for (std::size_t i = 1; i < issues.size(); ++i) {
      QVERIFY(issues[i - 1].node <= issues[i].node);
    }
    const auto path =
        std::find_if(issues.begin(), issues.end(), [&](const Issue& i) { return i.node == source; });
    QCOMPARE(path->param, std::string("path"));
  }

  // A message is its pattern filled with names, so the workbench can say it in another language; filling is
  // one pass, so a name holding "%2" stays as it is.
  void messagesArePatternsFilledWithNames() {
    Document doc;
    const NodeId ties = doc.addNode("merge.ties");
    const auto issues = validate(doc);
    const auto needsBase = std::find_if(issues.begin(), issues.end(), [](const Issue& i) {
      return i.pattern == issue_texts::kMergeNeedsBase;
    });
    QVERIFY(needsBase != issues.end());
    QCOMPARE(needsBase->node, ties);
    QCOMPARE(needsBase->args, std::vector<std::string>({"TIES"}));
    QCOMPARE(needsBase->message, fillPattern(needsBase->pattern, needsBase->args));
    for (const Issue& issue : issues)
      if (!issue.pattern.empty()) QCOMPARE(issue.message, fillPattern(issue.pattern, issue.args));
    QCOMPARE(fillPattern("input '%1' takes a %2, not a %3", {"a %2", "model", "delta"}),
             std::string("input 'a %2' takes a model, not a delta"));
    QCOMPARE(fillPattern("%1 and %4", {"x"}), std::string("x and %4"));
    QCOMPARE(fillPattern("100%", {}), std::string("100%"));
  }

  void mergeMethodRules() {
    Document doc;
    const NodeId base = doc.addNode("source.model");
    std::vector<NodeId> models;
    for (int i = 0; i < 3; ++i) {
      models.push_back(doc.addNode("source.model"));
    }
    const NodeId linear = doc.addNode("merge.linear");
    MG_VERIFY_OK(doc.connect({base, 0}, {linear, 0}));
    MG_VERIFY_OK(doc.connect({models[0], 0}, {linear, 1}));
    const NodeId slerp = doc.addNode("merge.slerp");
    MG_VERIFY_OK(doc.connect({base, 0}, {slerp, 0}));
    MG_VERIFY_OK(doc.connect({models[0], 0}, {slerp, 1}));
    MG_VERIFY_OK(doc.connect({models[1], 0}, {slerp, 2}));
    const NodeId ties = doc.addNode("merge.ties");
    MG_VERIFY_OK(doc.connect({base, 0}, {ties, 0}));
    MG_VERIFY_OK(doc.connect({models[0], 0}, {ties, 1}));
    MG_VERIFY_OK(doc.connect({models[1], 0}, {ties, 2}));
    MG_VERIFY_OK(doc.setParam(ties, "density", ParamValue::array({0.5, 0.6, 0.7})));
    const NodeId fisher = doc.addNode("merge.fisher"); // base, tasks, statistics, then the models
    MG_VERIFY_OK(doc.connect({models[2], 0}, {fisher, 3}));
    const NodeId stock = doc.addNode("merge.model_stock"); // at least 2 inputs
    MG_VERIFY_OK(doc.connect({base, 0}, {stock, 0}));
    MG_VERIFY_OK(doc.connect({models[2], 0}, {stock, 1}));

    const auto issues = validate(doc);
    MG_VERIFY_ISSUE(issues, linear, "Linear does not use a base model: connect it to 'models'");
    MG_VERIFY_ISSUE(issues, slerp, "SLERP needs exactly 2 inputs (a base counts as one), got 3");
    MG_VERIFY_ISSUE(issues, ties, "density has 3 values for 2 inputs: give one value, or one per input");
    MG_VERIFY_ISSUE(issues, fisher,
                    "Fisher merging needs each model's task data: connect a Tasks node to 'tasks'");
    MG_VERIFY_ISSUE(issues, stock, "Model Stock needs at least 2 inputs, got 1");
    MG_VERIFY_OK(doc.setParam(ties, "density", ParamValue::array({0.5, 0.6})));
    QCOMPARE(countIssues(validate(doc), ties, ""), std::size_t(0));
    // With task data the data-aware merges are valid; a model is refused on the tasks input.
    const NodeId tasks = doc.addNode("source.tasks");
    MG_VERIFY_OK(doc.setParam(tasks, "path", "tasks"));
    QVERIFY(doc.connect({models[0], 0}, {fisher, 1}).has_value());
    MG_VERIFY_OK(doc.connect({tasks, 0}, {fisher, 1}));
    QCOMPARE(countIssues(validate(doc), fisher, ""), std::size_t(0));
    const NodeId regmean = doc.addNode("merge.regmean");
    MG_VERIFY_OK(doc.connect({models[1], 0}, {regmean, 2}));
    MG_VERIFY_ISSUE(validate(doc), regmean, "RegMean needs each model's task data");
  }

  void adaptersNeedTheirBase() {
    Document doc;
    const NodeId base = doc.addNode("source.model");
    const NodeId adapter = doc.addNode("source.adapter");
    MG_VERIFY_OK(doc.setParam(base, "path", "/m/base"));
    MG_VERIFY_OK(doc.setParam(adapter, "path", "/m/adapter"));
    const NodeId ties = doc.addNode("merge.ties"); // with its base: fine
    MG_VERIFY_OK(doc.connect({base, 0}, {ties, 0}));
    MG_VERIFY_OK(doc.connect({adapter, 0}, {ties, 1}));
    const NodeId multislerp = doc.addNode("merge.multislerp"); // base optional, not given
    MG_VERIFY_OK(doc.connect({adapter, 0}, {multislerp, 1}));
    const NodeId wrongBase = doc.addNode("merge.task_arithmetic");
    MG_VERIFY_OK(doc.connect({adapter, 0}, {wrongBase, 0}));
    MG_VERIFY_OK(doc.connect({base, 0}, {wrongBase, 1}));
    const NodeId exporter = doc.addNode("sink.export"); // writes the adapter as it is
    MG_VERIFY_OK(doc.setParam(exporter, "path", "/m/out"));
    MG_VERIFY_OK(doc.connect({adapter, 0}, {exporter, 0}));
    const NodeId scale = doc.addNode("op.scale"); // its delta needs no base
    MG_VERIFY_OK(doc.connect({adapter, 0}, {scale, 0}));
    const NodeId extract = doc.addNode("lora.extract"); // the fine-tune may be an adapter of the base
    MG_VERIFY_OK(doc.connect({base, 0}, {extract, 0}));
    MG_VERIFY_OK(doc.connect({adapter, 0}, {extract, 1}));
    const NodeId evaluate = doc.addNode("sink.evaluate");
    MG_VERIFY_OK(doc.connect({adapter, 0}, {evaluate, 0}));

    const auto issues = validate(doc);
    QCOMPARE(countIssues(issues, ties, ""), std::size_t(0));
    MG_VERIFY_ISSUE(issues, multislerp,
                    "input 'models 1' is an adapter: connect the base model it was trained");
    MG_VERIFY_ISSUE(issues, wrongBase, "'base' needs a model, not an adapter");
    QCOMPARE(countIssues(issues, exporter, ""), std::size_t(0));
    QCOMPARE(countIssues(issues, scale, ""), std::size_t(0));
    QCOMPARE(countIssues(issues, extract, ""), std::size_t(0));
    MG_VERIFY_ISSUE(issues, evaluate, "input 'model' is an adapter");
  }

  void contentOnlyAFileCanHold() {
    Document doc;
    const NodeId tasks = doc.addNode("source.tasks");
    const NodeId scaleA = doc.addNode("op.scale");
    const NodeId scaleB = doc.addNode("op.scale");
    // restoreEdge() checks structure only, as loading does: a mismatch and a cycle get in.
    MG_VERIFY_OK(doc.restoreEdge({{{tasks, 0}, {scaleA, 0}}, 1.0}));
    const NodeId add = doc.addNode("op.add_delta");
    MG_VERIFY_OK(doc.restoreEdge({{{add, 0}, {scaleB, 0}}, 1.0})); // a model into a delta input
    MG_VERIFY_OK(doc.restoreEdge({{{scaleB, 0}, {add, 1}}, 1.0}));
    Node odd;
    odd.id = 50;
    odd.type = "merge.from_the_future";
    odd.title = "Future";
    doc.insertNode(odd);
    Node bent;
    bent.id = 51;
    bent.type = "merge.ties";
    bent.title = "Bent";
    bent.params["density"] = "dense";
    bent.params["colour"] = "teal";
    doc.insertNode(bent);

    const auto issues = validate(doc);
    MG_VERIFY_ISSUE(issues, scaleA, "input 'delta' takes a delta, not a tasks");
    MG_VERIFY_ISSUE(issues, scaleB, "input 'delta' takes a delta, not a model");
    MG_VERIFY_ISSUE(issues, scaleB, "is part of a cycle");
    MG_VERIFY_ISSUE(issues, add, "is part of a cycle");
    MG_VERIFY_ISSUE(issues, 50, "node type 'merge.from_the_future' is unknown to this version");
    MG_VERIFY_ISSUE(issues, 51, "density must be one number or a list of numbers, got \"dense\"");
    QCOMPARE(countIssues(issues, 51, "parameter 'colour' is not one of TIES's", Severity::Warning),
             std::size_t(1));
    QCOMPARE(countIssues(issues, tasks, ""), std::size_t(1)); // only its unset path
  }

  void issueTextNamesNodeAndInput() {
    Document doc;
    const NodeId ties = doc.addNode("merge.ties");
    const auto issues = validate(doc);
    const auto it = std::find_if(issues.begin(), issues.end(), [](const Issue& i) { return i.input == 0u; });
    QVERIFY(it != issues.end());
    MG_COMPARE_STR(issueText(doc, *it),
                   "error: 'TIES' (node " + std::to_string(ties) +
                       "), input 'base': TIES needs the base model: connect it to 'base'");
  }

  void shapesAgreeOrTheFirstDisagreementIsReported() {
    MergeGraph g;
    const auto& doc = g.doc;
    Opener opener;
    opener.add("/data/base.safetensors", model());
    opener.add("/data/a.safetensors", model(4, 12)); // a larger vocabulary is cropped, not an error
    opener.add("/data/b.safetensors", model(4));
    auto issues = validateShapes(doc, opener.callback());
    QVERIFY2(issues.empty(), mg::test::issuesText(doc, issues).c_str());
    QCOMPARE(opener.opened, 3);

    opener.add("/data/b.safetensors", model(5));
    issues = validateShapes(doc, opener.callback());
    QCOMPARE(issues.size(), std::size_t(1));
    QCOMPARE(issues[0].node, g.merge);
    QCOMPARE(issues[0].input, std::optional<std::size_t>(2));
    MG_COMPARE_STR(issues[0].message, "tensor 'model.layers.0.mlp.weight' has shape [5, 4] in 'models 2' "
                                      "(/data/b.safetensors) but [4, 4] in 'base' (/data/base.safetensors)");

    auto missing = model();
    missing.erase(missing.begin() + 1);
    opener.add("/data/b.safetensors", missing);
    issues = validateShapes(doc, opener.callback());
    QCOMPARE(issues.size(), std::size_t(1));
    QVERIFY2(mg::test::containsText(issues[0].message, "tensor 'model.layers.0.mlp.weight' of 'base' "
                                                       "(/data/base.safetensors) is missing from 'models 2'"),
             issues[0].message.c_str());
  }

  void shapesFollowTheGraph() {
    MergeGraph g;
    auto& doc = g.doc;
    const NodeId other = doc.addNode("source.model");
    MG_VERIFY_OK(doc.setParam(other, "path", "/data/other.safetensors"));
    const NodeId second = doc.addNode("merge.linear");
    MG_VERIFY_OK(doc.connect({g.merge, 0}, {second, 1}));
    MG_VERIFY_OK(doc.connect({other, 0}, {second, 2}));
    const NodeId missing = doc.addNode("source.model");
    MG_VERIFY_OK(doc.setParam(missing, "path", "/data/gone.safetensors"));
    MG_VERIFY_OK(doc.connect({missing, 0}, {second, 3}));
    Opener opener;
    for (const char* path : {"/data/base.safetensors", "/data/a.safetensors", "/data/b.safetensors"}) {
      opener.add(path, model());
    }
    opener.add("/data/other.safetensors", model(6));
    const auto issues = validateShapes(doc, opener.callback());
    // The merge's output has the base's tensors, so the second merge sees the mismatch.
    MG_VERIFY_ISSUE(issues, second,
                    "has shape [6, 4] in 'models 2' (/data/other.safetensors) but [4, 4] in "
                    "'models 1' ('TIES')");
    MG_VERIFY_ISSUE(issues, missing, "/data/gone.safetensors: no such file or folder");
  }

  void adaptersAreCheckedAgainstTheirBase() {
    mg::test::TempDir dir;
    const std::string q = "model.layers.0.self_attn.q_proj";
    mg::io::LoraConfig config;
    config.r = 2;
    config.loraAlpha = 4;
    config.targetModules = {"q_proj"};
    const std::string folder = dir.file("adapter");
    mg::io::writePeftAdapter(folder, config,
                             {mg::test::rampTensor(mg::io::peftKey(q, "lora_A"), {2, 8}),
                              mg::test::rampTensor(mg::io::peftKey(q, "lora_B"), {8, 2})});
    Document doc;
    const NodeId base = doc.addNode("source.model");
    MG_VERIFY_OK(doc.setParam(base, "path", "/m/base"));
    const NodeId adapter = doc.addNode("source.adapter");
    MG_VERIFY_OK(doc.setParam(adapter, "path", folder));
    const NodeId ties = doc.addNode("merge.ties");
    MG_VERIFY_OK(doc.connect({base, 0}, {ties, 0}));
    MG_VERIFY_OK(doc.connect({adapter, 0}, {ties, 1}));

    Opener opener;
    opener.add("/m/base", {{q + ".weight", DType::F32, {8, 8}}});
    const SourceOpener open = [&](const std::string& path) {
      return path == folder ? std::shared_ptr<const mg::io::TensorSource>(mg::io::openTensorSource(path))
                            : opener.callback()(path);
    };
    auto issues = validateShapes(doc, open);
    QVERIFY2(issues.empty(), mg::test::issuesText(doc, issues).c_str());

    opener.add("/m/base", {{q + ".weight", DType::F32, {6, 8}}});
    issues = validateShapes(doc, open);
    QCOMPARE(issues.size(), std::size_t(1));
    QCOMPARE(issues[0].input, std::optional<std::size_t>(1));
    QVERIFY2(
        mg::test::containsText(issues[0].message, "does not match base weight '" + q + ".weight' [6, 8]"),
        issues[0].message.c_str());
  }

  // A Fine-tune node trains from a model on task data; a full fine-tune makes a model, so its adapter output
  // (and an adapter to continue) is refused before a run, on the method parameter.
  void fineTuneNodesNeedTheirDataAndAFittingMethod() {
    Document doc;
    const NodeId base = doc.addNode("source.model");
    MG_VERIFY_OK(doc.setParam(base, "path", "/m/base"));
    const NodeId tune = doc.addNode(node_types::kFineTune);
    MG_VERIFY_OK(doc.connect({base, 0}, {tune, 0}));
    auto issues = validate(doc);
    MG_VERIFY_ISSUE(issues, tune, "'tasks'");
    const NodeId tasks = doc.addNode("source.tasks");
    MG_VERIFY_OK(doc.setParam(tasks, "path", "tasks"));
    MG_VERIFY_OK(doc.connect({tasks, 0}, {tune, 1}));
    const NodeId merge = doc.addNode("merge.task_arithmetic");
    MG_VERIFY_OK(doc.connect({base, 0}, {merge, 0}));
    MG_VERIFY_OK(doc.connect({tune, 0}, {merge, 1})); // the adapter, applied to the merge's base
    QCOMPARE(countIssues(validate(doc), tune, ""), std::size_t(0));
    QVERIFY(doc.setParam(tune, "rank", 0).has_value()); // below the schema's minimum

    MG_VERIFY_OK(doc.setParam(tune, "method", "full"));
    issues = validate(doc);
    MG_VERIFY_ISSUE(issues, tune, "a full fine-tune makes a model, not an adapter");
    doc.disconnect({merge, 1});
    MG_VERIFY_OK(doc.connect({tune, 1}, {merge, 1})); // its model output
    QCOMPARE(countIssues(validate(doc), tune, ""), std::size_t(0));
  }
};

MG_TEST_APPLESS_MAIN(ValidationTest)
#include "test_validation.moc"
