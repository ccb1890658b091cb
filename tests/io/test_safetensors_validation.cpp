// The reader's validation: one hand-made file per rule of shared/spec/formats.md, each rejected
// with an IoError naming the file and the problem; a huge declared header that must fail before
// any allocation; and fuzzing by truncation and byte flips, which may fail but never crash.
#include "support/test_registry.h"
#include <QtTest>

#include <filesystem>
#include <random>

#include <fcntl.h>
#include <unistd.h>

#include "io/io_error.h"
#include "io/safetensors_file.h"
#include "io/safetensors_writer.h"
#include "safetensors_craft.h"
#include "support/memory.h"
#include "support/temp_dir.h"

using namespace mg::io;
using mg::test::craftSafetensors;
using mg::test::expectIoError;
using mg::test::TempDir;

namespace {

// `{"a": <entry>}` with a valid dtype/shape/offsets unless overridden by the raw entry text.
std::string one(const std::string& entry) {
  return "{\"a\":" + entry + "}";
}

void openAndLoadAll(const std::string& path) {
  SafetensorsFile f(path);
  for (const auto& t : f.tensors())
    f.load(t.name);
}

} // namespace

class SafetensorsValidationTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void rejectsBadHeaders_data() {
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("dataBytes");
    QTest::addColumn<QString>("problem");
    const auto row = [](const char* name, const std::string& header, int data, const char* problem) {
      QTest::newRow(name) << QByteArray::fromStdString(header) << data << QString(problem);
    };
    const std::string u8a = R"("dtype":"U8","shape":[1],"data_offsets":[0,1])";
    // Encoding and JSON shape.
    row("not utf-8", "{\"a\xff\":{" + u8a + "}}", 1, "header is not valid UTF-8");
    row("overlong utf-8", "{\"a\xc0\xaf\":{" + u8a + "}}", 1, "header is not valid UTF-8");
    row("surrogate utf-8", "{\"a\xed\xa0\x80\":{" + u8a + "}}", 1, "header is not valid UTF-8");
    row("empty header", "", 0, "header is not valid JSON");
    row("broken json", "{\"a\": ", 0, "header is not valid JSON");
    row("json then junk", "{} x", 0, "header is not valid JSON");
    row("nul padding", std::string("{}\0\0\0\0\0\0", 8), 0, "header is not valid JSON: NUL byte at offset 2");
    row("nul then junk", std::string("{}\0{\"a\":1}", 10), 0, "header is not valid JSON: NUL byte");
    row("array", "[1,2]", 0, "header is not a JSON object");
    row("string", "\"x\"", 0, "header is not a JSON object");
    row("deep nesting", "{\"a\":" + std::string(5000, '[') + std::string(5000, ']') + "}", 0,
        "nests more than");
    // Entries.
    row("entry is a number", one("5"), 0, "tensor 'a': entry is not a JSON object");
    row("entry is an array", one("[1]"), 0, "tensor 'a': entry is not a JSON object");
    row("missing dtype", one(R"({"shape":[1],"data_offsets":[0,1]})"), 1,
        "tensor 'a': missing field 'dtype'");
    row("missing shape", one(R"({"dtype":"U8","data_offsets":[0,1]})"), 1,
        "tensor 'a': missing field 'shape'");
    row("missing offsets", one(R"({"dtype":"U8","shape":[1]})"), 1,
        "tensor 'a': missing field 'data_offsets'");
    row("dtype not a string", one(R"({"dtype":8,"shape":[1],"data_offsets":[0,1]})"), 1,
        "dtype is not a string");
    row("unknown dtype", one(R"({"dtype":"F31","shape":[1],"data_offsets":[0,4]})"), 4,
        "unknown dtype 'F31'");
    row("lower-case dtype", one(R"({"dtype":"f32","shape":[1],"data_offsets":[0,4]})"), 4,
        "unknown dtype 'f32'");
    // Offsets.
    const char* badOffsets = "tensor 'a': data_offsets must be two non-negative integers";
    row("one offset", one(R"({"dtype":"U8","shape":[1],"data_offsets":[0]})"), 1, badOffsets);
    row("three offsets", one(R"({"dtype":"U8","shape":[1],"data_offsets":[0,1,1]})"), 1, badOffsets);
    row("negative offset", one(R"({"dtype":"U8","shape":[1],"data_offsets":[-1,0]})"), 1, badOffsets);
    row("fractional offset", one(R"({"dtype":"U8","shape":[1],"data_offsets":[0.0,1]})"), 1, badOffsets);
    row("string offset", one(R"({"dtype":"U8","shape":[1],"data_offsets":["0",1]})"), 1, badOffsets);
    row("offsets an object", one(R"({"dtype":"U8","shape":[1],"data_offsets":{"0":1}})"), 1, badOffsets);
    row("offset beyond u64", one(R"({"dtype":"U8","shape":[1],"data_offsets":[0,18446744073709551616]})"), 1,
        badOffsets);
    // Shapes.
    row("shape not an array", one(R"({"dtype":"U8","shape":1,"data_offsets":[0,1]})"), 1,
        "shape is not an array");
    row("negative dim", one(R"({"dtype":"U8","shape":[-1],"data_offsets":[0,1]})"), 1,
        "shape entry 0 is not a non-negative integer");
    row("fractional dim", one(R"({"dtype":"U8","shape":[1,1.5],"data_offsets":[0,1]})"), 1,
        "shape entry 1 is not a non-negative integer");
    row("string dim", one(R"({"dtype":"U8","shape":["1"],"data_offsets":[0,1]})"), 1,
        "shape entry 0 is not a non-negative integer");
    row("dim beyond i64", one(R"({"dtype":"U8","shape":[9223372036854775808],"data_offsets":[0,1]})"), 1,
        "shape entry 0 is not a non-negative integer");
    row("numel overflow", one(R"({"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]})"), 4,
        "overflows 64-bit byte counts");
    row("bytes overflow", one(R"({"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,8]})"), 8,
        "overflows 64-bit byte counts");
    row("size mismatch", one(R"({"dtype":"F32","shape":[2],"data_offsets":[0,4]})"), 4,
        "shape [2] of F32 needs 8 bytes but data_offsets [0, 4] span 4");
    // Layout of the data buffer.
    row("reversed", one(R"({"dtype":"U8","shape":[0],"data_offsets":[4,0]})"), 4,
        "data_offsets [4, 0] are reversed");
    row("gap at start", one(R"({"dtype":"F32","shape":[1],"data_offsets":[4,8]})"), 8,
        "leave a gap of 4 bytes after data offset 0");
    row("gap between",
        R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[6,10]}})",
        10, "tensor 'b': data_offsets [6, 10] leave a gap of 2 bytes");
    row("overlap",
        R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
        8, "tensor 'b': data_offsets [4, 8] overlap the previous tensor");
    row("same range twice",
        R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"I16","shape":[1],"data_offsets":[0,2]}})",
        2, "overlap the previous tensor");
    row("trailing bytes", one("{" + u8a + "}"), 3, "2 trailing bytes after the last tensor");
    row("truncated data", one(R"({"dtype":"F32","shape":[4],"data_offsets":[0,16]})"), 10,
        "file is truncated: the tensors need 16 data bytes but only 10 follow the header");
    // Names and metadata.
    row("duplicate tensor", "{\"a\":{" + u8a + "},\"a\":{" + u8a + "}}", 1, "duplicate key 'a'");
    row("duplicate field", one(R"({"dtype":"U8","dtype":"F32","shape":[1],"data_offsets":[0,1]})"), 1,
        "duplicate key 'dtype'");
    row("metadata not an object", R"({"__metadata__":["x"]})", 0, "__metadata__ is not a JSON object");
    row("metadata null", R"({"__metadata__":null})", 0, "__metadata__ is not a JSON object");
    row("metadata value not a string", R"({"__metadata__":{"format":"pt","epoch":3}})", 0,
        "__metadata__ value for 'epoch' is not a string");
    row("name with newline", "{\"a\\nb\":{\"dtype\":\"U9\",\"shape\":[],\"data_offsets\":[0,1]}}", 1,
        "tensor 'a\\x0Ab': unknown dtype 'U9'");
  }

  void rejectsBadHeaders() {
    QFETCH(QByteArray, header);
    QFETCH(int, dataBytes);
    QFETCH(QString, problem);
    TempDir dir;
    const std::string path = dir.file("bad.safetensors");
    mg::test::writeBytes(path, craftSafetensors(header.toStdString(), std::string(dataBytes, '\x01')));
    const IoError e = expectIoError([&] { SafetensorsFile f(path); });
    MG_VERIFY_IO_ERROR(e, path, problem.toStdString());
  }

  void acceptsEdgeCases() {
    TempDir dir;
    const std::string path = dir.file("edge.safetensors");
    // No tensors at all, then zero-size tensors sharing offsets with real ones, then padding.
    const std::vector<std::string> headers{
        "{}",
        R"({"__metadata__":{}})",
        R"({"z":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},"a":{"dtype":"F32","shape":[0,3],"data_offsets":[2,2]},)"
        R"("b":{"dtype":"U16","shape":[1],"data_offsets":[0,2]},"c":{"dtype":"U8","shape":[],"data_offsets":[2,3]},)"
        R"("d":{"dtype":"BOOL","shape":[1,0],"data_offsets":[3,3]}}       )",
    };
    const std::vector<std::size_t> counts{0, 0, 5};
    for (std::size_t i = 0; i < headers.size(); ++i) {
      mg::test::writeBytes(path, craftSafetensors(headers[i], i == 2 ? std::string("\x01\x02\x03", 3) : ""));
      SafetensorsFile f(path);
      QCOMPARE(f.tensors().size(), counts[i]);
      for (const auto& t : f.tensors())
        QCOMPARE(f.load(t.name).bytes.size(), std::size_t(t.nbytes()));
    }
    SafetensorsFile f(path);
    QCOMPARE(f.loadFloat32("b"), std::vector<float>{513.0f});
    QCOMPARE(f.loadFloat32("c"), std::vector<float>{3.0f});
    QCOMPARE(f.find("a")->shape, (std::vector<std::int64_t>{0, 3}));
  }

  void rejectsShortFiles() {
    TempDir dir;
    const std::string path = dir.file("short.safetensors");
    for (int size = 0; size < 8; ++size) {
      mg::test::writeBytes(path, std::string(size, '\0'));
      MG_VERIFY_IO_ERROR(expectIoError([&] { SafetensorsFile f(path); }), path,
                         "file is " + std::to_string(size) +
                             " bytes, too short for the 8-byte header length");
    }
  }

  void rejectsMissingFilesAndFolders() {
    TempDir dir;
    const std::string missing = dir.file("missing.safetensors");
    MG_VERIFY_IO_ERROR(expectIoError([&] { SafetensorsFile f(missing); }), missing, "cannot open");
    MG_VERIFY_IO_ERROR(expectIoError([&] { SafetensorsFile f(dir.path()); }), dir.path(),
                       "not a regular file");
  }

  // A declared header of 1 TiB on a 120-byte file fails on the length alone: no allocation, no read.
  void hugeHeaderLengthFailsFast() {
    TempDir dir;
    const std::string path = dir.file("huge.safetensors");
    mg::test::writeBytes(path, craftSafetensors(std::string(112, ' '), "", 1ULL << 40));
    const bool reset = mg::test::resetPeakRss();
    const std::uint64_t before = reset ? mg::test::currentRssBytes() : mg::test::peakRssBytes();
    QElapsedTimer timer;
    timer.start();
    const IoError e = expectIoError([&] { SafetensorsFile f(path); });
    const std::uint64_t growth = mg::test::peakRssBytes() - std::min(before, mg::test::peakRssBytes());
    MG_VERIFY_IO_ERROR(e, path, "header length 1099511627776 exceeds the file size 120");
    QVERIFY2(growth < 8u << 20, qPrintable(QString("peak RSS grew by %1 bytes").arg(growth)));
    QVERIFY(timer.elapsed() < 1000);
  }

  // N over the reference limit, in a (sparse) file long enough to hold it: rejected for the limit.
  void headerOverTheLimitIsRejected() {
    TempDir dir;
    const std::string path = dir.file("limit.safetensors");
    const std::uint64_t n = 100'000'001;
    mg::test::writeBytes(path, craftSafetensors("{}", "", n));
    std::filesystem::resize_file(path, 8 + n + 16);
    MG_VERIFY_IO_ERROR(expectIoError([&] { SafetensorsFile f(path); }), path,
                       "header length 100000001 exceeds the limit of 100000000 bytes");
  }

  // Every proper prefix of a valid file is invalid: the lengths no longer add up.
  void everyTruncationIsRejected() {
    TempDir dir;
    const std::string good = dir.file("good.safetensors");
    writeSafetensors(good,
                     {TensorData::fromFloat32("w", {2, 3}, {1, 2, 3, 4, 5, 6}),
                      TensorData::fromFloat32("b", {3}, {1, 2, 3}, DType::BF16),
                      TensorData{{"flag", DType::Bool, {1}}, {std::byte(1)}}},
                     {{"k", "v"}});
    const std::string bytes = mg::test::readBytes(good);
    const std::string path = dir.file("cut.safetensors");
    for (std::size_t size = 0; size < bytes.size(); ++size) {
      mg::test::writeBytes(path, bytes.substr(0, size));
      const IoError e = expectIoError([&] { openAndLoadAll(path); });
      QVERIFY2(e.file() == path, qPrintable(QString("size %1: %2").arg(size).arg(e.what())));
      std::filesystem::remove(path);
    }
  }

  // Random byte flips in the length and header: an IoError or a valid file, never a crash or
  // another exception type.
  void headerByteFlipsNeverCrash() {
    TempDir dir;
    const std::string good = dir.file("good.safetensors");
    writeSafetensors(good,
                     {TensorData::fromFloat32("layer.0.weight", {4, 4}, std::vector<float>(16, 0.5f)),
                      TensorData::fromFloat32("layer.0.bias", {4}, {1, 2, 3, 4}, DType::F16),
                      TensorData{{"ids", DType::I64, {2}}, TensorBytes(16, std::byte{0})}},
                     {{"source", "fuzz"}});
    const std::string bytes = mg::test::readBytes(good);
    std::uint64_t headerEnd = 0;
    std::memcpy(&headerEnd, bytes.data(), 8);
    headerEnd += 8;
    const std::string path = dir.file("flipped.safetensors");
    std::mt19937 random(20240611);
    int opened = 0, rejected = 0;
    for (int round = 0; round < 3000; ++round) {
      std::string mutated = bytes;
      const int flips = 1 + static_cast<int>(random() % 3);
      for (int i = 0; i < flips; ++i) {
        const std::size_t at = random() % headerEnd;
        mutated[at] =
            static_cast<char>(random() % 4 == 0 ? random() % 256 : mutated[at] ^ (1 << (random() % 8)));
      }
      mg::test::writeBytes(path, mutated);
      try {
        openAndLoadAll(path);
        ++opened;
      } catch (const IoError& e) {
        QCOMPARE(e.file(), path);
        ++rejected;
      } catch (const std::exception& e) {
        QFAIL(qPrintable(QString("round %1: unexpected exception: %2").arg(round).arg(e.what())));
      }
      std::filesystem::remove(path); // a fresh file each round: truncating a just-written one waits on ext4
    }
    QVERIFY(rejected > 0);
    qInfo("byte flips: %d files opened, %d rejected", opened, rejected);
  }
};

MG_TEST_APPLESS_MAIN(SafetensorsValidationTest)
#include "test_safetensors_validation.moc"
