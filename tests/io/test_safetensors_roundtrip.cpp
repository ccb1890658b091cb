// Safetensors writing and reading back: every dtype byte for byte, metadata, header layout,
// unaligned data, and atomicity (mismatched or failing producers, overwrites, a killed writer).
#include "support/test_registry.h"
#include <QtTest>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/io_error.h"
#include "support/io_fixtures.h"
#include "io/safetensors_file.h"
#include "io/safetensors_writer.h"
#include "safetensors_craft.h"
#include "support/temp_dir.h"

using namespace mg::io;
using mg::test::infosOf;
using mg::test::TempDir;

namespace {

constexpr int kDTypeCount = static_cast<int>(DType::F8_E5M2) + 1;

// A tensor whose bytes are a pattern particular to its name (any bit pattern is fine: bytes are
// compared, not values).
TensorData patterned(const std::string& name, DType dtype, std::vector<std::int64_t> shape, int seed) {
  TensorData t;
  t.info = TensorInfo{name, dtype, std::move(shape)};
  t.bytes.resize(t.info.nbytes());
  for (std::size_t i = 0; i < t.bytes.size(); ++i)
    t.bytes[i] = std::byte(static_cast<unsigned char>(i * 37 + seed));
  return t;
}

std::uint64_t headerLength(const std::string& path) {
  const std::string bytes = mg::test::readBytes(path);
  std::uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  return n;
}

std::string headerText(const std::string& path) {
  return mg::test::readBytes(path).substr(8, headerLength(path));
}

} // namespace

class SafetensorsRoundTripTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void everyDtypeAndShapeRoundTrips() {
    TempDir dir;
    const std::string path = dir.file("all.safetensors");
    std::vector<TensorData> tensors;
    for (int i = 0; i < kDTypeCount; ++i) {
      const auto t = static_cast<DType>(i);
      tensors.push_back(patterned("t_" + std::string(dtypeName(t)), t, {3, 5}, i));
    }
    tensors.push_back(patterned("scalar", DType::F32, {}, 1));
    tensors.push_back(patterned("empty", DType::F16, {0, 4}, 2));
    tensors.push_back(patterned("empty3d", DType::I64, {2, 0, 3}, 3));
    tensors.push_back(patterned("vector", DType::BF16, {7}, 4));
    writeSafetensors(path, tensors, {{"note", "hello"}, {"format", "tf"}});

    for (int pass = 0; pass < 2; ++pass) { // a second open proves the file is left readable
      SafetensorsFile f(path);
      QCOMPARE(f.tensors().size(), tensors.size());
      QVERIFY(std::is_sorted(f.tensors().begin(), f.tensors().end(),
                             [](const TensorInfo& a, const TensorInfo& b) { return a.name < b.name; }));
      for (const auto& t : tensors) {
        const TensorInfo* info = f.find(t.info.name);
        QVERIFY(info);
        QVERIFY(*info == t.info);
        const TensorData back = f.load(t.info.name);
        QVERIFY(back.info == t.info);
        QVERIFY(back.bytes == t.bytes);
      }
      // Caller metadata is kept; "format" is always "pt", whatever the caller asked.
      const std::map<std::string, std::string> expected{{"note", "hello"}, {"format", "pt"}};
      QCOMPARE(f.metadata(), expected);
      QCOMPARE(f.fileSize(), std::uint64_t(std::filesystem::file_size(path)));
    }
    QCOMPARE(headerLength(path) % 8, std::uint64_t(0));
  }

  void tensorsKeepTheGivenOrderInTheFile() {
    TempDir dir;
    const std::string path = dir.file("order.safetensors");
    writeSafetensors(path, {patterned("zeta", DType::U8, {2}, 1), patterned("alpha", DType::U8, {3}, 2),
                            patterned("mid", DType::U8, {1}, 3)});
    const std::string header = headerText(path);
    const auto zeta = header.find("\"zeta\""), alpha = header.find("\"alpha\""), mid = header.find("\"mid\"");
    QVERIFY(zeta < alpha && alpha < mid);
    QVERIFY(header.find("\"data_offsets\":[0,2]") < alpha);
    QVERIFY(header.find("\"format\":\"pt\"") != std::string::npos);
    // The data buffer holds zeta, alpha, mid back to back.
    const std::string bytes = mg::test::readBytes(path);
    const std::string data = bytes.substr(8 + headerLength(path));
    QCOMPARE(data.size(), std::size_t(6));
    QCOMPARE(static_cast<unsigned char>(data[2]), static_cast<unsigned char>(0 * 37 + 2));
  }

  void emptyFileHasOnlyMetadata() {
    TempDir dir;
    const std::string path = dir.file("empty.safetensors");
    writeSafetensors(path, std::vector<TensorData>{});
    SafetensorsFile f(path);
    QVERIFY(f.tensors().empty());
    QCOMPARE(f.metadata().at("format"), std::string("pt"));
    QCOMPARE(headerLength(path) % 8, std::uint64_t(0));
  }

  void unalignedTensorsLoadCorrectly() {
    TempDir dir;
    const std::string path = dir.file("unaligned.safetensors");
    const std::vector<float> floats{1.5f, -2.0f, 3.25f};
    const double doubles[] = {-1.0 / 3.0, 1e300};
    TensorData d;
    d.info = {"c_f64", DType::F64, {2}};
    d.bytes.resize(16);
    std::memcpy(d.bytes.data(), doubles, 16);
    // One byte first: the F32 data then starts at an odd file offset, and the F64 after it too.
    writeSafetensors(path, {TensorData{{"a_u8", DType::U8, {1}}, {std::byte(7)}},
                            TensorData::fromFloat32("b_f32", {3}, floats), d});
    const std::uint64_t dataStart = 8 + headerLength(path);
    QCOMPARE(dataStart % 8, std::uint64_t(0));

    SafetensorsFile f(path);
    QCOMPARE(f.loadFloat32("b_f32"), floats);
    const TensorData back = f.load("c_f64");
    double got[2];
    std::memcpy(got, back.bytes.data(), 16);
    QCOMPARE(got[0], doubles[0]);
    QCOMPARE(got[1], doubles[1]);
    QCOMPARE(f.loadFloat32("a_u8"), std::vector<float>{7.0f});
  }

  void reducedPrecisionWidensToFloat32() {
    TempDir dir;
    const std::string path = dir.file("lowp.safetensors");
    const std::vector<float> values{0.0f, 1.0f, -2.0f, 0.5f, 1.5f, -0.25f}; // exact in every format
    const DType types[] = {DType::BF16, DType::F16, DType::F8_E4M3, DType::F8_E5M2};
    std::vector<TensorData> tensors;
    for (DType t : types)
      tensors.push_back(TensorData::fromFloat32(std::string(dtypeName(t)), {2, 3}, values, t));
    writeSafetensors(path, tensors);
    SafetensorsFile f(path);
    for (DType t : types) {
      QCOMPARE(f.find(std::string(dtypeName(t)))->dtype, t);
      QCOMPARE(f.loadFloat32(std::string(dtypeName(t))), values);
    }
  }

  void missingTensorNamesTheFile() {
    TempDir dir;
    const std::string path = dir.file("one.safetensors");
    writeSafetensors(path, {patterned("x", DType::U8, {1}, 0)});
    SafetensorsFile f(path);
    const IoError e = mg::test::expectIoError([&] { f.load("nope"); });
    MG_VERIFY_IO_ERROR(e, path, "no tensor named 'nope'");
  }

  void concurrentLoadsAgree() {
    TempDir dir;
    const std::string path = dir.file("threads.safetensors");
    std::vector<TensorData> tensors;
    for (int i = 0; i < 16; ++i)
      tensors.push_back(patterned("t" + std::to_string(i), DType::F32, {300 * (i + 1) + i}, i));
    writeSafetensors(path, tensors);
    const SafetensorsFile f(path);
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int th = 0; th < 4; ++th)
      threads.emplace_back([&, th] {
        for (int round = 0; round < 20; ++round)
          for (std::size_t i = 0; i < tensors.size(); ++i) {
            const auto& t = tensors[(i + th * 5) % tensors.size()];
            if (f.load(t.info.name).bytes != t.bytes) ++mismatches;
          }
      });
    for (auto& t : threads)
      t.join();
    QCOMPARE(mismatches.load(), 0);
  }

  void writerRejectsBadTensorLists() {
    TempDir dir;
    const std::string path = dir.file("bad.safetensors");
    const auto noProducer = [](const TensorInfo&) -> TensorData { throw std::logic_error("not called"); };
    const std::vector<std::pair<std::vector<TensorInfo>, std::string>> cases{
        {{{"a", DType::F32, {1}}, {"a", DType::F32, {2}}}, "tensor 'a' is listed twice"},
        {{{"__metadata__", DType::F32, {1}}}, "'__metadata__' cannot name a tensor"},
        {{{"neg", DType::F32, {-1}}}, "tensor 'neg' has an invalid shape [-1]"},
        {{{"huge", DType::F64, {INT64_MAX, INT64_MAX}}}, "tensor 'huge' has an invalid shape"},
        {{{"bad\xff", DType::U8, {1}}}, "is not valid UTF-8"},
    };
    for (const auto& [infos, fragment] : cases) {
      const IoError e = mg::test::expectIoError([&] { writeSafetensors(path, infos, noProducer); });
      MG_VERIFY_IO_ERROR(e, path, fragment);
    }
    QVERIFY(mg::test::listFolder(dir.path()).empty());
  }

  void producerMismatchLeavesNothing() {
    TempDir dir;
    const std::string path = dir.file("mismatch.safetensors");
    const std::vector<TensorInfo> infos{{"ok", DType::F32, {2}}, {"bad", DType::F32, {2, 2}}};
    const std::vector<std::pair<TensorData, std::string>> wrong{
        {patterned("bad", DType::F16, {2, 2}, 0), "produced as F16 [2, 2]"},
        {patterned("bad", DType::F32, {4}, 0), "produced as F32 [4]"},
        {TensorData{{"bad", DType::F32, {2, 2}}, TensorBytes(15)},
         "produced as F32 [2, 2] with 15 bytes, expected F32 [2, 2] with 16"},
    };
    for (const auto& [bad, fragment] : wrong) {
      const IoError e = mg::test::expectIoError([&] {
        writeSafetensors(path, infos, [&](const TensorInfo& info) {
          return info.name == "ok" ? patterned("ok", DType::F32, {2}, 1) : bad;
        });
      });
      MG_VERIFY_IO_ERROR(e, path, "tensor 'bad' was " + fragment);
      QVERIFY(mg::test::listFolder(dir.path()).empty()); // neither the destination nor a temporary
    }
  }

  void throwingProducerLeavesNothing() {
    TempDir dir;
    const std::string path = dir.file("interrupted.safetensors");
    std::vector<TensorInfo> infos;
    for (int i = 0; i < 5; ++i)
      infos.push_back({"t" + std::to_string(i), DType::F32, {1000}});
    int produced = 0;
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, writeSafetensors(path, infos, [&](const TensorInfo& info) {
                               if (++produced == 3) throw std::runtime_error("cancelled");
                               return patterned(info.name, info.dtype, info.shape, produced);
                             }));
    QCOMPARE(produced, 3);
    QVERIFY(mg::test::listFolder(dir.path()).empty());
  }

  void interruptedOverwriteKeepsTheOldFile() {
    TempDir dir;
    const std::string path = dir.file("model.safetensors");
    const std::vector<TensorData> old{patterned("w", DType::BF16, {64}, 9)};
    writeSafetensors(path, old, {{"version", "1"}});
    const std::string before = mg::test::readBytes(path);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                             writeSafetensors(path, infosOf(old), [](const TensorInfo&) -> TensorData {
                               throw std::runtime_error("disk on fire");
                             }));
    QCOMPARE(mg::test::readBytes(path), before);
    QCOMPARE(mg::test::listFolder(dir.path()), std::vector<std::string>{"model.safetensors"});
    QCOMPARE(SafetensorsFile(path).metadata().at("version"), std::string("1"));
  }

  void killedWriterLeavesNoDestination() {
    TempDir dir;
    const std::string path = dir.file("big.safetensors");
    const std::string tempPrefix = ".big.safetensors.tmp-";
    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0) {
      // A slow export: 400 tensors of 256 KiB, 20 ms each, far longer than the parent waits.
      std::vector<TensorInfo> infos;
      for (int i = 0; i < 400; ++i)
        infos.push_back({"t" + std::to_string(i), DType::U8, {256 * 1024}});
      try {
        writeSafetensors(path, infos, [](const TensorInfo& info) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          return TensorData{info, TensorBytes(info.nbytes(), std::byte(1))};
        });
      } catch (...) {
      }
      ::_exit(0);
    }
    // Kill the child once its temporary file holds a few tensors.
    bool midWrite = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!midWrite && std::chrono::steady_clock::now() < deadline) {
      for (const auto& name : mg::test::listFolder(dir.path())) {
        std::error_code ec;
        if (name.rfind(tempPrefix, 0) == 0 && std::filesystem::file_size(dir.file(name), ec) > (1u << 20))
          midWrite = true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::kill(child, SIGKILL);
    int status = 0;
    QCOMPARE(::waitpid(child, &status, 0), child);
    QVERIFY(midWrite);
    QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    QVERIFY(!std::filesystem::exists(path)); // the temporary may remain; the destination never appears
  }
};

MG_TEST_APPLESS_MAIN(SafetensorsRoundTripTest)
#include "test_safetensors_roundtrip.moc"
