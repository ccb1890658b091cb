// Sharded safetensors: splitting by byte budget, the index, replacing an earlier export, shard names
// confined to the folder, inconsistent indexes, byte sizes, and a 1 GiB export in bounded memory.
#include "support/test_registry.h"
#include <QtTest>

#include <chrono>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "io/io_error.h"
#include "io/safetensors_writer.h"
#include "io/sharded_safetensors.h"
#include "safetensors_craft.h"
#include "support/memory.h"
#include "support/temp_dir.h"

using namespace mg::io;
using mg::test::expectIoError;
using mg::test::TempDir;
namespace fs = std::filesystem;

namespace {

// Tensor `info` filled with a value pattern unique to its name, cheap to regenerate for checks.
TensorData generate(const TensorInfo& info) {
  TensorData t;
  t.info = info;
  t.bytes.resize(info.nbytes());
  const auto seed = static_cast<unsigned char>(std::hash<std::string>{}(info.name));
  for (std::size_t i = 0; i < t.bytes.size(); ++i)
    t.bytes[i] = std::byte(static_cast<unsigned char>(seed + i * 7));
  return t;
}

std::vector<TensorInfo> bytesTensors(const std::vector<std::int64_t>& sizes) {
  std::vector<TensorInfo> infos;
  for (std::size_t i = 0; i < sizes.size(); ++i)
    infos.push_back({"t" + std::to_string(i), DType::U8, {sizes[i]}});
  return infos;
}

nlohmann::ordered_json readJson(const std::string& path) {
  return nlohmann::ordered_json::parse(mg::test::readBytes(path));
}

// A folder with shards a.safetensors {x, z} and b.safetensors {x, y}, for crafted indexes.
struct ShardFolder {
  TempDir dir;
  ShardFolder() {
    writeSafetensors(dir.file("a.safetensors"),
                     std::vector<TensorInfo>{{"x", DType::F32, {2}}, {"z", DType::U8, {1}}}, generate);
    writeSafetensors(dir.file("b.safetensors"),
                     std::vector<TensorInfo>{{"x", DType::F32, {2}}, {"y", DType::I8, {3}}}, generate);
  }
  std::string index(const std::string& json) const {
    const std::string path = dir.file("model.safetensors.index.json");
    mg::test::writeBytes(path, json);
    return path;
  }
};

// AddressSanitizer quarantines freed memory (256 MiB by default), which inflates peak RSS.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// A 16 MiB F32 tensor, value = 1000 × tensor number + (element % 4096): exact in float32.
constexpr std::int64_t kBigElements = 4 << 20;
float bigValue(int tensor, std::int64_t element) {
  return float(tensor * 1000 + element % 4096);
}
int bigNumber(const std::string& name) {
  return std::stoi(name.substr(name.rfind('.') + 1));
}

} // namespace

class ShardedSafetensorsTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void roundTripsThroughSeveralShards() {
    TempDir dir;
    const std::string folder = dir.file("out"); // created by the writer
    const std::vector<std::int64_t> sizes{100, 300, 50, 400, 10, 0, 250, 120, 90, 600};
    const std::vector<TensorInfo> infos = bytesTensors(sizes);
    const auto result = writeShardedSafetensors(folder, infos, generate, {{"merge", "ties"}}, 500);

    // Greedy in order: [100 300 50] [400 10 0] [250 120 90] [600].
    const std::vector<std::string> expectedFiles{
        "model-00001-of-00004.safetensors", "model-00002-of-00004.safetensors",
        "model-00003-of-00004.safetensors", "model-00004-of-00004.safetensors"};
    QCOMPARE(result.files, expectedFiles);
    QCOMPARE(result.totalBytes, std::uint64_t(1920));
    std::vector<std::string> listing = expectedFiles;
    listing.push_back("model.safetensors.index.json");
    QCOMPARE(mg::test::listFolder(folder), listing);

    const auto index = readJson(folder + "/model.safetensors.index.json");
    QCOMPARE(index["metadata"]["total_size"].get<std::uint64_t>(), std::uint64_t(1920));
    const auto& weightMap = index["weight_map"];
    QCOMPARE(weightMap.size(), infos.size());
    std::vector<std::string> keys;
    for (const auto& [key, value] : weightMap.items())
      keys.push_back(key);
    QVERIFY(std::is_sorted(keys.begin(), keys.end()));
    const int shardOf[] = {1, 1, 1, 2, 2, 2, 3, 3, 3, 4};
    for (std::size_t i = 0; i < infos.size(); ++i)
      QCOMPARE(weightMap[infos[i].name].get<std::string>(), expectedFiles[shardOf[i] - 1]);

    ShardedSafetensors sharded(folder + "/model.safetensors.index.json");
    QCOMPARE(sharded.kind(), SourceKind::ShardedSafetensors);
    QCOMPARE(sharded.shardCount(), std::size_t(4));
    QCOMPARE(sharded.tensors().size(), infos.size());
    for (const auto& info : infos) {
      QVERIFY(*sharded.find(info.name) == info);
      QVERIFY(sharded.load(info.name).bytes == generate(info).bytes);
    }
    QCOMPARE(sharded.metadata().at("merge"), std::string("ties"));
    QCOMPARE(sharded.metadata().at("format"), std::string("pt"));
    QVERIFY(!sharded.metadata().count("total_size"));
    MG_VERIFY_IO_ERROR(expectIoError([&] { sharded.load("t99"); }), sharded.path(), "no tensor named 't99'");
  }

  void oversizedTensorGetsItsOwnShard() {
    TempDir dir;
    // [40 40] [40] [200] [40]: the 200-byte tensor exceeds the budget alone, and shares with no one.
    const auto result =
        writeShardedSafetensors(dir.path(), bytesTensors({40, 40, 40, 200, 40}), generate, {}, 100);
    QCOMPARE(result.files.size(), std::size_t(4));
    const auto index = readJson(dir.file("model.safetensors.index.json"));
    const char* shardOf[] = {"model-00001-of-00004.safetensors", "model-00001-of-00004.safetensors",
                             "model-00002-of-00004.safetensors", "model-00003-of-00004.safetensors",
                             "model-00004-of-00004.safetensors"};
    for (int i = 0; i < 5; ++i)
      QCOMPARE(index["weight_map"]["t" + std::to_string(i)].get<std::string>(), std::string(shardOf[i]));
    // A shard filled exactly to the budget takes the tensor.
    TempDir exact;
    QCOMPARE(writeShardedSafetensors(exact.path(), bytesTensors({60, 40, 1}), generate, {}, 100).files.size(),
             std::size_t(2));
  }

  void everythingInOneShardWritesASingleFile() {
    TempDir dir;
    const auto infos = bytesTensors({10, 20, 30});
    const auto result = writeShardedSafetensors(dir.path(), infos, generate, {}, 60);
    QCOMPARE(result.files, std::vector<std::string>{"model.safetensors"});
    QCOMPARE(mg::test::listFolder(dir.path()), std::vector<std::string>{"model.safetensors"});
    SafetensorsFile f(dir.file("model.safetensors"));
    QCOMPARE(f.tensors().size(), std::size_t(3));
  }

  void aNewExportReplacesTheOldOne() {
    TempDir dir;
    mg::test::writeBytes(dir.file("notes.txt"), "keep me");
    mg::test::writeBytes(dir.file("other-00001-of-00002.safetensors"), "not ours");
    writeShardedSafetensors(dir.path(), bytesTensors({10, 10, 10}), generate, {}, 10); // 3 shards
    QCOMPARE(mg::test::listFolder(dir.path()).size(), std::size_t(6));

    writeShardedSafetensors(dir.path(), bytesTensors({10, 10}), generate, {}, 10); // 2 shards
    QCOMPARE(mg::test::listFolder(dir.path()),
             (std::vector<std::string>{"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                                       "model.safetensors.index.json", "notes.txt",
                                       "other-00001-of-00002.safetensors"}));
    QCOMPARE(ShardedSafetensors(dir.file("model.safetensors.index.json")).tensors().size(), std::size_t(2));

    writeShardedSafetensors(dir.path(), bytesTensors({10, 10}), generate, {}, 1000); // one file
    QCOMPARE(
        mg::test::listFolder(dir.path()),
        (std::vector<std::string>{"model.safetensors", "notes.txt", "other-00001-of-00002.safetensors"}));

    writeShardedSafetensors(dir.path(), bytesTensors({10, 10}), generate, {}, 10); // sharded again
    QCOMPARE(mg::test::listFolder(dir.path()),
             (std::vector<std::string>{"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                                       "model.safetensors.index.json", "notes.txt",
                                       "other-00001-of-00002.safetensors"}));
  }

  void failedExportLeavesNoShards() {
    TempDir dir;
    int produced = 0;
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, writeShardedSafetensors(
                                                     dir.path(), bytesTensors({10, 10, 10, 10}),
                                                     [&](const TensorInfo& info) {
                                                       if (++produced == 3)
                                                         throw std::runtime_error("cancelled");
                                                       return generate(info);
                                                     },
                                                     {}, 20));
    QVERIFY(mg::test::listFolder(dir.path()).empty());
  }

  void rejectsBadWriteArguments() {
    TempDir dir;
    MG_VERIFY_IO_ERROR(
        expectIoError([&] { writeShardedSafetensors(dir.path(), bytesTensors({1}), generate, {}, 0); }),
        dir.path(), "shard size limit must be positive");
    MG_VERIFY_IO_ERROR(expectIoError([&] {
                         writeShardedSafetensors(dir.path(), bytesTensors({1}), generate, {}, 10, "a/b");
                       }),
                       dir.path(), "invalid file name prefix 'a/b'");
    const std::vector<TensorInfo> twice{{"x", DType::U8, {1}}, {"x", DType::U8, {1}}};
    MG_VERIFY_IO_ERROR(expectIoError([&] { writeShardedSafetensors(dir.path(), twice, generate, {}, 1); }),
                       dir.path(), "tensor 'x' is listed twice");
    QVERIFY(mg::test::listFolder(dir.path()).empty());
  }

  void rejectsBadIndexes_data() {
    QTest::addColumn<QString>("index");
    QTest::addColumn<QString>("problem");
    const auto row = [](const char* name, const char* index, const char* problem) {
      QTest::newRow(name) << QString(index) << QString(problem);
    };
    row("parent folder", R"({"weight_map":{"x":"../a.safetensors"}})", "shard '../a.safetensors' uses '..'");
    row("parent inside", R"({"weight_map":{"x":"sub/../../a.safetensors"}})", "uses '..'");
    row("absolute", R"({"weight_map":{"x":"/etc/passwd"}})", "shard '/etc/passwd' is an absolute path");
    row("nul", R"({"weight_map":{"x":"a.safetensors\u0000.txt"}})", "contains a NUL character");
    row("empty name", R"({"weight_map":{"x":""}})", "weight_map names an empty shard file");
    row("missing shard", R"({"weight_map":{"x":"c.safetensors"}})", "shard 'c.safetensors' is missing");
    row("tensor not in its shard",
        R"({"weight_map":{"x":"a.safetensors","z":"a.safetensors","y":"a.safetensors"}})",
        "tensor 'y' is not in its shard 'a.safetensors'");
    row("tensor in two shards",
        R"({"weight_map":{"x":"a.safetensors","z":"a.safetensors","y":"b.safetensors"}})",
        "tensor 'x' is present in two shards: 'a.safetensors' and 'b.safetensors'");
    row("unlisted shard tensor", R"({"weight_map":{"x":"a.safetensors"}})",
        "shard 'a.safetensors' holds tensor 'z', which the weight_map does not list");
    row("duplicate weight_map key", R"({"weight_map":{"x":"a.safetensors","x":"b.safetensors"}})",
        "index has a duplicate key 'x'");
    row("no weight_map", R"({"metadata":{"total_size":3}})", "index has no weight_map object");
    row("weight_map not object", R"({"weight_map":["a.safetensors"]})", "index has no weight_map object");
    row("shard not a string", R"({"weight_map":{"x":1}})", "weight_map entry for 'x' is not a file name");
    row("metadata not object", R"({"metadata":1,"weight_map":{}})", "index metadata is not a JSON object");
    row("not json", R"({"weight_map":)", "index is not valid JSON");
    row("not an object", R"([])", "index is not a JSON object");
  }

  void rejectsBadIndexes() {
    QFETCH(QString, index);
    QFETCH(QString, problem);
    ShardFolder shards;
    const std::string path = shards.index(index.toStdString());
    MG_VERIFY_IO_ERROR(expectIoError([&] { ShardedSafetensors s(path); }), path, problem.toStdString());
  }

  void symlinksMustStayInTheFolder() {
    ShardFolder shards;
    TempDir outside;
    writeSafetensors(outside.file("evil.safetensors"), std::vector<TensorInfo>{{"x", DType::F32, {2}}},
                     generate);
    fs::create_symlink(outside.file("evil.safetensors"), shards.dir.file("link.safetensors"));
    const std::string path = shards.index(R"({"weight_map":{"x":"link.safetensors"}})");
    MG_VERIFY_IO_ERROR(expectIoError([&] { ShardedSafetensors s(path); }), path,
                       "shard 'link.safetensors' resolves outside the folder");

    // A folder symlink leading out is caught the same way.
    fs::create_directory_symlink(outside.path(), shards.dir.file("sub"));
    const std::string viaFolder = shards.index(R"({"weight_map":{"x":"sub/evil.safetensors"}})");
    MG_VERIFY_IO_ERROR(expectIoError([&] { ShardedSafetensors s(viaFolder); }), viaFolder,
                       "resolves outside the folder");

    // A link to a shard inside the folder is fine.
    fs::create_symlink("a.safetensors", shards.dir.file("alias.safetensors"));
    const std::string inside =
        shards.index(R"({"weight_map":{"x":"alias.safetensors","z":"alias.safetensors"}})");
    QCOMPARE(ShardedSafetensors(inside).tensors().size(), std::size_t(2));
  }

  void parsesByteSizes() {
    QCOMPARE(parseByteSize("5GB"), std::uint64_t(5'000'000'000));
    QCOMPARE(parseByteSize("500MB"), std::uint64_t(500'000'000));
    QCOMPARE(parseByteSize("1.5GiB"), std::uint64_t(1'610'612'736));
    QCOMPARE(parseByteSize("123"), std::uint64_t(123));
    QCOMPARE(parseByteSize("64KB"), std::uint64_t(64'000));
    QCOMPARE(parseByteSize("1KiB"), std::uint64_t(1024));
    QCOMPARE(parseByteSize(" 2 mb "), std::uint64_t(2'000'000));
    QCOMPARE(parseByteSize("0.5kb"), std::uint64_t(500));
    QCOMPARE(parseByteSize("10B"), std::uint64_t(10));
    QCOMPARE(parseByteSize("2TiB"), std::uint64_t(2ULL << 40));
    QCOMPARE(parseByteSize(".5MiB"), std::uint64_t(1 << 19));
    QCOMPARE(parseByteSize("18446744073709551615"), UINT64_MAX);
    for (const char* junk : {"", " ", "GB", "5XB", "-5GB", "5 G B", "1e3", "abc", "5GBs", "1.2.3", "5G",
                             "5iB", "18446744073709551616", "20000PB", "0x10", "5,5GB", "."})
      QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseByteSize(junk));
  }

  // 1 GiB in 64 tensors of 16 MiB, 256 MiB shards: writing streams one tensor at a time and opening
  // reads headers only, so neither comes near the model's size in resident memory.
  void gigabyteModelStaysSmallInMemory() {
    TempDir dir;
    std::vector<TensorInfo> infos;
    for (int i = 0; i < 64; ++i)
      infos.push_back({"layers." + std::to_string(i), DType::F32, {kBigElements}});
    const auto produce = [](const TensorInfo& info) {
      TensorData t;
      t.info = info;
      t.bytes.resize(info.nbytes());
      const int n = bigNumber(info.name);
      float pattern[4096];
      for (int j = 0; j < 4096; ++j)
        pattern[j] = bigValue(n, j);
      for (std::size_t at = 0; at < t.bytes.size(); at += sizeof pattern)
        std::memcpy(t.bytes.data() + at, pattern, sizeof pattern);
      return t;
    };

    const auto start = std::chrono::steady_clock::now();
    const bool canReset = mg::test::resetPeakRss();
    std::uint64_t base = canReset ? mg::test::currentRssBytes() : mg::test::peakRssBytes();
    const auto result = writeShardedSafetensors(dir.path(), infos, produce, {}, 256ULL << 20);
    std::uint64_t growth = mg::test::peakRssBytes() - std::min(base, mg::test::peakRssBytes());
    QCOMPARE(result.files.size(), std::size_t(4));
    QCOMPARE(result.totalBytes, std::uint64_t(1) << 30);
    QVERIFY2(kSanitized || growth < 200ULL << 20,
             qPrintable(QString("writing grew peak RSS by %1 MiB").arg(growth >> 20)));
    qInfo("write: peak RSS +%llu MiB", static_cast<unsigned long long>(growth >> 20));

    mg::test::resetPeakRss();
    base = canReset ? mg::test::currentRssBytes() : mg::test::peakRssBytes();
    ShardedSafetensors model(dir.file("model.safetensors.index.json"));
    growth = mg::test::peakRssBytes() - std::min(base, mg::test::peakRssBytes());
    QCOMPARE(model.tensors().size(), std::size_t(64));
    QVERIFY2(growth < 32ULL << 20, qPrintable(QString("opening grew peak RSS by %1 MiB").arg(growth >> 20)));
    qInfo("open: peak RSS +%llu MiB", static_cast<unsigned long long>(growth >> 20));

    QCOMPARE(
        readJson(dir.file("model.safetensors.index.json"))["metadata"]["total_size"].get<std::uint64_t>(),
        std::uint64_t(1) << 30);
    for (const char* name : {"layers.5", "layers.63"}) {
      const std::vector<float> values = model.loadFloat32(name);
      QCOMPARE(values.size(), std::size_t(kBigElements));
      const int n = bigNumber(name);
      for (std::int64_t j : {std::int64_t(0), std::int64_t(1), std::int64_t(4095), std::int64_t(4096),
                             std::int64_t(123457), kBigElements - 1})
        QCOMPARE(values[j], bigValue(n, j));
    }
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    qInfo("1 GiB write + open + 2 loads: %.1f s", seconds);
  }
};

MG_TEST_APPLESS_MAIN(ShardedSafetensorsTest)
#include "test_sharded_safetensors.moc"
