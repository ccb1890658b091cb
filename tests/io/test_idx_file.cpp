// IDX files (MNIST / Fashion-MNIST): plain and gzip-compressed, every header problem a clear error, and the
// real Fashion-MNIST test split of Debian's dataset-fashion-mnist package.
#include "support/test_registry.h"
#include <QtTest>
#include <sys/resource.h>
#include <zlib.h>

#include <filesystem>

#include "io/idx_file.h"
#include "io/io_error.h"
#include "support/temp_dir.h"

using namespace mg;

namespace {

std::string idx(std::vector<std::uint32_t> dims, const std::string& values, unsigned char type = 0x08) {
  std::string out = {'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
  for (const auto d : dims)
    for (int shift = 24; shift >= 0; shift -= 8)
      out.push_back(static_cast<char>((d >> shift) & 0xff));
  return out + values;
}

void writeGz(const std::string& path, const std::string& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(file);
}

void expectError(const std::string& path, const char* fragment) {
  try {
    io::readIdxFile(path);
    QFAIL("expected an error");
  } catch (const io::IoError& e) {
    const std::string what = e.what();
    QVERIFY2(what.rfind(path + ":", 0) == 0 && what.find(fragment) != std::string::npos, what.c_str());
  }
}

} // namespace

class IdxFileTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void readsPlainAndCompressedFiles() {
    test::TempDir dir;
    const std::string bytes = idx({2, 3}, std::string("\x01\x02\x03\x04\x05\xff", 6));
    test::writeBytes(dir.file("plain.idx"), bytes);
    writeGz(dir.file("packed.idx.gz"), bytes);
    for (const auto& file : {dir.file("plain.idx"), dir.file("packed.idx.gz")}) {
      const auto array = io::readIdxFile(file);
      QCOMPARE(array.shape, (std::vector<std::int64_t>{2, 3}));
      QCOMPARE(array.values, (std::vector<std::uint8_t>{1, 2, 3, 4, 5, 255}));
    }
  }

  void badFilesAreOneLineErrorsNamingTheFile() {
    test::TempDir dir;
    auto write = [&](const std::string& name, const std::string& bytes) {
      test::writeBytes(dir.file(name), bytes);
      return dir.file(name);
    };
    expectError(dir.file("missing.idx"), "cannot open");
    expectError(write("short", std::string("\0\0", 2)), "too short");
    expectError(write("magic", std::string("\1\0\x08\x01", 4)), "bad magic");
    expectError(write("type", idx({1}, "x", 0x0d)), "not supported");
    expectError(write("dims", idx({}, "")), "0 dimensions");
    expectError(write("truncated", idx({4}, "abc")), "truncated");
    expectError(write("trailing", idx({2}, "abc")), "trailing bytes");
    expectError(write("header", idx({4}, "").substr(0, 6)), "truncated IDX header");
  }

  // Found by tests/fuzz/fuzz_idx: a 23-byte file whose header promises 4 G values made the reader allocate
  // (and zero) 4 GB before finding the data missing. Plain or compressed, it now costs a few MB at most.
  void aHeaderPromisingGigabytesAllocatesNothing() {
    test::TempDir dir;
    const std::string lying = idx({0xffffffffu}, std::string("\0\0\0\3\1\2\3", 7));
    test::writeBytes(dir.file("plain"), lying);
    writeGz(dir.file("compressed.gz"), lying);
    // A compressed file holding far more than its size could hold still reads what is there, in chunks.
    writeGz(dir.file("long.gz"), idx({3u << 20}, std::string(3u << 20, 'x')).substr(0, 3u << 19));
    const auto peakKb = [] {
      rusage usage{};
      getrusage(RUSAGE_SELF, &usage);
      return usage.ru_maxrss;
    };
    const long before = peakKb();
    expectError(dir.file("plain"), "cannot hold them");
    expectError(dir.file("compressed.gz"), "cannot hold them");
    expectError(dir.file("long.gz"), "truncated");
    const long grownMb = (peakKb() - before) / 1024;
    QVERIFY2(grownMb < 32, (std::to_string(grownMb) + " MB").c_str());
  }

  void readsFashionMnistFromTheDebianPackage() {
    if (!std::filesystem::exists(io::kFashionMnistFolder)) QSKIP("dataset-fashion-mnist is not installed");
    const auto test = io::readFashionMnist("test");
    QCOMPARE(test.images.shape, (std::vector<std::int64_t>{10000, 28, 28}));
    QCOMPARE(test.labels.values.size(), std::size_t(10000));
    std::vector<int> perClass(10, 0);
    for (const auto label : test.labels.values)
      ++perClass[label];
    for (const int count : perClass)
      QCOMPARE(count, 1000); // the test split is balanced
    QCOMPARE(io::fashionMnistLabelNames().at(9), std::string("Ankle boot"));
    QVERIFY_THROWS_EXCEPTION(io::IoError, io::readFashionMnist("validation"));
  }
};

MG_TEST_APPLESS_MAIN(IdxFileTest)
#include "test_idx_file.moc"
