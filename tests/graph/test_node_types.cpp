// Port type compatibility, the node type registry, the built-in types and parameter definitions.
#include "support/test_registry.h"
#include <QtTest>

#include "graph/node_type_registry.h"
#include "graph_fixtures.h"
#include "ops/method_schemas.h"

using namespace mg::graph;

class NodeTypesTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void portTypeCompatibility() {
    const PortType all[] = {PortType::Model, PortType::Adapter, PortType::Delta,
                            PortType::Tasks, PortType::Scores,  PortType::Embeddings};
    for (const PortType from : all) {
      for (const PortType to : all) {
        const bool expected = from == to || (from == PortType::Adapter && to == PortType::Model) ||
                              (from == PortType::Adapter && to == PortType::Delta);
        QVERIFY2(canConnect(from, to) == expected,
                 (std::string(portTypeName(from)) + " -> " + portTypeName(to)).c_str());
      }
      QCOMPARE(portTypeFromName(portTypeName(from)), std::optional<PortType>(from));
    }
    QVERIFY(!canConnect(PortType::Model, PortType::Adapter)); // a model is not an adapter
    QVERIFY(!canConnect(PortType::Model, PortType::Delta));   // subtract a base first
    QVERIFY(!portTypeFromName("Model"));
  }

  void builtinsAreRegistered() {
    const auto& registry = NodeTypeRegistry::instance();
    for (const char* id : {"source.model", "source.adapter", "source.tasks", "lora.cat", "lora.svd",
                           "lora.extract", "op.scale", "op.add_delta", "op.subtract", "sink.export",
                           "sink.evaluate", "sink.compare", "sink.embedding_map", "sink.fisher"}) {
      QVERIFY2(registry.find(id) != nullptr, id);
    }
    for (const auto& method : mg::ops::mergeMethods()) {
      const NodeType* type = registry.find("merge." + method.name);
      QVERIFY2(type != nullptr, method.name.c_str());
      QCOMPARE(type->category, std::string("Merge"));
      QCOMPARE(type->title, method.title);
      QCOMPARE(mergeMethodOf(type->id), std::optional<std::string>(method.name));
      // The method's parameters, then what a mergekit recipe says beyond them (graph/merge_rules.h).
      QCOMPARE(type->params.size(), method.params.size() + 7);
      QCOMPARE(type->params.back().name, std::string("chat_template"));
      // One fixed optional base, (for the data-aware methods, fisher and regmean, their task data, and for
      // fisher a Fisher information node's statistics), then the variadic group of models.
      QCOMPARE(type->inputs.size(), std::size_t(method.name == "fisher" ? 4 : method.needsData ? 3 : 2));
      if (method.name == "fisher") QCOMPARE(type->inputs[2].type, PortType::Statistics);
      QCOMPARE(type->inputs[0].name, std::string("base"));
      QVERIFY(type->inputs[0].optional);
      if (method.needsData) QCOMPARE(type->inputs[1].type, PortType::Tasks);
      QVERIFY(type->variadicInput() != nullptr);
      QCOMPARE(type->variadicInput()->weighted, method.usesWeights);
      // Passthrough stacks layers: one model per slice, any number of slices.
      QCOMPARE(type->variadicInput()->maxCount, method.name == "passthrough" ? 0 : method.maxInputs);
    }
    QVERIFY(!mergeMethodOf("op.scale"));
    const std::vector<std::string> categories = {"Sources", "Merge", "LoRA", "Train", "Operators", "Sinks"};
    QCOMPARE(registry.categories(), categories);
    QCOMPARE(registry.typesIn("Sources").size(), std::size_t(3));
    QVERIFY(registry.get("sink.export").sink);
    QVERIFY(!registry.get("merge.ties").sink);
  }

  void mergeParametersComeFromOps() {
    const NodeType& ties = NodeTypeRegistry::instance().get("merge.ties");
    const ParamDef* density = ties.param("density");
    QVERIFY(density != nullptr);
    QCOMPARE(density->kind, ParamKind::RealList);
    QCOMPARE(density->defaultValue, ParamValue::array({1.0}));
    MG_COMPARE_STR(density->rangeText(), "(0, 1]");
    QVERIFY(!density->help.empty());
    const ParamDef* consensus = ties.param("consensus");
    QVERIFY(consensus != nullptr);
    QCOMPARE(consensus->kind, ParamKind::Choice);
    QCOMPARE(consensus->defaultValue, ParamValue("sum"));
    QCOMPARE(consensus->choices.size(), std::size_t(3));
    // Each method's own default, as core/ops states it.
    QCOMPARE(NodeTypeRegistry::instance().get("merge.linear").param("normalize")->defaultValue,
             ParamValue(true));
    QCOMPARE(ties.param("normalize")->defaultValue,
             ParamValue(mg::ops::mergeMethod("ties").param("normalize")->defaultValue == "true"));
    QCOMPARE(NodeTypeRegistry::instance().get("merge.task_arithmetic").param("normalize")->defaultValue,
             ParamValue(mg::ops::mergeMethod("task_arithmetic").param("normalize")->defaultValue == "true"));
    QCOMPARE(NodeTypeRegistry::instance().get("merge.dare_ties").param("seed")->kind, ParamKind::Int);
  }

  void exportSchema() {
    const NodeType& exporter = NodeTypeRegistry::instance().get("sink.export");
    QVERIFY(exporter.param("path")->required);
    QCOMPARE(exporter.param("path")->pathUse, PathUse::Write);
    QCOMPARE(exporter.param("dtype")->defaultValue, ParamValue("auto"));
    ParamValue size = "12MB";
    MG_VERIFY_OK(normalizeValue(*exporter.param("shard_size"), size));
    size = "a lot";
    MG_VERIFY_REFUSED(normalizeValue(*exporter.param("shard_size"), size), "shard_size is not a size");
    QCOMPARE(exporter.param("allow_non_finite")->defaultValue, ParamValue(false));
    QVERIFY(exporter.takesBareAdapters);
  }

  void valuesAreNormalizedAndChecked() {
    ParamDef real;
    real.name = "lambda";
    real.kind = ParamKind::Real;
    real.min = 0.0;
    real.minInclusive = false;
    ParamValue v = 2; // an integer for a real becomes a floating number
    MG_VERIFY_OK(normalizeValue(real, v));
    QVERIFY(v.is_number_float());
    v = 0.0;
    MG_VERIFY_REFUSED(normalizeValue(real, v), "lambda must be in (0, inf), got 0.0");
    v = "x";
    MG_VERIFY_REFUSED(normalizeValue(real, v), "lambda must be a number");

    ParamDef list = real;
    list.kind = ParamKind::RealList;
    v = 0.5;
    MG_VERIFY_OK(normalizeValue(list, v));
    QCOMPARE(v, ParamValue::array({0.5}));
    v = ParamValue::array();
    MG_VERIFY_REFUSED(normalizeValue(list, v), "one number or a list");

    ParamDef integer;
    integer.name = "rank";
    integer.kind = ParamKind::Int;
    integer.min = 1;
    v = 4.0;
    MG_VERIFY_OK(normalizeValue(integer, v));
    QVERIFY(v.is_number_integer());
    v = 4.5;
    MG_VERIFY_REFUSED(normalizeValue(integer, v), "rank must be an integer");
    v = 0;
    MG_VERIFY_REFUSED(normalizeValue(integer, v), "rank must be in [1, inf)");

    ParamDef pick;
    pick.name = "mode";
    pick.kind = ParamKind::Choice;
    pick.choices = {"a", "b"};
    v = "c";
    MG_VERIFY_REFUSED(normalizeValue(pick, v), "mode must be one of a | b");
  }

  void textSpellings() {
    ParamDef list;
    list.name = "density";
    list.kind = ParamKind::RealList;
    ParamValue v;
    MG_VERIFY_OK(parseValue(list, " 0.3, 0.5 ", v));
    QCOMPARE(v, ParamValue::array({0.3, 0.5}));
    MG_COMPARE_STR(valueText(v), "0.3,0.5");
    ParamDef real;
    real.name = "t";
    real.kind = ParamKind::Real;
    MG_VERIFY_REFUSED(parseValue(real, "0,5", v), "t must be a number"); // never a decimal comma
    ParamDef flag;
    flag.name = "normalize";
    flag.kind = ParamKind::Bool;
    MG_VERIFY_OK(parseValue(flag, "yes", v));
    QCOMPARE(v, ParamValue(true));
    MG_COMPARE_STR(valueText(v), "true");
    MG_VERIFY_REFUSED(parseValue(flag, "maybe", v), "normalize must be true or false");
    MG_COMPARE_STR(valueText(ParamValue(1e-05)), "1e-05");
    MG_COMPARE_STR(valueText(ParamValue("ties")), "ties");
  }

  void customTypesJoinAndBadOnesAreRefused() {
    NodeTypeRegistry registry;
    NodeType router;
    router.id = "route.nearest";
    router.title = "Nearest router";
    router.category = "Routing";
    router.inputs = {{"adapters", PortType::Adapter, false, true, false, 0, ""}};
    router.outputs = {{"model", PortType::Model, false, false, false, 0, ""}};
    registry.registerType(router);
    QVERIFY(registry.find("route.nearest") != nullptr);
    QCOMPARE(registry.categories(), std::vector<std::string>{"Routing"});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, registry.registerType(router)); // duplicate id

    NodeType bad = router;
    bad.id = "bad.variadic";
    bad.inputs.push_back({"base", PortType::Model, true, false, false, 0, ""}); // after the variadic group
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, registry.registerType(bad));
    bad = router;
    bad.id = "bad.default";
    ParamDef p;
    p.name = "k";
    p.kind = ParamKind::Int;
    p.defaultValue = 1.5;
    bad.params = {p};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, registry.registerType(bad));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, registry.get("bad.default"));

    Document doc(registry);
    const NodeId id = doc.addNode("route.nearest");
    QCOMPARE(doc.inputCount(id), std::size_t(1));
  }
};

MG_TEST_APPLESS_MAIN(NodeTypesTest)
#include "test_node_types.moc"
