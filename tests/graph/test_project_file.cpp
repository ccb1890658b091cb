// The .mgproj file: its exact text, byte-identical round trips, relative paths, unknown node types kept,
// one-line load errors and atomic saves.
#include "support/test_registry.h"
#include <QtTest>

#include <filesystem>

#include "graph/project_file.h"
#include "graph/validation.h"
#include "graph_fixtures.h"
#include "support/temp_dir.h"

using namespace mg::graph;
using mg::test::MergeGraph;
using mg::test::TempDir;

namespace {

// The ProjectError `action` throws, as text; fails the test when there is none.
std::string projectError(const std::function<void()>& action) {
  try {
    action();
  } catch (const ProjectError& error) {
    return error.what();
  } catch (const std::exception& error) {
    return std::string("not a ProjectError: ") + error.what();
  }
  return "nothing thrown";
}

const char* kGolden = R"({
  "format": "merganser-project",
  "version": 2,
  "next_id": 6,
  "nodes": [
    {
      "id": 1,
      "type": "source.adapter",
      "title": "Math adapter",
      "position": [0.0, -10.5],
      "params": {
        "path": "adapters/math"
      }
    },
    {
      "id": 2,
      "type": "op.scale",
      "title": "Scale",
      "position": [200.0, 0.0],
      "params": {
        "factor": 0.5
      }
    },
    {
      "id": 3,
      "type": "source.model",
      "title": "Base",
      "position": [0.0, 100.0],
      "params": {
        "path": "../shared/base.safetensors"
      }
    },
    {
      "id": 4,
      "type": "merge.linear",
      "title": "Linear",
      "position": [400.0, 50.0],
      "params": {
        "chat_template": "",
        "dtype": "auto",
        "normalize": true,
        "pad_to_multiple_of": 0,
        "rules": "",
        "slices": "",
        "tokenizer_model": "",
        "tokenizer_source": "none"
      },
      "weights": [1.0, 0.25]
    },
    {
      "id": 5,
      "type": "lora.svd",
      "title": "SVD to LoRA",
      "position": [400.0, 0.0],
      "params": {
        "rank": 8
      }
    }
  ],
  "edges": [
    {"from": [1, 0], "to": [2, 0]},
    {"from": [3, 0], "to": [4, 1]},
    {"from": [1, 0], "to": [4, 2]},
    {"from": [2, 0], "to": [5, 0]}
  ]
}
)";

} // namespace

class ProjectFileTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void textIsStableAndReadable() {
    Document doc;
    const NodeId adapter = doc.addNode("source.adapter", {0, -10.5});
    doc.setTitle(adapter, "Math adapter");
    MG_VERIFY_OK(doc.setParam(adapter, "path", "/work/project/adapters/math/"));
    const NodeId scale = doc.addNode("op.scale", {200, 0});
    MG_VERIFY_OK(doc.setParam(scale, "factor", 0.5));
    const NodeId base = doc.addNode("source.model", {0, 100});
    doc.setTitle(base, "Base");
    MG_VERIFY_OK(doc.setParam(base, "path", "/work/shared/base.safetensors"));
    const NodeId linear = doc.addNode("merge.linear", {400, 50});
    const NodeId svd = doc.addNode("lora.svd", {400, 0});
    MG_VERIFY_OK(doc.setParam(svd, "rank", 8));
    // Edges made in any order are written sorted by input.
    MG_VERIFY_OK(doc.connect({scale, 0}, {svd, 0}));
    MG_VERIFY_OK(doc.connect({base, 0}, {linear, 1}));
    MG_VERIFY_OK(doc.connect({adapter, 0}, {linear, 2}, 0.25));
    MG_VERIFY_OK(doc.connect({adapter, 0}, {scale, 0}));
    MG_COMPARE_STR(projectText(doc, "/work/project"), kGolden);

    const Document back = parseProject(kGolden, "/work/project", "golden.mgproj");
    MG_COMPARE_STR(*back.param(adapter, "path"), "/work/project/adapters/math");
    MG_COMPARE_STR(*back.param(base, "path"), "/work/shared/base.safetensors");
    QCOMPARE(back.at(linear).weights, (std::vector<double>{1.0, 0.25}));
    MG_COMPARE_STR(projectText(back, "/work/project"), kGolden);
  }

  void saveLoadSaveIsByteIdentical() {
    TempDir dir;
    MergeGraph g;
    MG_VERIFY_OK(g.doc.setParam(g.merge, "lambda", 0.1 + 0.2)); // a number with a long shortest form
    MG_VERIFY_OK(g.doc.setParam(g.merge, "density", ParamValue::array({0.3, 1e-05})));
    MG_VERIFY_OK(g.doc.setParam(g.exporter, "shard_size", "500MB"));
    g.doc.setTitle(g.merge, "TIES — λ \"quoted\"\ttab");
    g.doc.move(g.a, {-1.0 / 3.0, 1e21});
    g.doc.removeNode(g.doc.addNode("op.scale")); // a used id: next_id is kept
    const std::string first = dir.file("p.mgproj");
    saveProject(g.doc, first);
    const Document loaded = loadProject(first);
    const std::string second = dir.file("q.mgproj");
    saveProject(loaded, second);
    MG_COMPARE_STR(mg::test::readBytes(second), mg::test::readBytes(first));

    QCOMPARE(loaded.nodes().size(), g.doc.nodes().size());
    QCOMPARE(loaded.edges(), g.doc.edges());
    QCOMPARE(loaded.nextId(), g.doc.nextId());
    QCOMPARE(loaded.at(g.merge).title, g.doc.at(g.merge).title);
    QCOMPARE(loaded.at(g.a).position, g.doc.at(g.a).position);
    QCOMPARE(loaded.at(g.merge).params, g.doc.at(g.merge).params);
    QCOMPARE(loaded.at(g.merge).weights, g.doc.at(g.merge).weights);
    // Nothing but the project files: the saves went through a temporary file, renamed.
    QCOMPARE(mg::test::listFolder(dir.path()), (std::vector<std::string>{"p.mgproj", "q.mgproj"}));
  }

  void pathsAreRelativeToTheProjectFolder() {
    TempDir dir;
    const std::string models = dir.file("models");
    std::filesystem::create_directories(models);
    std::filesystem::create_directories(dir.file("project"));
    Document doc;
    const NodeId inside = doc.addNode("source.model");
    MG_VERIFY_OK(doc.setParam(inside, "path", dir.file("project/local.safetensors")));
    const NodeId beside = doc.addNode("source.model");
    MG_VERIFY_OK(doc.setParam(beside, "path", models + "/base.safetensors"));
    const NodeId unset = doc.addNode("source.tasks");
    const std::string file = dir.file("project/p.mgproj");
    saveProject(doc, file);
    const std::string text = mg::test::readBytes(file);
    QVERIFY2(mg::test::containsText(text, "\"path\": \"local.safetensors\""), text.c_str());
    QVERIFY2(mg::test::containsText(text, "\"path\": \"../models/base.safetensors\""), text.c_str());
    QVERIFY2(mg::test::containsText(text, "\"path\": \"\""), text.c_str()); // unset stays unset

    Document loaded = loadProject(file);
    QCOMPARE(*loaded.param(inside, "path"), *doc.param(inside, "path"));
    QCOMPARE(*loaded.param(beside, "path"), *doc.param(beside, "path"));
    QCOMPARE(*loaded.param(unset, "path"), ParamValue(""));

    // Moving the whole tree keeps the project working: paths resolve against the file's new place.
    const std::string moved = dir.file("elsewhere/deeper");
    std::filesystem::create_directories(moved + "/project");
    std::filesystem::copy_file(file, moved + "/project/p.mgproj");
    loaded = loadProject(moved + "/project/p.mgproj");
    MG_COMPARE_STR(*loaded.param(beside, "path"), moved + "/models/base.safetensors");
  }

  void unknownNodeTypesAreKept() {
    const std::string text = R"({
  "format": "merganser-project",
  "version": 2,
  "next_id": 3,
  "nodes": [
    {
      "id": 1,
      "type": "route.arrow",
      "title": "Router from the future",
      "position": [0.0, 0.0],
      "params": {
        "experts": {"k": 2, "temperature": 0.7},
        "path": "relative/stays/as/is"
      },
      "weights": [0.5, 2.0]
    },
    {
      "id": 2,
      "type": "sink.export",
      "title": "Export",
      "position": [100.0, 0.0],
      "params": {
        "allow_non_finite": false,
        "dtype": "auto",
        "path": "../out/model.safetensors",
        "shard_size": "5GB"
      }
    }
  ],
  "edges": [
    {"from": [1, 3], "to": [2, 0]}
  ]
}
)";
    const Document doc = parseProject(text, "/proj", "future.mgproj");
    QVERIFY(doc.nodeType(1) == nullptr);
    QCOMPARE(doc.outputCount(1), std::size_t(4)); // as many as its edges use
    QCOMPARE(doc.source({2, 0}), std::optional<PortRef>(PortRef{1, 3}));
    const auto issues = validate(doc);
    QCOMPARE(mg::test::countIssues(issues, 1, "node type 'route.arrow' is unknown"), std::size_t(1));
    MG_COMPARE_STR(projectText(doc, "/proj"), text); // written back unchanged
    Document edit = doc;
    MG_VERIFY_REFUSED(edit.setParam(1, "path", "x"), "its parameters cannot be edited");
    MG_VERIFY_REFUSED(edit.connect({1, 0}, {2, 1}), "has a node type this version does not know");
  }

  void projectsWithEarlierParameterNamesStillLoad() {
    // Before mergekit's names: model_stock's row_wise, nuslerp's row_wise / flatten, multislerp's normalize,
    // rescale "l1" / "none". They load as the new parameters and are saved under the new names.
    const std::string text = R"({"format": "merganser-project", "version": 1, "nodes": [
      {"id": 1, "type": "merge.model_stock", "params": {"row_wise": true}},
      {"id": 2, "type": "merge.nuslerp", "params": {"row_wise": true, "flatten": false}},
      {"id": 3, "type": "merge.multislerp", "params": {"normalize": false}},
      {"id": 4, "type": "merge.dare_ties", "params": {"rescale": "l1"}},
      {"id": 5, "type": "merge.della", "params": {"rescale": "none"}},
      {"id": 6, "type": "merge.ties", "params": {"rescale": true}}], "edges": []})";
    const Document doc = parseProject(text, "/p", "old.mgproj");
    QCOMPARE(*doc.param(1, "filter_wise"), ParamValue(true));
    QCOMPARE(*doc.param(2, "nuslerp_row_wise"), ParamValue(true));
    QCOMPARE(*doc.param(2, "nuslerp_flatten"), ParamValue(false));
    QCOMPARE(*doc.param(3, "normalize_weights"), ParamValue(false));
    QCOMPARE(*doc.param(4, "rescale"), ParamValue("true"));
    QCOMPARE(*doc.param(5, "rescale"), ParamValue("false"));
    QCOMPARE(*doc.param(6, "rescale"), ParamValue("true")); // mergekit's boolean spelling
    for (const auto& issue : validate(doc))
      QVERIFY2(issue.param.empty(), issue.message.c_str()); // no parameter is unknown or out of range
    const auto saved = projectText(doc, "/p");
    QVERIFY(saved.find("\"row_wise\"") == std::string::npos);
    QVERIFY(saved.find("\"flatten\"") == std::string::npos);
    QVERIFY(saved.find("\"filter_wise\": true") != std::string::npos);
    QVERIFY(saved.find("\"l1\"") == std::string::npos);
  }

  void versionOneWiresStayOnTheirInputs() {
    // Version 2 put 'statistics' before a Fisher merge's 'models' and 'fit' before a Router's 'adapters': a
    // version-1 file's wires to port 2 and 3 (the first two models or adapters) land where they were drawn.
    const std::string text = R"({"format": "merganser-project", "version": 1, "nodes": [
      {"id": 1, "type": "source.model"}, {"id": 2, "type": "source.model"}, {"id": 3, "type": "source.tasks"},
      {"id": 4, "type": "merge.fisher", "weights": [1, 2]}, {"id": 5, "type": "route.router"},
      {"id": 6, "type": "source.adapter"}],
      "edges": [{"from": [3, 0], "to": [4, 1]}, {"from": [1, 0], "to": [4, 2]}, {"from": [2, 0], "to": [4, 3]},
                {"from": [1, 0], "to": [5, 0]}, {"from": [3, 0], "to": [5, 1]}, {"from": [6, 0], "to": [5, 2]}]})";
    const Document doc = parseProject(text, "/p", "old.mgproj");
    const auto models = *doc.nodeType(4)->inputIndex("models");
    QCOMPARE(models, std::size_t(3));
    QCOMPARE(doc.source({4, 1})->node, NodeId(3));
    QVERIFY(!doc.source({4, 2}));
    QCOMPARE(doc.source({4, models})->node, NodeId(1));
    QCOMPARE(doc.source({4, models + 1})->node, NodeId(2));
    QCOMPARE(doc.at(4).weights, (std::vector<double>{1, 2}));
    QVERIFY(projectText(doc, "/p").find("\"to\": [4, 4]") != std::string::npos); // saved as version 2
    QCOMPARE(doc.source({5, 1})->node, NodeId(3));
    QVERIFY(!doc.source({5, 2})); // 'fit' stays free
    QCOMPARE(doc.source({5, *doc.nodeType(5)->inputIndex("adapters")})->node, NodeId(6));
  }

  void valuesThatBreakTheSchemaAreKeptForValidation() {
    const std::string text = R"({"format": "merganser-project", "version": 1, "nodes": [
      {"id": 7, "type": "merge.ties", "params": {"density": 1.5, "lambda": 2}}], "edges": []})";
    const Document doc = parseProject(text, "/p", "odd.mgproj");
    QCOMPARE(*doc.param(7, "density"), ParamValue(1.5));     // kept as written
    QVERIFY(doc.param(7, "lambda")->is_number_float());      // normalized: an integer for a real
    QCOMPARE(*doc.param(7, "consensus"), ParamValue("sum")); // missing: the default
    QCOMPARE(doc.at(7).title, std::string("TIES"));
    QCOMPARE(doc.nextId(), NodeId(8));
    QCOMPARE(mg::test::countIssues(validate(doc), 7, "density must be in (0, 1], got 1.5"), std::size_t(1));
  }

  void loadErrorsAreOneLineAndNameTheFile() {
    TempDir dir;
    const auto load = [&](const std::string& content) {
      const std::string file = dir.file("bad.mgproj");
      mg::test::writeBytes(file, content);
      return projectError([&] { loadProject(file); });
    };
    const std::string head = R"({"format": "merganser-project", "version": 1, )";
    const std::string ties = R"({"id": 1, "type": "merge.ties"}, {"id": 2, "type": "source.model"})";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"{ nope", "not valid JSON"},
        {R"({"format": "something-else", "version": 1, "nodes": [], "edges": []})",
         "is not a merganser-project"},
        {R"({"format": "merganser-project", "version": 3, "nodes": [], "edges": []})",
         "was saved by a newer Merganser (version 3; this one reads up to 2)"},
        {head + R"("nodes": [{"id": 1, "type": "op.scale"}, {"id": 1, "type": "op.scale"}], "edges": []})",
         "node id 1 appears twice"},
        {head + R"("nodes": [{"id": 1, "type": 5}], "edges": []})", "node 1: type must be text"},
        {head + R"("nodes": [{"type": "op.scale"}], "edges": []})", "a node has no \"id\""},
        {head + R"("nodes": [)" + ties + R"(], "edges": [{"from": [2, 0], "to": [1, 4]}]})",
         "edge 2:0 -> 1:4: 'TIES' has no input 5"},
        {head + R"("nodes": [)" + ties + R"(], "edges": [{"from": [2, 1], "to": [1, 0]}]})",
         "'Model' has no output 2"},
        {head + R"("nodes": [)" + ties + R"(], "edges": [{"from": [9, 0], "to": [1, 0]}]})",
         "there is no node 9"},
        {head + R"("nodes": [)" + ties + R"(], "edges": [{"from": [2, 0], "to": [1, 1]}]})",
         "lists fewer weights than connected inputs"},
        {head + R"("nodes": [{"id": 1, "type": "merge.ties", "weights": [1, 2]}, )" +
             R"({"id": 2, "type": "source.model"}], "edges": [{"from": [2, 0], "to": [1, 1]}]})",
         "node 1 lists 2 weights for 1 weighted inputs"},
        {head + R"("nodes": [)" + ties +
             R"(], "edges": [{"from": [2, 0], "to": [1, 0]}, {"from": [2, 0], "to": [1, 0]}]})",
         "is already connected"},
        {head + R"("nodes": {}, "edges": []})", "nodes and edges must be lists"},
        {head + R"("nodes": [{"id": 1, "type": "op.scale", "title": 3}], "edges": []})",
         "unexpected content"},
    };
    for (const auto& [content, fragment] : cases) {
      const std::string message = load(content);
      QVERIFY2(message.rfind(dir.file("bad.mgproj") + ": ", 0) == 0, message.c_str());
      QVERIFY2(mg::test::containsText(message, fragment), (message + "  <- expected: " + fragment).c_str());
      QVERIFY2(message.find('\n') == std::string::npos, message.c_str());
    }
    const std::string missing = projectError([&] { loadProject(dir.file("missing.mgproj")); });
    QVERIFY2(missing.rfind(dir.file("missing.mgproj") + ": ", 0) == 0, missing.c_str());
  }

  void savingToAnUnwritablePlaceThrows() {
    TempDir dir;
    MergeGraph g;
    QVERIFY_THROWS_EXCEPTION(mg::io::IoError, saveProject(g.doc, dir.file("no/such/folder/p.mgproj")));
    QVERIFY(mg::test::listFolder(dir.path()).empty());
  }
};

MG_TEST_APPLESS_MAIN(ProjectFileTest)
#include "test_project_file.moc"
