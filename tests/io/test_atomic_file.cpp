// AtomicFile: the destination holds either the old or the complete new content, never a mix;
// temporaries are hidden beside the destination and removed unless committed.
#include "support/test_registry.h"
#include <QtTest>

#include <filesystem>

#include <sys/stat.h>

#include "io/atomic_file.h"
#include "io/io_error.h"
#include "safetensors_craft.h"
#include "support/temp_dir.h"

using namespace mg::io;
using mg::test::TempDir;

namespace {
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

  void errorsNameTheDestination() {
    TempDir dir;
    const std::string inMissingFolder = dir.file("no/such/folder/x.json");
    MG_VERIFY_IO_ERROR(mg::test::expectIoError([&] { writeFileAtomically(inMissingFolder, "{}"); }),
                       inMissingFolder, "cannot create a temporary file in");
    const std::string folderName = dir.file("sub/");
    MG_VERIFY_IO_ERROR(mg::test::expectIoError([&] { AtomicFile f(folderName); }), folderName,
                       "not a file name");
    // Renaming over a non-empty folder fails at commit, and the temporary goes away.
    std::filesystem::create_directories(dir.file("taken/inner"));
    const std::string taken = dir.file("taken");
    MG_VERIFY_IO_ERROR(mg::test::expectIoError([&] { writeFileAtomically(taken, "x"); }), taken,
                       "cannot rename");
    QCOMPARE(mg::test::listFolder(dir.path()), std::vector<std::string>{"taken"});
  }
};

MG_TEST_APPLESS_MAIN(AtomicFileTest)
#include "test_atomic_file.moc"
