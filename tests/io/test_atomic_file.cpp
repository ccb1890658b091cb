// AtomicFile and AtomicFolder: the destination holds either the old or the complete new content, never a
// mix; temporaries are hidden beside the destination and removed unless committed, and those a killed
// writer left (no lock held on them) are removed by the next write of the same destination, while a live
// writer's are kept.
#include "support/test_registry.h"
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <sys/stat.h>

#include "io/atomic_file.h"
#include "io/atomic_folder.h"
#include "io/io_error.h"
#include "safetensors_craft.h"
#include "support/temp_dir.h"

using namespace mg::io;
using mg::test::TempDir;

namespace {
std::string contentOf(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

mode_t modeOf(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 07777;
}
} // namespace

class AtomicFileTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void commitPublishesTheContent() {
    TempDir dir;
    const std::string path = dir.file("out.json");
    {
      AtomicFile f(path);
      QVERIFY(f.temporaryPath().rfind(dir.file(".out.json.tmp-"), 0) == 0);
      f.write("hello ", 6);
      f.write("world", 5);
      QVERIFY(!std::filesystem::exists(path)); // nothing visible before commit
      f.commit();
    }
    QCOMPARE(mg::test::readBytes(path), std::string("hello world"));
    QCOMPARE(mg::test::listFolder(dir.path()), std::vector<std::string>{"out.json"});
    const mode_t mask = ::umask(0);
    ::umask(mask);
    QCOMPARE(modeOf(path), mode_t(0666 & ~mask)); // not mkstemp's 0600
  }

  void uncommittedFilesVanish() {
    TempDir dir;
    const std::string path = dir.file("out.bin");
    mg::test::writeBytes(path, "old");
    {
      AtomicFile f(path);
      f.write("new content", 11);
      QVERIFY(std::filesystem::exists(f.temporaryPath()));
    }
    QCOMPARE(mg::test::readBytes(path), std::string("old"));
    QCOMPARE(mg::test::listFolder(dir.path()), std::vector<std::string>{"out.bin"});
  }

  void replacingKeepsTheFileMode() {
    TempDir dir;
    const std::string path = dir.file("secret.txt");
    mg::test::writeBytes(path, "old");
    std::filesystem::permissions(path,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    writeFileAtomically(path, "new");
    QCOMPARE(mg::test::readBytes(path), std::string("new"));
    QCOMPARE(modeOf(path), mode_t(0600));
  }

  void largeWritesArriveWhole() {
    TempDir dir;
    const std::string path = dir.file("big.bin");
    std::string content(24 << 20, '\0');
    for (std::size_t i = 0; i < content.size(); ++i)
      content[i] = static_cast<char>(i * 131);
    writeFileAtomically(path, content);
    QVERIFY(mg::test::readBytes(path) == content);
  }

  // A killed writer's temporary file and staging folder hold no lock: the next write of the same destination
  // removes them; a live writer's temporary (locked) and other files' temporaries stay.
  void aKilledWritersTemporariesGoWithTheNextWrite() {
    TempDir dir;
    namespace fs = std::filesystem;
    const std::string path = dir.file("model.safetensors");
    mg::test::writeBytes(dir.file(".model.safetensors.tmp-dead01"), "half a file");
    fs::create_directories(dir.file(".model.safetensors.tmp-123/inner"));
    mg::test::writeBytes(dir.file(".other.safetensors.tmp-dead02"), "not this destination's");
    {
      AtomicFile live(path); // another writer of the same file, still running
      {
        AtomicFile next(path);
        QVERIFY(!fs::exists(dir.file(".model.safetensors.tmp-dead01")));
        QVERIFY(!fs::exists(dir.file(".model.safetensors.tmp-123")));
        QVERIFY(fs::exists(live.temporaryPath()));
        QVERIFY(fs::exists(dir.file(".other.safetensors.tmp-dead02")));
        next.write("new", 3);
        next.commit();
      }
      QVERIFY(fs::exists(live.temporaryPath()));
    }
    QCOMPARE(mg::test::readBytes(path), std::string("new"));

    // The same for folders: a dead staging folder and a previous folder left mid-swap go; a live one stays.
    const std::string folder = dir.file("adapter");
    fs::create_directories(dir.file(".adapter.tmp-77"));
    fs::create_directories(dir.file(".adapter.old-78"));
    AtomicFolder live(folder);
    {
      AtomicFolder next(folder);
      QVERIFY(!fs::exists(dir.file(".adapter.tmp-77")));
      QVERIFY(!fs::exists(dir.file(".adapter.old-78")));
      QVERIFY(fs::exists(live.stagingPath()));
    }
  }

  // Replacing a folder swaps it in one step: afterwards only the new content is there, and nothing beside it.
  void aFolderIsReplacedWhole() {
    TempDir dir;
    namespace fs = std::filesystem;
    const std::string folder = dir.file("out");
    fs::create_directories(folder);
    mg::test::writeBytes(folder + "/old.txt", "old");
    {
      AtomicFolder next(folder);
      mg::test::writeBytes(next.stagingPath() + "/new.txt", "new");
      QVERIFY(fs::exists(folder + "/old.txt")); // untouched until commit
      next.commit();
    }
    QVERIFY(!fs::exists(folder + "/old.txt"));
    QCOMPARE(mg::test::readBytes(folder + "/new.txt"), std::string("new"));
    int entries = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path()))
      ++entries;
    QCOMPARE(entries, 1);
  }

  void errorsNameTheDestination() {
    TempDir dir;
    const std::string inMissingFolder = dir.file("no/such/folder/x.json");
    MG_VERIFY_IO_ERROR(mg::test::expectIoError([&] { writeFileAtomically(inMissingFolder, "{}"); }),
                       inMissingFolder, "cannot create a temporary file in");
    const std::string folderName = dir.file("sub/");
    MG_VERIFY_IO_ERROR(mg::test::expectIoError([&] { AtomicFile f(folderName); }), folderName,
                       "not a file name");
    // A folder in the way is found before anything is written, not when the rename fails.
    std::filesystem::create_directories(dir.file("taken/inner"));
    const std::string taken = dir.file("taken");
    MG_VERIFY_IO_ERROR(mg::test::expectIoError([&] { AtomicFile f(taken); }), taken,
                       "is a folder, not a file");
    QCOMPARE(mg::test::listFolder(dir.path()), std::vector<std::string>{"taken"});
    // A folder that appears there meanwhile: the rename fails, the temporary goes away.
    const std::string late = dir.file("late");
    MG_VERIFY_IO_ERROR(mg::test::expectIoError([&] {
                         AtomicFile f(late);
                         f.write("x", 1);
                         std::filesystem::create_directories(late + "/inner");
                         f.commit();
                       }),
                       late, "cannot put the finished file in place: Is a directory");
    QCOMPARE(mg::test::listFolder(dir.path()), (std::vector<std::string>{"late", "taken"}));
  }

  // A staging folder deleted and made again meanwhile (a writer creating its folder) is not moved into place.
  void aFolderRemovedWhileBuiltIsNotCommitted() {
    TempDir dir;
    const std::string dest = dir.file("adapter");
    AtomicFolder folder(dest);
    std::filesystem::remove_all(folder.stagingPath());
    std::filesystem::create_directories(folder.stagingPath());
    std::ofstream(folder.stagingPath() + "/half.json") << "{}";
    MG_VERIFY_IO_ERROR(mg::test::expectIoError([&] { folder.commit(); }), dest,
                       "the folder being built beside it was removed");
    QVERIFY(!std::filesystem::exists(dest));
  }

  // Companion files copied into an export folder (an HF config's tokenizer, an adapter's files): a failure
  // names the file as the user will find it, or the source that could not be read; never the staging name.
  void copyErrorsNameTheFileInPlace() {
    TempDir dir;
    const std::string dest = dir.file("model");
    const std::string source = dir.file("tokenizer.json");
    std::ofstream(source) << "{}";
    AtomicFolder folder(dest);
    MG_VERIFY_IO_ERROR(mg::test::expectIoError([&] { folder.copyFile(dir.file("gone.json"), "gone.json"); }),
                       dir.file("gone.json"), "cannot be copied: no such file");
    std::filesystem::create_directory(folder.stagingPath() + "/tokenizer.json"); // a folder in the way
    const auto error = mg::test::expectIoError([&] { folder.copyFile(source, "tokenizer.json"); });
    MG_VERIFY_IO_ERROR(error, dest + "/tokenizer.json", "cannot be copied from " + source);
    QVERIFY2(std::string(error.what()).find(".tmp-") == std::string::npos, error.what());
    folder.copyFile(source, "copy.json");
    QCOMPARE(mg::test::readBytes(folder.stagingPath() + "/copy.json"), std::string("{}"));
  }

  // A file the disk cannot hold fails when its space is claimed, before any writing; the old file stays.
  void aFileTheDiskCannotHoldFailsUpFront() {
    TempDir dir;
    const std::string path = dir.file("huge.bin");
    writeFileAtomically(path, "old");
    MG_VERIFY_IO_ERROR(mg::test::expectIoError([&] {
                         AtomicFile f(path);
                         f.reserve(std::uint64_t(1) << 62); // 4 EiB: no file system here holds it
                       }),
                       path, "not enough free space: the file needs 4294967296.0 GiB");
    QCOMPARE(mg::test::listFolder(dir.path()), std::vector<std::string>{"huge.bin"});
    QCOMPARE(contentOf(path), std::string("old"));
    // A claim that fits leaves the file's size as written.
    {
      AtomicFile f(path);
      f.reserve(1 << 20);
      f.write("new", 3);
      f.commit();
    }
    QCOMPARE(contentOf(path), std::string("new"));
  }
};

MG_TEST_APPLESS_MAIN(AtomicFileTest)
#include "test_atomic_file.moc"
