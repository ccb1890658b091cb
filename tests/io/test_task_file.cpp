// Task files: what is written reads back identically, a folder of them is a task set that the workbench
// recognises as task data, and broken files are one-line errors naming the file.
#include "support/test_registry.h"
#include <QtTest>

#include <filesystem>

#include "io/hdf5_checkpoint.h"
#include "io/io_error.h"
#include "io/source_classifier.h"
#include "io/task_file.h"
#include "support/temp_dir.h"

using namespace mg;

namespace {

io::TaskData sampleTask(const std::string& name) {
  io::TaskData task;
  task.name = name;
  task.skills = {"rotate90", "clothing-vs-shoes"};
  task.labelNames = {"clothing", "shoes"};
  task.split = "test";
  task.inputShape = {3, 2, 2};
  task.inputs = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11.5f};
  task.labels = {0, 1, 1};
  return task;
}

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

} // namespace

class TaskFileTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void roundTripsAndIsRecognisedAsTaskData() {
    test::TempDir dir;
    const auto path = dir.file("rotated.h5");
    io::writeTaskFile(path, sampleTask("rotated"));
    const auto task = io::readTaskFile(path);
    QCOMPARE(task.name, std::string("rotated"));
    QCOMPARE(task.skills, (std::vector<std::string>{"rotate90", "clothing-vs-shoes"}));
    QCOMPARE(task.labelNames.size(), std::size_t(2));
    QCOMPARE(task.split, std::string("test"));
    QCOMPARE(task.inputShape, (std::vector<std::int64_t>{3, 2, 2}));
    QCOMPARE(task.inputs, sampleTask("x").inputs);
    QCOMPARE(task.labels, (std::vector<std::int64_t>{0, 1, 1}));
    QCOMPARE(task.size(), std::int64_t(3));
    QVERIFY(io::isTaskFile(path));
    QVERIFY(io::classifySourcePath(path).role == io::SourceRole::Tasks);
  }

  void aFolderOfTaskFilesIsATaskSet() {
    test::TempDir dir;
    io::writeTaskFile(dir.file("b.h5"), sampleTask("b"));
    io::writeTaskFile(dir.file("a.h5"), sampleTask("a"));
    const auto tasks = io::readTaskSet(dir.path());
    QCOMPARE(tasks.size(), std::size_t(2));
    QCOMPARE(tasks[0].name, std::string("a"));
    QVERIFY(io::classifySourcePath(dir.path()).role == io::SourceRole::Tasks);
  }

  void inconsistentDataIsRefusedBeforeWriting() {
    test::TempDir dir;
    auto task = sampleTask("bad");
    task.labels = {0, 2, 1};
    QVERIFY(errorOf([&] { io::writeTaskFile(dir.file("bad.h5"), task); }).find("label 2") !=
            std::string::npos);
    task = sampleTask("bad");
    task.labels.pop_back();
    QVERIFY(errorOf([&] { io::writeTaskFile(dir.file("bad.h5"), task); }).find("2 labels for 3 inputs") !=
            std::string::npos);
    QVERIFY(test::listFolder(dir.path()).empty()); // nothing half-written
  }

  void aCheckpointIsNotATaskFile() {
    test::TempDir dir;
    const auto path = dir.file("weights.h5");
    io::writeHdf5Checkpoint(path, {{"w", io::DType::F32, {2}}}, [](const io::TensorInfo& info) {
      return io::TensorData::fromFloat32(info.name, {2}, {1, 2});
    });
    const auto error = errorOf([&] { io::readTaskFile(path); });
    QVERIFY2(error.rfind(path + ": not a task file", 0) == 0, error.c_str());
    QVERIFY(io::classifySourcePath(path).role == io::SourceRole::Model);
    test::writeBytes(dir.file("junk.h5"), "not hdf5 at all");
    QVERIFY(errorOf([&] { io::readTaskFile(dir.file("junk.h5")); }).rfind(dir.file("junk.h5") + ":", 0) == 0);
  }

  // Found by tests/fuzz/fuzz_task_file: Debian's libhdf5 dies with SIGSEGV (in H5A__close) reading this
  // file's attributes. The first read happens in a child process, so the test process survives and gets a
  // one-line error naming the file; a good file still reads (and is read in a child only once).
  void aFileThatCrashesTheHdf5LibraryIsAnError() {
    test::TempDir dir;
    // A good file first: the crash needs the library's state after an earlier file (as in the fuzzer's run).
    const auto good = dir.file("good.h5");
    io::writeTaskFile(good, sampleTask("good"));
    QCOMPARE(io::readTaskFile(good).labels, sampleTask("good").labels);

    const auto crafted = dir.file("crafted.h5");
    std::filesystem::copy_file(std::string(MG_HDF5_DATA) + "/crashes_h5a_close.h5", crafted);
    for (int attempt = 0; attempt < 2; ++attempt) { // a file that crashed is not remembered as good
      const auto error = errorOf([&] { io::readTaskFile(crafted); });
      QVERIFY2(error.rfind(crafted + ": the HDF5 library crashed reading it (signal 11)", 0) == 0,
               error.c_str());
      QVERIFY(error.find('\n') == std::string::npos);
    }
    QVERIFY(io::classifySourcePath(crafted).role != io::SourceRole::Tasks);
    QCOMPARE(io::readTaskFile(good).labels, sampleTask("good").labels); // the process goes on reading
  }
};

MG_TEST_APPLESS_MAIN(TaskFileTest)
#include "test_task_file.moc"
