// Routing inputs among LoRA specialists (core/route) on the quick demo zoo: the mixing arithmetic (SMEAR
// with one-hot weights is that specialist), Arrow's prototypes (the top right singular vector of B·A), the
// nearest-embedding router choosing each task's own specialist, and the Router node charted beside merges.
#include "support/test_registry.h"
#include <QtTest>

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/ATen.h>

#include <filesystem>
#include <iomanip>
#include <sstream>

#include "demo/demo_tasks.h"
#include "demo/demo_zoo.h"
#include "weights/adapter_weights.h"
#include "engine/graph_executor.h"
#include "weights/source_weights.h"
#include "eval/evaluation.h"
#include "eval/cnn_classifier.h"
#include "eval/mlp_classifier.h"
#include "io/safetensors_writer.h"
#include "io/tensor_source.h"
#include "graph/builtin_node_types.h"
#include "graph/document.h"
#include "io/hf_model_folder.h"
#include "io/idx_file.h"
#include "io/peft_adapter.h"
#include "io/task_file.h"
#include "route/routed_classifier.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

using namespace mg;
namespace fs = std::filesystem;

namespace {

at::Tensor inputsOf(const io::TaskData& task) {
  return at::from_blob(const_cast<float*>(task.inputs.data()), task.inputShape, at::kFloat);
}

std::string percent(double value) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << 100.0 * value;
  return out.str();
}

} // namespace

class RoutingTest : public QObject {
  Q_OBJECT
  test::TempDir dir_;
  std::string zoo_;
  engine::WeightSetPtr base_;
  std::vector<std::pair<std::string, std::shared_ptr<const io::PeftAdapter>>> adapters_;
  std::shared_ptr<const route::AdapterLibrary> library_;
  std::vector<io::TaskData> tasks_;

  const io::TaskData& task(const std::string& name) const {
    return *std::find_if(tasks_.begin(), tasks_.end(), [&](const auto& t) { return t.name == name; });
  }
  // Accuracy of the specialist `name` on its own task, evaluated as the Evaluate node does (merged weights).
  double specialistAccuracy(const std::string& name) const {
    const int j = library_->indexOf(name);
    const eval::MlpClassifier model(engine::AdapterWeights(base_, adapters_[j].second));
    return eval::evaluate(model, task(name)).accuracy;
  }

  // A Router's confusion matrix: tasks x specialists, each row the task's routedCounts as shares, the own
  // specialist's share being the task's routing accuracy.
  void checkRoutingMatrix(const engine::NodeStatus& status, const std::string& label,
                          graph::NodeId tasksNode) {
    QCOMPARE(status.matrices.size(), std::size_t(1));
    const auto& matrix = status.matrices.front();
    const auto& scores = *status.results.front().scores;
    QCOMPARE(matrix.kind, std::string("routing"));
    QCOMPARE(matrix.title, "Routing of " + label);
    QCOMPARE(matrix.rows.size(), scores.size());
    QCOMPARE(matrix.columns.size(), library_->size());
    for (std::size_t j = 0; j < library_->size(); ++j)
      QCOMPARE(matrix.columns[j], library_->specialists()[j].name);
    QCOMPARE(matrix.rowNodes, std::vector<graph::NodeId>(scores.size(), tasksNode));
    QVERIFY(matrix.note.find("Routing accuracy") != std::string::npos);
    for (std::size_t i = 0; i < scores.size(); ++i) {
      QCOMPARE(matrix.rows[i], scores[i].task);
      QCOMPARE(matrix.values[i].size(), matrix.columns.size());
      double sum = 0;
      for (std::size_t j = 0; j < matrix.columns.size(); ++j) {
        sum += matrix.values[i][j];
        QCOMPARE(matrix.values[i][j], double(scores[i].routedCounts[j]) / double(scores[i].examples));
      }
      QVERIFY(std::abs(sum - 1.0) < 1e-9);
      const int own = library_->indexOf(scores[i].task);
      if (own >= 0) QCOMPARE(matrix.values[i][std::size_t(own)], *scores[i].routingAccuracy);
    }
  }

private Q_SLOTS:
  void topKSoftmaxKeepsTheLargestScores() {
    const auto scores = at::tensor(std::vector<double>{0.1, 0.7, 0.2, -1.0}).reshape({1, 4}).to(at::kFloat);
    const auto top1 = route::topKSoftmax(scores, 1, 1.0);
    QVERIFY(at::equal(top1, at::tensor(std::vector<float>{0.f, 1.f, 0.f, 0.f}).reshape({1, 4})));
    const auto top2 = route::topKSoftmax(scores, 2, 0.5);
    QCOMPARE(top2[0][0].item<float>(), 0.f);
    QVERIFY(std::abs(top2[0][1].item<float>() - 1.f / (1.f + std::exp(-1.f))) < 1e-6); // softmax(1.4, 0.4)
    QVERIFY(std::abs(top2.sum().item<float>() - 1.f) < 1e-6);
    QVERIFY(route::topKSoftmax(scores, 0, 1.0).gt(0).all().item<bool>()); // all kept
    // A specialist that cannot take part (-inf) is never chosen; a row with none gets no weight at all.
    const auto masked =
        at::tensor(std::vector<float>{-INFINITY, 0.5f, -INFINITY, -INFINITY, -INFINITY, -INFINITY})
            .reshape({2, 3});
    const auto weights = route::topKSoftmax(masked, 2, 1.0);
    QVERIFY(at::equal(weights, at::tensor(std::vector<float>{0.f, 1.f, 0.f, 0.f, 0.f, 0.f}).reshape({2, 3})));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, route::topKSoftmax(scores, 1, 0.0));
  }

  void arrowPrototypeIsTheTopRightSingularVectorOfBA() {
    auto generator = at::detail::createCPUGenerator(3);
    for (const auto& [rank, in, out] : {std::tuple{4, 12, 9}, std::tuple{8, 30, 20}, std::tuple{1, 5, 7}}) {
      const auto a = at::randn({rank, in}, generator);
      const auto b = at::randn({out, rank}, generator);
      const auto v = route::arrowPrototype(a, b, 11);
      const auto svd = at::linalg_svd(at::matmul(b, a).to(at::kDouble), false);
      const auto top = std::get<2>(svd)[0].to(at::kFloat); // Vh's first row
      QCOMPARE(v.sizes().vec(), std::vector<std::int64_t>{in});
      QVERIFY2(std::abs(std::abs(at::dot(v, top).item<float>()) - 1.f) < 1e-5,
               ("rank " + std::to_string(rank)).c_str());
    }
    // An adapter that changes nothing has no direction.
    QCOMPARE(route::arrowPrototype(at::randn({2, 6}), at::zeros({3, 2})).abs().sum().item<float>(), 0.f);
  }

  void initTestCase() {
    if (!fs::exists(std::string(io::kFashionMnistFolder)))
      QSKIP("dataset-fashion-mnist is not installed (packaging/install-deps.sh installs it)");
    zoo_ = dir_.file("zoo");
    demo::DemoOptions options;
    options.outFolder = zoo_;
    options.quick = true;
    const auto report = demo::buildDemoZoo(options);
    base_ = std::make_shared<engine::SourceWeights>(
        std::make_shared<io::HfModelFolder>((fs::path(zoo_) / "base").string()));
    for (const auto& specialist : report.specialists)
      if (!specialist.fullFineTune)
        adapters_.emplace_back(specialist.task, std::make_shared<io::PeftAdapter>(specialist.folder));
    library_ = std::make_shared<route::AdapterLibrary>(base_, adapters_);
    tasks_ = io::readTaskSet((fs::path(zoo_) / "tasks").string());
  }

  void smearWithOneHotWeightsIsThatSpecialist() {
    const auto inputs = inputsOf(task("original")).narrow(0, 0, 200);
    for (std::size_t j = 0; j < library_->size(); ++j) {
      auto mix = at::zeros({inputs.size(0), std::int64_t(library_->size())});
      mix.select(1, std::int64_t(j)).fill_(1.0);
      const auto routed = library_->mixedForward(inputs, {}, mix);
      // The specialist as the Evaluate node runs it: base + s·B·A merged into the weights.
      const eval::MlpClassifier specialist(engine::AdapterWeights(base_, adapters_[j].second));
      const auto expected = specialist.logits(inputs);
      const double difference = (routed - expected).abs().max().item<double>();
      QVERIFY2(difference < 1e-4, (adapters_[j].first + ": " + std::to_string(difference)).c_str());
      QVERIFY(at::equal(routed.argmax(1), expected.argmax(1)));
    }
    // SMEAR's own probabilities cover every specialist and sum to one per input.
    route::RouterOptions options;
    options.method = route::RouterMethod::Smear;
    const auto smear = route::makeRouter(*library_, tasks_, options);
    at::Tensor weights;
    smear->run(*library_, inputs, {}, &weights);
    QVERIFY(weights.gt(0).all().item<bool>());
    QVERIFY(at::allclose(weights.sum(1), at::ones({inputs.size(0)})));
  }

  void nearestRouterPicksEachTasksOwnSpecialist() {
    route::RouterOptions options; // nearest, top-1
    const route::RoutedClassifier routed(library_, route::makeRouter(*library_, tasks_, options));
    double routingSum = 0;
    for (const auto& [name, adapter] : adapters_) {
      const auto score = route::evaluateRouted(routed, task(name));
      QVERIFY(score.routingAccuracy.has_value());
      const double alone = specialistAccuracy(name);
      qInfo("%s: routed to its specialist %s%%, accuracy %s%% (specialist alone %s%%)", name.c_str(),
            percent(*score.routingAccuracy).c_str(), percent(score.accuracy).c_str(), percent(alone).c_str());
      routingSum += *score.routingAccuracy;
      // Chance is one in three; the nearest prototype finds the specialist far more often.
      QVERIFY2(*score.routingAccuracy > 0.55, name.c_str());
      QVERIFY2(score.accuracy > alone - 0.08, name.c_str());
      std::int64_t sent = 0;
      for (const auto count : score.routedCounts)
        sent += count;
      QCOMPARE(sent, task(name).size());
    }
    QVERIFY(routingSum / double(adapters_.size()) > 0.75);
    // A task without a specialist has no routing accuracy, but its routing row still adds up.
    const auto novel = route::evaluateRouted(routed, task("rotate+invert"));
    QVERIFY(!novel.routingAccuracy);
    QCOMPARE(novel.routedTo.size(), library_->size());
  }

  // Arrow needs no data: three rank-1 adapters of layers.0 reading orthogonal input directions d_j; an input
  // along d_j engages adapter j's update the most, and Arrow sends it there.
  // A CNN base: its convolutions run unchanged and each specialist's LoRA acts on the dense layers after
  // them, so one-hot routing equals that specialist applied to the base (as the Evaluate node runs it).
  void aCnnBaseIsRoutedBehindItsConvolutions() {
    auto generator = at::detail::createCPUGenerator(11);
    const auto t = [&](const std::string& name, std::vector<std::int64_t> shape) {
      return tensor::fromTorch(0.3 * at::randn(shape, generator), name, io::DType::F32);
    };
    const auto basePath = dir_.file("cnn_base.safetensors");
    io::writeSafetensors(basePath, {t("convs.0.weight", {4, 1, 3, 3}), t("convs.0.bias", {4}),
                                    t("layers.0.weight", {8, 64}), t("layers.0.bias", {8}),
                                    t("head.weight", {3, 8}), t("head.bias", {3})});
    const engine::WeightSetPtr base = std::make_shared<engine::SourceWeights>(
        std::shared_ptr<const io::TensorSource>(io::openTensorSource(basePath)));
    std::vector<std::pair<std::string, std::shared_ptr<const io::PeftAdapter>>> adapters;
    for (int j = 0; j < 2; ++j) {
      io::LoraConfig config;
      config.r = 2;
      config.loraAlpha = 2;
      config.targetModules = {"layers.0", "head"};
      const auto folder = dir_.file("cnn_lora" + std::to_string(j));
      io::writePeftAdapter(
          folder, config,
          {t(io::peftKey("layers.0", "lora_A"), {2, 64}), t(io::peftKey("layers.0", "lora_B"), {8, 2}),
           t(io::peftKey("head", "lora_A"), {2, 8}), t(io::peftKey("head", "lora_B"), {3, 2})});
      adapters.emplace_back("cnn" + std::to_string(j), std::make_shared<io::PeftAdapter>(folder));
    }
    const route::AdapterLibrary library(base, adapters);
    QVERIFY2(library.describe().find("MerganserCNN") != std::string::npos, library.describe().c_str());
    const auto inputs = at::rand({5, 1, 8, 8}, generator);
    for (std::size_t j = 0; j < 2; ++j) {
      auto mix = at::zeros({5, 2});
      mix.select(1, std::int64_t(j)).fill_(1.0);
      const auto routed = library.mixedForward(inputs, {}, mix);
      const eval::CnnClassifier specialist(engine::AdapterWeights(base, adapters[j].second));
      const double difference = (routed - specialist.logits(inputs)).abs().max().item<double>();
      QVERIFY2(difference < 1e-5, std::to_string(difference).c_str());
    }
    // A LoRA of a convolution cannot be routed: the error names the adapter and the module.
    io::LoraConfig config;
    config.targetModules = {"convs.0"};
    const auto folder = dir_.file("cnn_conv_lora");
    io::writePeftAdapter(folder, config,
                         {t(io::peftKey("convs.0", "lora_A"), {8, 1, 3, 3}),
                          t(io::peftKey("convs.0", "lora_B"), {4, 8, 1, 1})});
    try {
      route::AdapterLibrary refused(base, {{"conv", std::make_shared<io::PeftAdapter>(folder)}});
      QFAIL("a convolution LoRA was routed");
    } catch (const std::exception& e) {
      QVERIFY2(std::string(e.what()).find("cnn_conv_lora") != std::string::npos, e.what());
    }
  }

  void arrowSendsAnInputToTheAdapterThatActsOnIt() {
    auto generator = at::detail::createCPUGenerator(5);
    const auto directions = std::get<0>(at::linalg_qr(at::randn({784, 3}, generator))).t(); // [3, 784]
    std::vector<std::pair<std::string, std::shared_ptr<const io::PeftAdapter>>> adapters;
    for (std::int64_t j = 0; j < 3; ++j) {
      io::LoraConfig config;
      config.r = 1;
      config.loraAlpha = 1;
      config.targetModules = {"layers.0"};
      const auto a = directions[j].unsqueeze(0).contiguous();                  // [1, 784]
      const auto b = at::randn({library_->loraB(0, 0).size(0), 1}, generator); // [hidden, 1]
      const auto folder = dir_.file("arrow" + std::to_string(j));
      io::writePeftAdapter(folder, config,
                           {tensor::fromTorch(a, io::peftKey("layers.0", "lora_A"), io::DType::F32),
                            tensor::fromTorch(b, io::peftKey("layers.0", "lora_B"), io::DType::F32)});
      adapters.emplace_back("arrow" + std::to_string(j), std::make_shared<io::PeftAdapter>(folder));
    }
    const auto library = std::make_shared<route::AdapterLibrary>(base_, adapters);
    route::RouterOptions options;
    options.method = route::RouterMethod::Arrow;
    const auto router = route::makeRouter(*library, {}, options);
    QCOMPARE(router->describe(), std::string("arrow, top-1"));
    const auto inputs = 2.0 * directions + 0.01 * at::randn({3, 784}, generator);
    at::Tensor weights;
    router->run(*library, inputs, {}, &weights);
    QVERIFY(at::equal(weights, at::eye(3)));
  }

  void aRouterNeedsTasksNamedAfterItsAdapters() {
    std::vector<io::TaskData> others = {task("original")};
    route::RouterOptions options;
    try {
      route::makeRouter(*library_, others, options);
      QFAIL("expected an error");
    } catch (const std::runtime_error& e) {
      const std::string what = e.what();
      QVERIFY2(what.find(adapters_[0].second->path()) != std::string::npos, e.what());
      QVERIFY2(what.find("no task with examples is named '" + adapters_[0].first + "'") != std::string::npos,
               e.what());
    }
    options.method = route::RouterMethod::Arrow; // data-free: no tasks needed
    QVERIFY(route::makeRouter(*library_, {}, options) != nullptr);
  }

  // The Router node beside merges and the base in one Compare, as the demo project wires it; the numbers
  // of the novel tasks (compositions of skills no specialist was trained on) are printed.
  void routerNodesAreChartedBesideMerges() {
    graph::Document doc;
    namespace nt = graph::node_types;
    const auto source = [&](const char* type, const std::string& path) {
      const auto id = doc.addNode(type);
      if (const auto error = doc.setParam(id, "path", path)) throw std::runtime_error(*error);
      return id;
    };
    const auto base = source(nt::kSourceModel, (fs::path(zoo_) / "base").string());
    const auto tasks = source(nt::kSourceTasks, (fs::path(zoo_) / "tasks").string());
    std::vector<graph::NodeId> adapters;
    for (const auto& [name, adapter] : adapters_)
      adapters.push_back(source(nt::kSourceAdapter, adapter->path()));
    const auto compare = doc.addNode(nt::kCompare);
    std::size_t compared = 0;
    const auto evaluate = [&](graph::NodeId model, const std::string& title) {
      const auto id = doc.addNode(nt::kEvaluate);
      doc.setTitle(model, title);
      QVERIFY(!doc.connect({model, 0}, {id, 0}));
      QVERIFY(!doc.connect({tasks, 0}, {id, 1}));
      QVERIFY(!doc.connect({id, 0}, {compare, compared++}));
    };
    evaluate(base, "Base");
    for (const auto& [method, title] : {std::pair{"task_arithmetic", "Task arithmetic"}, {"ties", "TIES"}}) {
      const auto merge = doc.addNode(graph::mergeNodeTypeId(method));
      QVERIFY(!doc.setParam(merge, "lambda", 0.5));
      QVERIFY(!doc.connect({base, 0}, {merge, 0}));
      for (std::size_t i = 0; i < adapters.size(); ++i)
        QVERIFY(!doc.connect({adapters[i], 0}, {merge, i + 1}));
      evaluate(merge, title);
    }
    const std::vector<std::tuple<std::string, int, std::string>> routers = {
        {"nearest", 1, "Router (nearest, top-1)"},
        {"nearest", 2, "Router (nearest, top-2)"},
        {"arrow", 1, "Router (arrow, top-1)"},
        {"trained", 1, "Router (trained, top-1)"},
        {"smear", 1, "Router (smear)"}};
    std::map<std::string, graph::NodeId> routerNodes;
    for (const auto& [method, k, label] : routers) {
      const auto router = doc.addNode(nt::kRouter);
      routerNodes[label] = router;
      QVERIFY(!doc.setParam(router, "method", method));
      QVERIFY(!doc.setParam(router, "top_k", std::int64_t(k)));
      if (k > 1) QVERIFY(!doc.setParam(router, "temperature", 0.1));
      QVERIFY(!doc.connect({base, 0}, {router, 0}));
      QVERIFY(!doc.connect({tasks, 0}, {router, 1}));
      const auto first = *doc.nodeType(router)->inputIndex("adapters");
      for (std::size_t i = 0; i < adapters.size(); ++i)
        QVERIFY(!doc.connect({adapters[i], 0}, {router, first + i}));
      QVERIFY(!doc.connect({router, 0}, {compare, compared++}));
    }

    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto summary = executor.run(doc, {}, {}, cancel);
    for (const auto& [id, status] : summary.nodes)
      QVERIFY2(status.state != engine::NodeState::Failed, status.message.c_str());
    const auto& results = summary.nodes.at(compare).results;
    QCOMPARE(results.size(), compared);
    std::map<std::string, const engine::ScoresValue*> byModel;
    for (const auto& result : results)
      byModel[result.model] = &result;
    for (const auto& [method, k, label] : routers) {
      QVERIFY2(byModel.count(label), label.c_str());
      const auto& scores = *byModel.at(label)->scores;
      QCOMPARE(scores.size(), demo::demoTasks().size());
      QVERIFY(byModel.at(label)->modelNode != 0);
      checkRoutingMatrix(summary.nodes.at(routerNodes.at(label)), label, tasks);
    }
    // Every model on every task, the routers with how often each specialist task went to its specialist.
    std::string header = "model                      ";
    for (const auto& t : tasks_)
      header += " " + t.name.substr(0, 12) + std::string(13 - std::min<std::size_t>(12, t.name.size()), ' ');
    qInfo("%s", header.c_str());
    for (const auto& result : results) {
      std::string line = result.model + std::string(27 - std::min<std::size_t>(26, result.model.size()), ' ');
      for (const auto& score : *result.scores) {
        std::string cell = percent(score.accuracy);
        if (score.routingAccuracy) cell += " (" + percent(*score.routingAccuracy) + ")";
        line += " " + cell + std::string(13 - std::min<std::size_t>(12, cell.size()), ' ');
      }
      qInfo("%s", line.c_str());
    }
    // Routing keeps the specialists' skill: on the specialist tasks, nearest top-1 beats every static merge.
    const auto meanOver = [&](const std::string& model, bool specialistTasks) {
      double sum = 0;
      int n = 0;
      for (const auto& score : *byModel.at(model)->scores) {
        const bool isSpecialistTask = library_->indexOf(score.task) >= 0;
        if (isSpecialistTask != specialistTasks) continue;
        sum += score.accuracy;
        ++n;
      }
      return sum / n;
    };
    QVERIFY(meanOver("Router (nearest, top-1)", true) > meanOver("Task arithmetic", true));
    QVERIFY(meanOver("Router (nearest, top-1)", true) > meanOver("TIES", true));

    // The 'fit' input replaces 'tasks' as what the router fits on: the same tasks there give the same
    // scores; tasks not named after the adapters fail it, naming the first adapter without one.
    const auto nearest = routerNodes.at("Router (nearest, top-1)");
    const auto fitInput = *doc.nodeType(nearest)->inputIndex("fit");
    QVERIFY(!doc.connect({source(nt::kSourceTasks, (fs::path(zoo_) / "tasks").string()), 0},
                         {nearest, fitInput}));
    auto refit = executor.run(doc, {nearest}, {}, cancel);
    QVERIFY2(refit.ok(), refit.failure.c_str());
    const auto& refitScores = *refit.nodes.at(nearest).results.front().scores;
    for (std::size_t t = 0; t < refitScores.size(); ++t)
      QCOMPARE(refitScores[t].accuracy, (*byModel.at("Router (nearest, top-1)")->scores)[t].accuracy);
    doc.disconnect({nearest, fitInput});
    QVERIFY(!doc.connect({source(nt::kSourceTasks, (fs::path(zoo_) / "tasks" / "original.h5").string()), 0},
                         {nearest, fitInput}));
    refit = executor.run(doc, {nearest}, {}, cancel);
    QVERIFY(!refit.ok());
    QVERIFY2(refit.nodes.at(nearest).message.find("no task with examples is named '" + adapters_[0].first +
                                                  "'") != std::string::npos,
             refit.nodes.at(nearest).message.c_str());
  }
};

MG_TEST_APPLESS_MAIN(RoutingTest)
#include "test_routing.moc"
