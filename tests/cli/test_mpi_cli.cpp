// merganser-cli under mpirun as a user starts it on one machine (--oversubscribe: 3 ranks on 2 cores):
// merge spreads tensors over the ranks and eval spreads examples, and what they write or print is identical,
// byte for byte, to one process's; a failure on any rank leaves nothing at the output and reaches the root's
// one-line error; commands that do not divide their work refuse to run as ranks.
// Skipped when CMake found no MPI (packaging/install-deps.sh installs Open MPI, so CI runs it).
#include "support/test_registry.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QtTest>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <limits>
#include <unistd.h>

#include "cli/export_fixture.h"
#include "io/task_file.h"
#include "io/tensor_source.h"
#include "eval/task_score_json.h"
#include "graph/builtin_node_types.h"
#include "results/results_file.h"
#include "graph/project_file.h"
#include "lm/pipeline_stage.h"
#include "support/cli_runner.h"
#include "support/lm_eval_fixture.h"
#include "support/sweep_fixture.h"

using namespace mg;

namespace {

// `merganser-cli ARGS` as `ranks` ranks of one mpirun job.
test::CliResult runRanks(int ranks, const QStringList& args) {
#ifdef MG_MPIEXEC
  QProcess p;
  auto env = QProcessEnvironment::systemEnvironment();
  if (::geteuid() == 0) { // CI containers run as root, which mpirun refuses unless told twice
    env.insert("OMPI_ALLOW_RUN_AS_ROOT", "1");
    env.insert("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
  }
  p.setProcessEnvironment(env);
  // --bind-to none: bound to one core, a rank's OpenBLAS runs one thread instead of the machine's, and a
  // LoRA product can then differ in the last bit from one process's (as it does for one process under
  // taskset).
  p.start(QStringLiteral(MG_MPIEXEC), QStringList{"--oversubscribe", "--bind-to", "none", "-np",
                                                  QString::number(ranks), QStringLiteral(MERGANSER_CLI)} +
                                          args);
  if (!p.waitForFinished(test::scaledMs(240000))) {
    p.kill();
    p.waitForFinished();
    return {-1, {}, QStringLiteral("timed out")};
  }
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
          QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
#else
  Q_UNUSED(ranks);
  Q_UNUSED(args);
  return {};
#endif
}

// Every file of a folder (or the one file) with its bytes.
std::map<std::string, std::string> contentsOf(const std::string& path) {
  namespace fs = std::filesystem;
  std::map<std::string, std::string> files;
  if (fs::is_regular_file(path)) return {{"", test::readBytes(path)}};
  for (const auto& name : test::listFolder(path))
    files[name] = test::readBytes((fs::path(path) / name).string());
  return files;
}

// Every tensor of a checkpoint (name, dtype, shape, bytes) and its metadata, as a reader sees them.
std::map<std::string, std::string> tensorsOf(const std::string& path) {
  const auto source = io::openTensorSource(path);
  std::map<std::string, std::string> seen(source->metadata().begin(), source->metadata().end());
  for (const auto& info : source->tensors()) {
    const auto data = source->load(info.name);
    seen["tensor " + info.name] =
        std::string(io::dtypeName(info.dtype)) + io::shapeToString(info.shape) +
        std::string(reinterpret_cast<const char*>(data.bytes.data()), data.bytes.size());
  }
  return seen;
}

// The scores a run saved beside its project, every number exactly (JSON of the shortest round-trip texts).
std::string savedScores(const std::string& path) {
  auto all = nlohmann::json::array();
  for (const auto& model : results::readResultsFile(path).scores) {
    auto tasks = nlohmann::json::array();
    for (const auto& score : model.scores)
      tasks.push_back(eval::taskScoreJson(score));
    all.push_back({model.model, model.parameter, model.parameterValue, tasks});
  }
  return all.dump();
}

QStringList withOut(QStringList args, const QString& out) {
  const auto at = args.indexOf("--out");
  args[at + 1] = out;
  return args;
}

// A task of `count` examples of 2 inputs for the linear classifier below: several batches of 64 per rank.
std::string writeTask(const test::TempDir& dir, std::int64_t count) {
  io::TaskData task;
  task.name = "wide";
  task.labelNames = {"a", "b", "c"};
  task.split = "test";
  task.inputShape = {count, 2};
  at::manual_seed(7);
  const auto inputs = at::randn({count, 2});
  task.inputs.assign(inputs.data_ptr<float>(), inputs.data_ptr<float>() + inputs.numel());
  for (std::int64_t i = 0; i < count; ++i)
    task.labels.push_back(i % 3);
  const auto path = dir.file("wide.h5");
  io::writeTaskFile(path, task);
  return path;
}

} // namespace

class MpiCliTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void init() {
#ifndef MG_MPIEXEC
    QSKIP("built without MPI (packaging/install-deps.sh installs Open MPI)");
#endif
  }

  // One file (.safetensors, .h5, a folder of one shard): the root writes what every rank computed.
  void oneFileMergeIsIdentical_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("name");
    QTest::newRow("safetensors") << "merge"
                                 << "out.safetensors";
    QTest::newRow("hdf5") << "merge"
                          << "out.h5";
    QTest::newRow("hugging face folder") << "merge-hf"
                                         << "out";
  }
  void oneFileMergeIsIdentical() {
    QFETCH(QString, kind);
    QFETCH(QString, name);
    test::ExportZoo zoo;
    const auto single = zoo.dir.file("single-" + name.toStdString());
    const auto args = test::exportArgs(kind, zoo, QString::fromStdString(single), 0);
    auto r = test::runCli(args);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    for (const int ranks : {2, 3}) {
      const auto spread = zoo.dir.file(std::to_string(ranks) + "-" + name.toStdString());
      r = runRanks(ranks, withOut(args, QString::fromStdString(spread)));
      QVERIFY2(r.exitCode == 0, qPrintable(r.err));
      QCOMPARE(r.out.count("wrote "), 1); // the root reports, once
      // HDF5 stamps its object headers with the time: two single runs differ too, so compare what it holds.
      if (name.endsWith(".h5"))
        QVERIFY(tensorsOf(spread) == tensorsOf(single));
      else
        QVERIFY(contentsOf(spread) == contentsOf(single));
    }
  }

  // Several shards: each rank writes its own, the root the index; the folder is the single process's.
  void shardedMergeIsIdentical() {
    test::ExportZoo zoo;
    const auto single = zoo.dir.file("single");
    const auto args = test::exportArgs("merge-sharded", zoo, QString::fromStdString(single), 1);
    auto r = test::runCli(args);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(contentsOf(single).count("model.safetensors.index.json"));
    QCOMPARE(contentsOf(single).size(), std::size_t(9)); // 8 shards (one 576 KB tensor each) and the index
    for (const int ranks : {2, 3}) {
      const auto spread = zoo.dir.file("ranks" + std::to_string(ranks));
      r = runRanks(ranks, withOut(args, QString::fromStdString(spread)));
      QVERIFY2(r.exitCode == 0, qPrintable(r.err));
      QVERIFY(contentsOf(spread) == contentsOf(single));
    }
  }

  // LoRA adapters: their products are computed on whichever rank owns the tensor.
  void adapterMergeIsIdentical() {
    test::ExportZoo zoo;
    const auto adapter = QString::fromStdString(zoo.dir.file("lora"));
    auto r =
        test::runCli({"extract-lora", "--base", zoo.base, "--model", zoo.a, "--rank", "8", "--out", adapter});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList args{"merge",   "--method", "ties",    "--base",      zoo.base, "--model", adapter,
                           "--model", zoo.b,      "--param", "density=0.5", "--out",  "x"};
    const auto single = zoo.dir.file("single.safetensors"), spread = zoo.dir.file("spread.safetensors");
    r = test::runCli(withOut(args, QString::fromStdString(single)));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    r = runRanks(3, withOut(args, QString::fromStdString(spread)));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(test::readBytes(spread) == test::readBytes(single));
  }

  // NaN in a tensor another rank computes: the root's usual one-line refusal, and nothing written.
  void failureOnAnyRankLeavesNothing_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("name");
    QTest::newRow("one file") << "merge"
                              << "out.safetensors";
    QTest::newRow("shards") << "merge-sharded"
                            << "out";
  }
  void failureOnAnyRankLeavesNothing() {
    QFETCH(QString, kind);
    QFETCH(QString, name);
    test::ExportZoo zoo;
    // layers.1 (computed by rank 1 of 2; in the second of 4 shards, written by rank 1) becomes NaN.
    at::manual_seed(2);
    std::vector<io::TensorData> tensors;
    for (int layer = 0; layer < 8; ++layer) {
      auto t = at::randn({384, 384});
      if (layer == 1) t.fill_(std::numeric_limits<float>::quiet_NaN());
      tensors.push_back(tensor::fromTorch(t, "layers." + std::to_string(layer) + ".weight", io::DType::F32));
    }
    io::writeSafetensors(zoo.a.toStdString(), tensors);
    const auto out = zoo.dir.file(name.toStdString());
    const auto r = runRanks(2, test::exportArgs(kind, zoo, QString::fromStdString(out), 0));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("non-finite values (NaN/Inf) in 1 tensor(s): layers.1.weight (147456)"),
             qPrintable(r.err));
    QVERIFY2(r.err.count("nothing was written") == 1, qPrintable(r.err)); // once, from the root
    QVERIFY(!std::filesystem::exists(out));
    QVERIFY2(test::temporariesOf(out).isEmpty(), qPrintable(test::temporariesOf(out).join(", ")));
  }

  // Examples spread over ranks (whole batches each): the same accuracy, loss and confusion, to the bit.
  void evalIsIdentical() {
    test::TempDir dir;
    const auto model = dir.file("clf.safetensors");
    at::manual_seed(3);
    io::writeSafetensors(model, {tensor::fromTorch(at::randn({3, 2}), "head.weight", io::DType::F32),
                                 tensor::fromTorch(at::randn({3}), "head.bias", io::DType::F32)});
    const QStringList args{"eval",
                           "--model",
                           QString::fromStdString(model),
                           "--tasks",
                           QString::fromStdString(writeTask(dir, 1000)),
                           "--batch",
                           "64",
                           "--json"};
    const auto single = test::runCli(args);
    QVERIFY2(single.exitCode == 0, qPrintable(single.err));
    QVERIFY(single.out.contains("\"examples\": 1000"));
    for (const int ranks : {2, 3}) {
      const auto r = runRanks(ranks, args);
      QVERIFY2(r.exitCode == 0, qPrintable(r.err));
      QCOMPARE(r.out, single.out);
    }
  }

  // `run PROJECT`: the Sweep's points go to different ranks, the Evaluate node's examples too, the Export
  // node writes what every rank computed; each node reports what it reports in one process, the scores file
  // holds the same results, and the exported checkpoint is the same bytes.
  void runProjectIsIdentical() {
    test::SweepProject p;
    QVERIFY(!p.doc.setParam(p.sweep, "steps", 5));
    QVERIFY(!p.doc.setParam(p.evaluate, "batch_size", 32)); // 120 examples a task: 4 batches to share
    const auto exportNode = p.doc.addNode(graph::node_types::kExport);
    QVERIFY(!p.doc.connect({p.merge, 0}, {exportNode, 0}));
    const auto run = [&](int ranks) {
      const auto folder = p.dir.file("run" + std::to_string(ranks));
      std::filesystem::create_directories(folder);
      auto doc = p.doc;
      doc.setParam(exportNode, "path", folder + "/merged.safetensors");
      const auto project = folder + "/sweep.mgproj";
      graph::saveProject(doc, project);
      const QStringList args{"run", QString::fromStdString(project), "--json"};
      const auto r = ranks == 1 ? test::runCli(args) : runRanks(ranks, args);
      std::map<std::string, QJsonValue> facts;
      for (const auto& node : QJsonDocument::fromJson(r.out.toUtf8()).object().value("nodes").toArray())
        if (node.toObject().value("id").toInt() != int(exportNode)) // its facts say how long it took
          facts[node.toObject().value("title").toString().toStdString()] = node.toObject().value("facts");
      return std::make_tuple(r, facts, folder);
    };
    const auto [single, singleFacts, singleFolder] = run(1);
    QVERIFY2(single.exitCode == 0, qPrintable(single.err));
    QVERIFY(singleFacts.count("Sweep"));
    QCOMPARE(singleFacts.at("Sweep").toArray().size(), 6); // the range and 5 points
    for (const int ranks : {2, 3}) {
      const auto [r, facts, folder] = run(ranks);
      QVERIFY2(r.exitCode == 0, qPrintable(r.err));
      QVERIFY(facts == singleFacts);
      QVERIFY(test::readBytes(folder + "/merged.safetensors") ==
              test::readBytes(singleFolder + "/merged.safetensors"));
      QCOMPARE(savedScores(folder + "/sweep.scores.h5"), savedScores(singleFolder + "/sweep.scores.h5"));
    }
  }

  // A Search node in `run`: every rank runs the same search, each candidate's validation examples divided
  // among them; the candidates, their scores and the winner are one process's, and only the root appends to
  // the journal.
  void searchInRunIsIdentical() {
    test::SweepProject p;
    const auto searchNode = p.doc.addNode(graph::node_types::kSearch);
    QVERIFY(!p.doc.connect({p.evaluate, 0}, {searchNode, 0}));
    QVERIFY(!p.doc.setParam(searchNode, "algorithm", "cmaes"));
    QVERIFY(!p.doc.setParam(searchNode, "budget", std::int64_t(8)));
    QVERIFY(!p.doc.setParam(searchNode, "validation_examples", std::int64_t(60)));
    QVERIFY(!p.doc.setParam(p.evaluate, "batch_size", 16));
    const auto run = [&](int ranks) {
      const auto folder = p.dir.file("search" + std::to_string(ranks));
      std::filesystem::create_directories(folder);
      auto doc = p.doc;
      doc.setParam(searchNode, "journal", folder + "/journal.tsv");
      const auto project = folder + "/search.mgproj";
      graph::saveProject(doc, project);
      const QStringList args{"run", QString::fromStdString(project), "--node", QString::number(searchNode),
                             "--json"};
      const auto r = ranks == 1 ? test::runCli(args) : runRanks(ranks, args);
      QJsonValue facts;
      for (const auto& node : QJsonDocument::fromJson(r.out.toUtf8()).object().value("nodes").toArray())
        if (node.toObject().value("id").toInt() == int(searchNode)) facts = node.toObject().value("facts");
      return std::make_tuple(r, facts, test::readBytes(folder + "/journal.tsv"));
    };
    const auto [single, singleFacts, singleJournal] = run(1);
    QVERIFY2(single.exitCode == 0, qPrintable(single.err));
    QVERIFY2(singleFacts.toArray().size() > 2, qPrintable(single.out));
    QCOMPARE(std::count(singleJournal.begin(), singleJournal.end(), '\n'), 8L);
    const auto [r, facts, journal] = run(2);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(facts, singleFacts);
    QCOMPARE(journal, singleJournal);
  }

  // A language model on text tasks over ranks, split as a pipeline (consecutive blocks per rank, activations
  // passed on) or each rank scoring some examples: the same log-likelihoods, to the bit, as one process; a
  // pipeline's rank loads only its blocks.
  void textEvalGivesOneProcessLogLikelihoods() {
    test::TempDir dir;
    nlohmann::json expected;
    MG_WRITE_LM_EVAL_REFERENCE(dir, expected);
    const auto model = QString::fromStdString(dir.file("model"));
    const QStringList args{"eval",
                           "--model",
                           model,
                           "--tasks",
                           QString::fromStdString(dir.file("tasks/prose.jsonl")),
                           "--tasks",
                           QString::fromStdString(dir.file("tasks/choose.jsonl")),
                           "--json"};
    const auto single = test::runCli(args);
    QVERIFY2(single.exitCode == 0, qPrintable(single.err));
    const auto singleJson = nlohmann::json::parse(single.out.toStdString());
    const double perplexity = expected["prose"]["perplexity"].get<double>(); // the harness's, independently
    QVERIFY(std::abs(singleJson["tasks"][0]["perplexity"].get<double>() - perplexity) < 1e-4 * perplexity);
    for (const int ranks : {2, 3}) { // 2 blocks: one per rank, or one rank serving none
      const auto r = runRanks(ranks, args + QStringList{"--pipeline"});
      QVERIFY2(r.exitCode == 0, qPrintable(r.err));
      const auto json = nlohmann::json::parse(r.out.toStdString());
      QCOMPARE(json["tasks"][0]["log_likelihood"].get<double>(),
               singleJson["tasks"][0]["log_likelihood"].get<double>());
      QCOMPARE(json["tasks"].dump(), singleJson["tasks"].dump());
    }
    // A stage maps only its own tensors: block 1 alone is less than the whole model.
    lm::LoadOptions stage;
    stage.stage = lm::pipelineStage(2, 1, 2);
    const auto whole = lm::CausalLm::load(model.toStdString())->weightMemory();
    const auto part = lm::CausalLm::load(model.toStdString(), stage)->weightMemory();
    QVERIFY(part.mappedBytes + part.copiedBytes < (whole.mappedBytes + whole.copiedBytes) / 2);

    // Without --pipeline each rank scores a part of the examples with the whole model: the same numbers.
    const auto say = QString::fromStdString(dir.file("tasks/say.jsonl")); // generation: exact match
    const auto withSay = test::runCli(args + QStringList{"--tasks", say});
    QVERIFY2(withSay.exitCode == 0, qPrintable(withSay.err));
    for (const int ranks : {2, 3}) {
      const auto r = runRanks(ranks, args + QStringList{"--tasks", say});
      QVERIFY2(r.exitCode == 0, qPrintable(r.err));
      QCOMPARE(nlohmann::json::parse(r.out.toStdString())["tasks"].dump(),
               nlohmann::json::parse(withSay.out.toStdString())["tasks"].dump());
    }
  }

  void otherCommandsRefuseToRunAsRanks() {
    test::ExportZoo zoo;
    const auto r = runRanks(2, {"extract-lora", "--base", zoo.base, "--model", zoo.a, "--rank", "4", "--out",
                                QString::fromStdString(zoo.dir.file("lora"))});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err.count("extract-lora does not run over MPI ranks"), 1);
    QVERIFY(!std::filesystem::exists(zoo.dir.file("lora")));
  }
};

MG_TEST_MAIN(MpiCliTest)
#include "test_mpi_cli.moc"
