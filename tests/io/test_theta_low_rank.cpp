// A fine-tune's low-rank update stored as factors plus exact corrections: a LoRA adapter merged as PEFT
// merges it (W + s·B·A in float32, rounded to the checkpoint's dtype) is rebuilt bit for bit from factors a
// small fraction of the tensor's size; a full-rank change is not factored; a tolerance leaves out the
// corrections within it and no more.
#include "support/test_registry.h"
#include <QtTest>

#include <chrono>
#include <cstring>
#include <cmath>
#include <random>

#include "io/dtype.h"
#include "io/io_error.h"
#include "support/temp_dir.h"
#include "theta/object_store.h"
#include "theta/low_rank_update.h"

using namespace mg;

namespace {

constexpr std::size_t kRows = 192, kCols = 320, kLoraRank = 8;

std::vector<float> normal(std::size_t n, float scale, unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<float> draw(0.0f, scale);
  std::vector<float> values(n);
  for (float& v : values)
    v = draw(random);
  return values;
}

std::vector<std::byte> inDtype(io::DType dtype, const std::vector<float>& values) {
  std::vector<std::byte> bytes(values.size() * io::dtypeSize(dtype));
  io::convertFromFloat32(dtype, values.data(), values.size(), bytes.data());
  return bytes;
}

std::vector<float> asFloats(io::DType dtype, const std::vector<std::byte>& bytes) {
  std::vector<float> values(bytes.size() / io::dtypeSize(dtype));
  io::convertToFloat32(dtype, bytes.data(), values.size(), values.data());
  return values;
}

// W + s·B·A as PEFT's merge computes it: the product in float32 (summed over the rank in order), scaled,
// rounded to the dtype, then added in float32 and rounded again.
std::vector<std::byte> mergedLora(io::DType dtype, const std::vector<std::byte>& base, float deltaScale,
                                  unsigned seed) {
  const std::vector<float> b = normal(kRows * kLoraRank, 1.0f, seed),
                           a = normal(kLoraRank * kCols, 1.0f, seed + 1);
  const float scaling = 2.0f; // lora_alpha / r
  std::vector<float> delta(kRows * kCols);
  for (std::size_t i = 0; i < kRows; ++i)
    for (std::size_t j = 0; j < kCols; ++j) {
      float sum = 0;
      for (std::size_t k = 0; k < kLoraRank; ++k)
        sum += b[i * kLoraRank + k] * a[k * kCols + j];
      delta[i * kCols + j] = sum * scaling * deltaScale;
    }
  const std::vector<float> roundedDelta = asFloats(dtype, inDtype(dtype, delta)),
                           weights = asFloats(dtype, base);
  std::vector<float> merged(weights.size());
  for (std::size_t e = 0; e < merged.size(); ++e)
    merged[e] = weights[e] + roundedDelta[e];
  return inDtype(dtype, merged);
}

std::vector<std::byte> rebuilt(io::DType dtype, const std::vector<std::byte>& base,
                               const theta::LowRankUpdate& update) {
  std::vector<std::byte> out(base.size());
  theta::applyLowRankUpdate(dtype, base.data(), update, out.data());
  return out;
}

} // namespace

class ThetaLowRankTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aMergedLoraIsRebuiltBitForBit_data() {
    QTest::addColumn<int>("dtype");
    QTest::addColumn<float>("deltaScale"); // beside weights of scale 0.05
    QTest::newRow("F32") << int(io::DType::F32) << 2e-4f;
    QTest::newRow("F16") << int(io::DType::F16) << 2e-4f;
    // bfloat16 keeps 8 bits: an update far below the weights' rounding step is mostly lost in it, so the
    // row uses one of the weights' own size.
    QTest::newRow("BF16") << int(io::DType::BF16) << 5e-3f;
  }
  void aMergedLoraIsRebuiltBitForBit() {
    QFETCH(int, dtype);
    QFETCH(float, deltaScale);
    const auto type = io::DType(dtype);
    const std::vector<std::byte> base = inDtype(type, normal(kRows * kCols, 0.05f, 1));
    const std::vector<std::byte> target = mergedLora(type, base, deltaScale, 2);
    QVERIFY(base != target);
    const auto update =
        theta::findLowRankUpdate(type, base.data(), target.data(), kRows, kCols, 0, target.size());
    QVERIFY(update.has_value());
    qInfo("rank %zu, %zu corrections of %zu elements, %zu of %zu bytes", update->rank,
          update->corrected.size(), kRows * kCols, update->storedBytes(), target.size());
    QVERIFY2(update->rank >= kLoraRank && update->rank <= 2 * kLoraRank,
             qPrintable(QString::number(update->rank)));
    // The factors of so small a matrix are already 7% of an F32 one (13% of a 16-bit one); a model's layers
    // are far larger beside their factors.
    QVERIFY(update->storedBytes() < target.size() / 2);
    QVERIFY(rebuilt(type, base, *update) == target);
  }

  // A change of full rank (noise on every weight): no factors pay, and the quick look says so early.
  void aFullRankChangeIsNotFactored() {
    const std::vector<std::byte> base = inDtype(io::DType::F32, normal(kRows * kCols, 0.05f, 3));
    std::vector<float> changed = asFloats(io::DType::F32, base);
    const std::vector<float> noise = normal(changed.size(), 1e-3f, 4);
    for (std::size_t e = 0; e < changed.size(); ++e)
      changed[e] += noise[e];
    const std::vector<std::byte> target = inDtype(io::DType::F32, changed);
    QVERIFY(!theta::findLowRankUpdate(io::DType::F32, base.data(), target.data(), kRows, kCols, 0,
                                      target.size()));
  }

  void aToleranceLeavesOutOnlyTheCorrectionsWithinIt() {
    const auto type = io::DType::F32;
    const std::vector<std::byte> base = inDtype(type, normal(kRows * kCols, 0.05f, 5));
    const std::vector<std::byte> target = mergedLora(type, base, 2e-4f, 6);
    const auto exact =
        theta::findLowRankUpdate(type, base.data(), target.data(), kRows, kCols, 0, target.size());
    const double tolerance = 1e-7;
    const auto close =
        theta::findLowRankUpdate(type, base.data(), target.data(), kRows, kCols, tolerance, target.size());
    QVERIFY(exact && close);
    QVERIFY2(exact->corrected.size() > 0, "the exact update needs corrections: the test's premise");
    QVERIFY(close->corrected.size() < exact->corrected.size());
    const std::vector<float> got = asFloats(type, rebuilt(type, base, *close)), want = asFloats(type, target);
    double worst = 0;
    for (std::size_t e = 0; e < got.size(); ++e)
      worst = std::max(worst, std::abs(double(got[e]) - double(want[e])));
    QVERIFY2(worst <= tolerance, qPrintable(QString::number(worst)));
  }

  // A .lowrank object comes from whoever made the repository (or a remote): any damage to it is a one-line
  // error naming the object file, never a crash or a wrong tensor.
  void aDamagedLowRankObjectIsAnErrorNeverACrash_data() {
    QTest::addColumn<QString>("damage");
    for (const char* row : {"truncated header", "one byte short", "huge rank", "packed size off by one",
                            "residuals flipped", "factor flipped", "missing base", "magic"})
      QTest::newRow(row) << row;
  }
  void aDamagedLowRankObjectIsAnErrorNeverACrash() {
    QFETCH(QString, damage);
    test::TempDir dir;
    theta::ObjectStore store(dir.file("theta"));
    const std::vector<std::int64_t> shape{std::int64_t(kRows), std::int64_t(kCols)};
    const std::vector<std::byte> base = inDtype(io::DType::F32, normal(kRows * kCols, 0.05f, 7));
    const std::vector<std::byte> target = mergedLora(io::DType::F32, base, 2e-4f, 8);
    const theta::StoredTensor before{"F32", shape, store.put("F32", shape, base.data(), base.size())};
    const theta::StoredTensor after{"F32", shape,
                                    store.put("F32", shape, target.data(), target.size(), &before)};
    const auto file = store.objectFile(after.id);
    QVERIFY(file && file->suffix == ".lowrank");
    QVERIFY(store.get(after) == target);

    std::string bytes = test::readBytes(file->path);
    const auto setU64 = [&](std::size_t offset, std::uint64_t value) {
      std::memcpy(bytes.data() + offset, &value, sizeof value);
    };
    std::uint64_t rank, packed;
    std::memcpy(&rank, bytes.data() + 64, 8);
    std::memcpy(&packed, bytes.data() + 72, 8);
    const std::size_t residualsAt = 88 + rank * (kRows + kCols) * 4;
    if (damage == "truncated header") bytes.resize(60);
    if (damage == "one byte short") bytes.pop_back();
    if (damage == "huge rank") setU64(64, std::uint64_t(1) << 40);
    if (damage == "packed size off by one") setU64(72, packed + 1);
    if (damage == "residuals flipped") bytes[residualsAt + packed / 2] ^= 0x5a;
    if (damage == "factor flipped") bytes[100] ^= 0x40;
    if (damage == "missing base") bytes.replace(8, 32, std::string(32, 'e'));
    if (damage == "magic") bytes[5] = 'X';
    test::writeBytes(file->path, bytes);
    try {
      store.get(after);
      QFAIL("a damaged object was read");
    } catch (const io::IoError& error) {
      QVERIFY2(QString(error.what()).contains("theta object"), error.what());
    }
  }

  void integersAndVectorsAreNotFactored() {
    const std::vector<std::byte> a(kRows * kCols * 4, std::byte{1}), b(kRows * kCols * 4, std::byte{2});
    QVERIFY(!theta::findLowRankUpdate(io::DType::I32, a.data(), b.data(), kRows, kCols, 0, a.size()));
    QVERIFY(!theta::findLowRankUpdate(io::DType::F32, a.data(), b.data(), 1, kRows * kCols, 0, a.size()));
  }
};

MG_TEST_MAIN(ThetaLowRankTest)
#include "test_theta_low_rank.moc"
