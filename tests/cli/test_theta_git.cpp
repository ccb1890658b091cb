// Checkpoints under git with the theta filter, as a user works with them: real git, the real merganser-cli.
// A version that changes two tensors grows the repository by about those two; a fine-tune of the same base
// stores only what it changed; every revision checks out byte-identical; `git diff` names the changed
// tensors with their norms of change; a corrupted or missing object stops the checkout with a clear error.
#include "support/test_registry.h"
#include <QProcess>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <random>

#include "io/safetensors_file.h"
#include "io/safetensors_writer.h"
#include "io/tensor.h"
#include "io/task_file.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

using namespace mg;
namespace fs = std::filesystem;

namespace {

constexpr int kTensors = 10;
constexpr std::int64_t kSide = 256;
constexpr std::uint64_t kTensorBytes = kSide * kSide * 4; // F32

using Values = std::vector<std::vector<float>>;

Values randomModel(unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<float> normal;
  Values values(kTensors, std::vector<float>(kSide * kSide));
  for (auto& tensor : values)
    for (float& v : tensor)
      v = normal(random);
  return values;
}

void writeModel(const std::string& path, const Values& values) {
  std::vector<io::TensorData> tensors;
  for (int t = 0; t < kTensors; ++t)
    tensors.push_back(
        io::TensorData::fromFloat32("layers." + std::to_string(t) + ".weight", {kSide, kSide}, values[t]));
  io::writeSafetensors(path, tensors);
}

std::uint64_t folderBytes(const std::string& folder) {
  std::uint64_t total = 0;
  for (const auto& entry : fs::recursive_directory_iterator(folder))
    if (entry.is_regular_file()) total += entry.file_size();
  return total;
}

struct Git {
  std::string folder;
  test::CliResult operator()(const QStringList& args) const {
    QProcess git;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* key : {"GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"})
      env.insert(key, "Theta Test");
    for (const char* key : {"GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"})
      env.insert(key, "theta@example.org");
    env.insert("GIT_CONFIG_GLOBAL", "/dev/null"); // the user's settings play no part
    env.insert("GIT_CONFIG_NOSYSTEM", "1");
    git.setProcessEnvironment(env);
    git.setWorkingDirectory(QString::fromStdString(folder));
    git.start(QStringLiteral("git"), args);
    if (!git.waitForFinished(test::scaledMs(120000))) return {-1, {}, QStringLiteral("timed out")};
    return {git.exitStatus() == QProcess::NormalExit ? git.exitCode() : -1,
            QString::fromUtf8(git.readAllStandardOutput()), QString::fromUtf8(git.readAllStandardError())};
  }
  void must(const QStringList& args) const {
    const auto r = (*this)(args);
    if (r.exitCode != 0) QFAIL(qPrintable("git " + args.join(' ') + " failed: " + r.err));
  }
};

// A LoRA adapter of rank 4 merged into a tensor as PEFT merges it: W + 2·B·A, in float32.
void mergeLora(std::vector<float>& weights, unsigned seed) {
  constexpr std::int64_t rank = 4;
  std::mt19937 random(seed);
  std::normal_distribution<float> normal(0.0f, 0.01f);
  std::vector<float> b(kSide * rank), a(rank * kSide);
  for (float& v : b)
    v = normal(random);
  for (float& v : a)
    v = normal(random);
  for (std::int64_t i = 0; i < kSide; ++i)
    for (std::int64_t j = 0; j < kSide; ++j) {
      float product = 0;
      for (std::int64_t k = 0; k < rank; ++k)
        product += b[std::size_t(i * rank + k)] * a[std::size_t(k * kSide + j)];
      weights[std::size_t(i * kSide + j)] += product * 2.0f;
    }
}

struct Repository {
  test::TempDir dir;
  Git git{dir.path()};
  std::string path(const std::string& name) const { return dir.file(name); }
  std::uint64_t gitBytes() const { return folderBytes(dir.file(".git")); }

  void init() {
    git.must({"init", "-q", "-b", "main"});
    const auto installed = test::runCli({"theta", "install", QString::fromStdString(dir.path())});
    QVERIFY2(installed.exitCode == 0, qPrintable(installed.err));
    QVERIFY(installed.out.contains("filter.theta.clean"));
    QVERIFY(installed.out.contains("merganser-theta")); // the LibTorch-free driver, quick to start
  }
  void commit(const QString& message) {
    git.must({"add", "-A"});
    git.must({"commit", "-q", "-m", message});
  }
};

int objectsOfForm(const Repository& repo, const std::string& suffix) {
  int count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(repo.path(".git/theta/objects")))
    count += entry.path().extension() == suffix;
  return count;
}

} // namespace

class ThetaGitTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    if (Git{"."}({"--version"}).exitCode != 0)
      QFAIL("git is not installed (packaging/install-deps.sh installs it)");
  }

  void aVersionGrowsTheRepositoryByWhatChanged() {
    Repository repo;
    repo.init();
    Values model = randomModel(1);
    writeModel(repo.path("model.safetensors"), model);
    const std::string v1 = test::readBytes(repo.path("model.safetensors"));
    repo.commit("base");
    const std::uint64_t afterBase = repo.gitBytes();
    // Git itself holds only the manifest: the tensors are in .git/theta, once.
    const auto stored = repo.git({"cat-file", "-s", "HEAD:model.safetensors"});
    QVERIFY(stored.out.trimmed().toULongLong() < 4096);

    for (float& v : model[3])
      v *= 1.01f; // two tensors change in every value
    for (float& v : model[7])
      v += 0.5f;
    writeModel(repo.path("model.safetensors"), model);
    const std::string v2 = test::readBytes(repo.path("model.safetensors"));

    // git diff: the two tensors, with their norms of change (|0.01 w| and 0.5 * 256).
    const auto diff = repo.git({"diff", "model.safetensors"});
    QCOMPARE(diff.exitCode, 0);
    QVERIFY2(diff.out.contains("2 changed, 0 added, 0 removed, 8 unchanged"), qPrintable(diff.out));
    QVERIFY(diff.out.contains("layers.3.weight") && diff.out.contains("layers.7.weight"));
    QVERIFY2(diff.out.contains("layers.7.weight  F32 [256, 256]  |change| 128 "), qPrintable(diff.out));
    QVERIFY2(diff.out.contains("(1% of |before|"), qPrintable(diff.out));

    repo.commit("two tensors changed");
    const std::uint64_t grown = repo.gitBytes() - afterBase;
    qInfo("two changed tensors of %llu bytes each grew the repository by %llu bytes",
          (unsigned long long)kTensorBytes, (unsigned long long)grown);
    // layers.3 changed in full rank: stored whole. layers.7 moved by a constant, an update of rank one: its
    // factors take 2 KiB.
    QVERIFY(grown >= kTensorBytes);
    QVERIFY(grown < kTensorBytes + 64 * 1024); // the manifest and git's bookkeeping
    QCOMPARE(objectsOfForm(repo, ".lowrank"), 1);

    // A few values changed: stored as those values, not as the tensor.
    for (int i = 0; i < 100; ++i)
      model[5][std::size_t(i) * 97] += 1.0f;
    writeModel(repo.path("model.safetensors"), model);
    const std::string v3 = test::readBytes(repo.path("model.safetensors"));
    const std::uint64_t beforeSparse = repo.gitBytes();
    repo.commit("a hundred values");
    QVERIFY(repo.gitBytes() - beforeSparse < kTensorBytes / 8);
    const auto sparseDiff = repo.git({"diff", "HEAD~1", "HEAD"});
    QVERIFY2(sparseDiff.out.contains("layers.5.weight  F32 [256, 256]  |change| 10 "),
             qPrintable(sparseDiff.out));

    // Every revision checks out byte-identical.
    for (const auto& [revision, bytes] : {std::pair{"main~2", v1}, {"main~1", v2}, {"main", v3}}) {
      repo.git.must({"checkout", "-q", revision});
      QVERIFY2(test::readBytes(repo.path("model.safetensors")) == bytes, revision);
    }
    repo.git.must({"checkout", "-q", "main"});
    fs::remove(repo.path("model.safetensors"));
    repo.git.must({"checkout", "--", "model.safetensors"});
    QVERIFY(test::readBytes(repo.path("model.safetensors")) == v3);
  }

  void aFineTuneOfTheSameBaseStoresOnlyItsChanges() {
    Repository repo;
    repo.init();
    Values base = randomModel(2);
    writeModel(repo.path("base.safetensors"), base);
    repo.commit("base");
    const std::uint64_t afterBase = repo.gitBytes();
    Values tuned = base;
    for (float& v : tuned[9])
      v = -v; // a specialist that changed its last layer
    fs::create_directories(repo.path("specialists"));
    writeModel(repo.path("specialists/tuned.safetensors"), tuned);
    const std::string tunedBytes = test::readBytes(repo.path("specialists/tuned.safetensors"));
    repo.commit("a specialist");
    const std::uint64_t grown = repo.gitBytes() - afterBase;
    QVERIFY2(grown < kTensorBytes + 64 * 1024, qPrintable(QString::number(grown)));
    fs::remove_all(repo.path("specialists"));
    repo.git.must({"checkout", "--", "specialists"});
    QVERIFY(test::readBytes(repo.path("specialists/tuned.safetensors")) == tunedBytes);
  }

  // A fine-tune by LoRA, merged: each changed tensor is stored as its low-rank update (factors and the
  // few bits they round differently), as a new version of the file and as a new file beside its base.
  void aMergedLoraIsStoredAsItsLowRankUpdate() {
    Repository repo;
    repo.init();
    Values model = randomModel(6);
    for (auto& tensor : model)
      for (float& v : tensor)
        v *= 0.05f; // weights of a trained layer's scale
    writeModel(repo.path("model.safetensors"), model);
    const std::string v1 = test::readBytes(repo.path("model.safetensors"));
    repo.commit("base");
    Values tuned = model;
    mergeLora(tuned[1], 7);
    mergeLora(tuned[4], 8);
    writeModel(repo.path("model.safetensors"), tuned);
    const std::string v2 = test::readBytes(repo.path("model.safetensors"));
    std::uint64_t before = repo.gitBytes();
    repo.commit("LoRA merged");
    const std::uint64_t grown = repo.gitBytes() - before;
    qInfo("a merged LoRA of rank 4 on two tensors of %llu bytes grew the repository by %llu bytes",
          (unsigned long long)kTensorBytes, (unsigned long long)grown);
    QVERIFY2(grown < kTensorBytes / 2,
             qPrintable(QString::number(grown))); // two tensors in under half of one
    QCOMPARE(objectsOfForm(repo, ".lowrank"), 2);

    // The same fine-tune as a file of its own: its changed tensors are updates of the base's.
    writeModel(repo.path("specialist.safetensors"), tuned);
    before = repo.gitBytes();
    Values other = model;
    mergeLora(other[9], 9);
    writeModel(repo.path("other.safetensors"), other);
    const std::string otherBytes = test::readBytes(repo.path("other.safetensors"));
    repo.commit("two specialists");
    QVERIFY2(repo.gitBytes() - before < kTensorBytes / 2,
             qPrintable(QString::number(repo.gitBytes() - before)));

    for (const auto& [revision, bytes] : {std::pair{"main~2", v1}, {"main~1", v2}}) {
      repo.git.must({"checkout", "-q", revision});
      QVERIFY2(test::readBytes(repo.path("model.safetensors")) == bytes, revision);
    }
    repo.git.must({"checkout", "-q", "main"});
    fs::remove(repo.path("other.safetensors"));
    repo.git.must({"checkout", "--", "other.safetensors"});
    QVERIFY(test::readBytes(repo.path("other.safetensors")) == otherBytes);
    QVERIFY(repo.git({"status", "--porcelain"}).out.isEmpty());

    // A damaged update is found on checkout like any damaged object.
    std::string damaged;
    for (const auto& entry : fs::recursive_directory_iterator(repo.path(".git/theta/objects")))
      if (entry.path().extension() == ".lowrank") damaged = entry.path().string();
    std::string bytes = test::readBytes(damaged);
    bytes[200] = char(bytes[200] ^ 0x10); // a bit of the factors
    test::writeBytes(damaged, bytes);
    fs::remove(repo.path("model.safetensors"));
    fs::remove(repo.path("specialist.safetensors"));
    fs::remove(repo.path("other.safetensors"));
    const auto corrupt = repo.git({"checkout", "--", "."});
    QVERIFY(corrupt.exitCode != 0);
    QVERIFY2(corrupt.err.contains("corrupt theta object") && corrupt.err.contains(".lowrank"),
             qPrintable(corrupt.err));
  }

  // git config theta.tolerance: the update may rebuild each element within it; the file checked out then
  // differs from the one committed by no more, and git sees neither as modified.
  void aToleranceTradesExactnessForRoomAndTheTreeStaysClean() {
    Repository repo;
    repo.init();
    repo.git.must({"config", "theta.tolerance", "1e-7"});
    Values model = randomModel(10);
    for (auto& tensor : model)
      for (float& v : tensor)
        v *= 0.05f;
    writeModel(repo.path("model.safetensors"), model);
    repo.commit("base");
    mergeLora(model[2], 11);
    writeModel(repo.path("model.safetensors"), model);
    repo.commit("LoRA merged");
    QVERIFY(repo.git({"status", "--porcelain"}).out.isEmpty()); // the committed file: not modified

    fs::remove(repo.path("model.safetensors"));
    repo.git.must({"checkout", "--", "model.safetensors"});
    const io::SafetensorsFile out(repo.path("model.safetensors"));
    const auto values = out.load("layers.2.weight").toFloat32();
    double worst = 0;
    for (std::size_t e = 0; e < values.size(); ++e)
      worst = std::max(worst, std::abs(double(values[e]) - double(model[2][e])));
    QVERIFY2(worst > 0 && worst <= 1e-7, qPrintable(QString::number(worst)));
    QVERIFY(repo.git({"status", "--porcelain"}).out.isEmpty()); // the rebuilt file: not modified either
    repo.git.must({"add", "--renormalize", "."});
    QVERIFY(repo.git({"status", "--porcelain"}).out.isEmpty());

    repo.git.must({"config", "theta.tolerance", "a lot"});
    writeModel(repo.path("model.safetensors"), randomModel(12));
    const auto refused = repo.git({"add", "model.safetensors"});
    QVERIFY(refused.exitCode != 0);
    QVERIFY2(refused.err.contains("theta.tolerance: 'a lot' is not a tolerance"), qPrintable(refused.err));
  }

  void aCorruptOrMissingObjectStopsTheCheckoutWithAClearError() {
    Repository repo;
    repo.init();
    writeModel(repo.path("model.safetensors"), randomModel(3));
    repo.commit("base");
    std::vector<fs::path> objects;
    for (const auto& entry : fs::recursive_directory_iterator(repo.path(".git/theta/objects")))
      if (entry.is_regular_file()) objects.push_back(entry.path());
    QCOMPARE(int(objects.size()), kTensors);
    std::sort(objects.begin(), objects.end());
    std::string bytes = test::readBytes(objects[0].string());
    bytes[1000] = char(bytes[1000] ^ 0x40); // one bit flipped on disk
    test::writeBytes(objects[0].string(), bytes);

    fs::remove(repo.path("model.safetensors"));
    const auto corrupt = repo.git({"checkout", "--", "model.safetensors"});
    QVERIFY(corrupt.exitCode != 0);
    QVERIFY2(corrupt.err.contains("model.safetensors: tensor layers.") &&
                 corrupt.err.contains("corrupt theta object: its content hashes to") &&
                 corrupt.err.contains(QString::fromStdString(objects[0].filename().string())),
             qPrintable(corrupt.err));
    QVERIFY(!fs::exists(repo.path("model.safetensors"))); // never a wrong checkpoint

    fs::remove(objects[0]);
    const auto missing = repo.git({"checkout", "--", "model.safetensors"});
    QVERIFY(missing.exitCode != 0);
    QVERIFY2(missing.err.contains("missing theta object"), qPrintable(missing.err));
  }

  void aSourceAtARevisionReadsThatRevision() {
    Repository repo;
    repo.init();
    Values model = randomModel(4);
    writeModel(repo.path("model.safetensors"), model);
    repo.commit("v1");
    const Values v1 = model;
    for (float& v : model[0])
      v += 1.0f;
    writeModel(repo.path("model.safetensors"), model);
    repo.commit("v2");

    // A merge of the file as it was one commit ago gives v1's tensors, whatever the work tree holds now.
    const QString old = QString::fromStdString(repo.path("model.safetensors")) + "@main~1";
    const auto merged = test::runCli({"merge", "--method", "linear", "--model", old, "--out",
                                      QString::fromStdString(repo.dir.file("out.safetensors"))});
    QVERIFY2(merged.exitCode == 0, qPrintable(merged.err));
    const io::SafetensorsFile out(repo.dir.file("out.safetensors"));
    for (int t = 0; t < kTensors; ++t) {
      const auto values = out.load("layers." + std::to_string(t) + ".weight").toFloat32();
      QVERIFY2(std::equal(values.begin(), values.end(), v1[std::size_t(t)].begin()),
               qPrintable(QString::number(t)));
    }
    const auto inspected =
        test::runCli({"inspect", QString::fromStdString(repo.path("model.safetensors")) + "@main"});
    QVERIFY2(inspected.exitCode == 0 && inspected.out.contains("layers.9.weight"), qPrintable(inspected.err));

    const auto unknown =
        test::runCli({"inspect", QString::fromStdString(repo.path("model.safetensors")) + "@nosuch"});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.err.contains("model.safetensors@nosuch: no revision 'nosuch'"), qPrintable(unknown.err));
    const auto absent =
        test::runCli({"inspect", QString::fromStdString(repo.path("other.safetensors")) + "@main"});
    QCOMPARE(absent.exitCode, 2);
    QVERIFY2(absent.err.contains("other.safetensors@main: not in revision main"), qPrintable(absent.err));
  }

  // Task data at a revision too: an evaluation of an old project reads the tasks it was scored on.
  void taskFilesAtARevisionReadThatRevision() {
    Repository repo;
    repo.init();
    io::writeSafetensors(repo.path("clf.safetensors"),
                         {io::TensorData::fromFloat32("head.weight", {2, 2}, {-1, 1, 1, -1}),
                          io::TensorData::fromFloat32("head.bias", {2}, {0, 0})});
    const auto writeTask = [&](int right) { // 4 examples of which the classifier gets `right` right
      io::TaskData task;
      task.name = "sign";
      task.labelNames = {"x1 wins", "x0 wins"};
      task.split = "test";
      task.inputShape = {4, 2};
      task.inputs = {2, 1, 2, 1, 1, 2, 1, 2};
      const std::vector<std::int64_t> truth = {1, 1, 0, 0};
      for (int i = 0; i < 4; ++i)
        task.labels.push_back(i < right ? truth[std::size_t(i)] : 1 - truth[std::size_t(i)]);
      io::writeTaskFile(repo.path("sign.h5"), task);
    };
    writeTask(4);
    repo.commit("all right");
    writeTask(2);
    repo.commit("half right");
    const auto accuracy = [&](const QString& tasks) {
      const auto r = test::runCli({"eval", "--model", QString::fromStdString(repo.path("clf.safetensors")),
                                   "--tasks", tasks, "--json"});
      if (r.exitCode != 0) return QString("failed: " + r.err);
      return QString::number(
          QJsonDocument::fromJson(r.out.toUtf8()).object().value("mean_accuracy").toDouble());
    };
    const auto file = QString::fromStdString(repo.path("sign.h5"));
    QCOMPARE(accuracy(file), QString("0.5"));
    QCOMPARE(accuracy(file + "@main~1"), QString("1"));
    QVERIFY2(accuracy(file + "@nosuch").contains("sign.h5@nosuch: no revision 'nosuch'"),
             qPrintable(accuracy(file + "@nosuch")));
  }

  void aCloneReadsItsOriginsObjects() {
    Repository origin;
    origin.init();
    Values model = randomModel(5);
    writeModel(origin.path("model.safetensors"), model);
    origin.commit("v1");
    const std::string v1 = test::readBytes(origin.path("model.safetensors"));
    for (float& v : model[2])
      v = -v;
    writeModel(origin.path("model.safetensors"), model);
    origin.commit("v2");
    const std::string v2 = test::readBytes(origin.path("model.safetensors"));

    test::TempDir elsewhere;
    const std::string clonePath = elsewhere.file("clone");
    Git{elsewhere.path()}.must({"clone", "-q", QString::fromStdString(origin.dir.path()), "clone"});
    Git clone{clonePath};
    const auto installed = test::runCli({"theta", "install", QString::fromStdString(clonePath)});
    QVERIFY2(installed.exitCode == 0, qPrintable(installed.err));
    QVERIFY2(installed.out.contains("reads objects from the origin's store") &&
                 installed.out.contains("checked out 1 checkpoint(s)"),
             qPrintable(installed.out));
    QVERIFY(test::readBytes(clonePath + "/model.safetensors") == v2);
    QVERIFY(clone({"status", "--porcelain"}).out.isEmpty()); // nothing looks modified
    clone.must({"checkout", "-q", "HEAD~1"});
    QVERIFY(test::readBytes(clonePath + "/model.safetensors") == v1);
    clone.must({"checkout", "-q", "-"});

    // A contributor's change in the clone: only the changed tensor lands in the clone's own store.
    for (float& v : model[6])
      v *= 2.0f;
    writeModel(clonePath + "/model.safetensors", model);
    clone.must({"commit", "-q", "-a", "-m", "layer 6 doubled"});
    QCOMPARE(folderBytes(clonePath + "/.git/theta/objects") / kTensorBytes, std::uint64_t(1));
  }

  // A remote on another host (a bare repository reached through file://, git's real transport): git push
  // carries the objects of the pushed commits as refs/theta/objects/*, a clone fetches what it checks out,
  // a pull fetches what changed; nothing is left half-pushed or half-fetched.
  void aRemoteOnAnotherHostCarriesTheObjects() {
    test::TempDir server;
    Git{server.path()}.must({"init", "-q", "--bare", "-b", "main"});
    const QString url = "file://" + QString::fromStdString(server.path());
    const auto remoteObjects = [&] {
      return Git{server.path()}({"for-each-ref", "--format=%(refname)", "refs/theta/objects/"})
          .out.split('\n', Qt::SkipEmptyParts)
          .size();
    };

    Repository a;
    a.init();
    Values model = randomModel(13);
    for (auto& tensor : model)
      for (float& v : tensor)
        v *= 0.05f;
    writeModel(a.path("model.safetensors"), model);
    const std::string v1 = test::readBytes(a.path("model.safetensors"));
    a.commit("v1");
    mergeLora(model[3], 14);
    writeModel(a.path("model.safetensors"), model);
    const std::string v2 = test::readBytes(a.path("model.safetensors"));
    a.commit("v2: a LoRA merged into layer 3");
    a.git.must({"remote", "add", "origin", url});
    const auto pushed = a.git({"push", "-u", "origin", "main"});
    QVERIFY2(pushed.exitCode == 0 && pushed.err.contains("theta: pushed 11 object(s)"),
             qPrintable(pushed.err));
    QCOMPARE(remoteObjects(), kTensors + 1);                   // ten tensors and layer 3's low-rank update
    QVERIFY(a.git({"push"}).err.indexOf("theta: pushed") < 0); // nothing new: nothing sent again

    // A clone elsewhere: the checkout fetches the objects; git's own store holds no copy of them.
    test::TempDir elsewhere;
    const std::string clonePath = elsewhere.file("b");
    Git{elsewhere.path()}.must({"clone", "-q", url, "b"});
    Git b{clonePath};
    const auto installed = test::runCli({"theta", "install", QString::fromStdString(clonePath)});
    QVERIFY2(installed.exitCode == 0 && installed.out.contains("checked out 1 checkpoint(s)"),
             qPrintable(installed.err + installed.out));
    QVERIFY(test::readBytes(clonePath + "/model.safetensors") == v2);
    QVERIFY(b({"status", "--porcelain"}).out.isEmpty());
    QVERIFY(folderBytes(clonePath + "/.git/objects") < kTensorBytes);
    QVERIFY(!fs::exists(clonePath + "/.git/theta/tmp") || fs::is_empty(clonePath + "/.git/theta/tmp"));
    b.must({"checkout", "-q", "HEAD~1"});
    QVERIFY(test::readBytes(clonePath + "/model.safetensors") == v1);
    b.must({"checkout", "-q", "main"});

    // The contributor's change goes up with their push; the first repository's pull brings it down.
    for (float& v : model[6])
      v = -v;
    writeModel(clonePath + "/model.safetensors", model);
    const std::string v3 = test::readBytes(clonePath + "/model.safetensors");
    b.must({"commit", "-q", "-a", "-m", "v3: layer 6 flipped"});
    const auto contributed = b({"push"});
    QVERIFY2(contributed.exitCode == 0 && contributed.err.contains("theta: pushed 1 object(s)"),
             qPrintable(contributed.err));
    a.git.must({"pull", "-q", "--ff-only"});
    QVERIFY(test::readBytes(a.path("model.safetensors")) == v3);

    // An object the remote lacks: a fresh clone's checkout stops with a message naming it and the remote.
    const QString lost = Git{server.path()}({"for-each-ref", "--format=%(refname)", "refs/theta/objects/"})
                             .out.split('\n', Qt::SkipEmptyParts)
                             .first();
    Git{server.path()}.must({"update-ref", "-d", lost});
    Git{elsewhere.path()}.must({"clone", "-q", url, "c"});
    const auto broken = test::runCli({"theta", "install", QString::fromStdString(elsewhere.file("c"))});
    QVERIFY(broken.exitCode != 0);
    QVERIFY2(broken.err.contains("is missing here and on origin") &&
                 broken.err.contains(lost.mid(QString("refs/theta/objects/").size(), 32)),
             qPrintable(broken.err));
    QVERIFY(!fs::exists(elsewhere.file("c/model.safetensors")) ||
            test::readBytes(elsewhere.file("c/model.safetensors")).rfind("{\"merganser_theta\"", 0) == 0);

    // A commit whose object is in no store here is not pushed at all.
    Values v4 = model;
    for (float& v : v4[8])
      v += 1.0f;
    writeModel(a.path("model.safetensors"), v4);
    const std::uint64_t before = folderBytes(a.path(".git/theta/objects"));
    a.commit("v4");
    std::string newest;
    fs::file_time_type newestTime = fs::file_time_type::min();
    for (const auto& entry : fs::recursive_directory_iterator(a.path(".git/theta/objects")))
      if (entry.is_regular_file() && entry.last_write_time() >= newestTime)
        newest = entry.path().string(), newestTime = entry.last_write_time();
    QVERIFY(folderBytes(a.path(".git/theta/objects")) > before);
    fs::remove(newest);
    const auto refused = a.git({"push"});
    QVERIFY(refused.exitCode != 0);
    QVERIFY2(refused.err.contains("is in no store here"), qPrintable(refused.err));
    QVERIFY(Git{server.path()}({"log", "-1", "--format=%s", "main"}).out.trimmed() == "v3: layer 6 flipped");
  }

  void filesThatAreNotCheckpointsAreKeptWhole() {
    Repository repo;
    repo.init();
    const std::string text = "not a checkpoint at all\n";
    test::writeBytes(repo.path("notes.safetensors"), text);
    repo.commit("a stray file");
    fs::remove(repo.path("notes.safetensors"));
    repo.git.must({"checkout", "--", "notes.safetensors"});
    QCOMPARE(test::readBytes(repo.path("notes.safetensors")), text);
    const auto again = test::runCli({"theta", "install", QString::fromStdString(repo.dir.path())});
    QCOMPARE(again.exitCode, 0);
    QVERIFY(again.out.contains("already installed")); // running it twice changes nothing
  }
};

MG_TEST_MAIN(ThetaGitTest)
#include "test_theta_git.moc"
