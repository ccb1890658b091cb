// Large tensor blocks (util/large_blocks, tensor/tensor_memory): reused inside a scope, bounded by the peak
// live memory, unmapped when the last scope ends, and never leaking one tensor's values into another.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <cstring>

#include "io/safetensors_file.h"
#include "io/safetensors_writer.h"
#include "support/temp_dir.h"
#include "tensor/tensor_memory.h"
#include "tensor/torch_convert.h"
#include "util/large_blocks.h"

using namespace mg;

namespace {

constexpr std::size_t kMiB = std::size_t(1) << 20;

bool withinPeak() {
  const auto s = util::largeBlockStats();
  return s.liveBytes + s.cachedBytes <= s.peakBytes;
}

} // namespace

class LargeBlocksTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void reusedOnlyInsideAScope() {
    void* outside = util::allocateLarge(8 * kMiB);
    QVERIFY(util::releaseLarge(outside));
    QCOMPARE(util::largeBlockStats().cachedBytes, std::uint64_t(0)); // unmapped at once

    util::LargeBlockReuse scope;
    void* first = util::allocateLarge(8 * kMiB);
    std::memset(first, 0x5a, 8 * kMiB);
    util::releaseLarge(first);
    const auto reusedBefore = util::largeBlockStats().reused;
    void* second = util::allocateLarge(8 * kMiB);
    QCOMPARE(second, first);
    QCOMPARE(util::largeBlockStats().reused, reusedBefore + 1);
    util::releaseLarge(second);
  }

  void aBlockHoldsItsPagesNotWholeHugePages() {
    // A batch's activation of 3 MiB once took a 4 MiB block (whole 2 MiB pages), a third more resident
    // memory; the tail beyond the last whole huge page is small pages now.
    const auto before = util::largeBlockStats().liveBytes;
    void* block = util::allocateLarge(3 * kMiB + 100);
    QCOMPARE(util::largeBlockStats().liveBytes - before, std::uint64_t(3 * kMiB + 4096));
    QCOMPARE(reinterpret_cast<std::uintptr_t>(block) % (2 * kMiB), std::uintptr_t(0)); // huge page aligned
    std::memset(block, 1, 3 * kMiB + 100);
    util::releaseLarge(block);
  }

  void lastScopeUnmapsTheCache() {
    {
      util::LargeBlockReuse outer;
      {
        util::LargeBlockReuse inner;
        util::releaseLarge(util::allocateLarge(4 * kMiB));
      }
      QVERIFY(util::largeBlockStats().cachedBytes > 0); // the outer scope still keeps it
    }
    QCOMPARE(util::largeBlockStats().cachedBytes, std::uint64_t(0));
  }

  void cacheNeverTakesMemoryAboveThePeak() {
    util::LargeBlockReuse scope;
    void* a = util::allocateLarge(6 * kMiB);
    void* b = util::allocateLarge(6 * kMiB);
    util::releaseLarge(a);
    util::releaseLarge(b);
    QVERIFY(withinPeak());
    // Sizes the cache cannot serve: its blocks are given back before new ones are mapped.
    std::vector<void*> held;
    for (std::size_t mib : {10, 3, 14, 10, 22, 3}) {
      held.push_back(util::allocateLarge(mib * kMiB));
      QVERIFY(withinPeak());
      if (held.size() % 2 == 0) {
        util::releaseLarge(held.front());
        held.erase(held.begin());
        QVERIFY(withinPeak());
      }
    }
    for (void* p : held)
      util::releaseLarge(p);
    QVERIFY(withinPeak());
  }

  void foreignPointersAreNotReleased() {
    int local = 0;
    QVERIFY(!util::releaseLarge(&local));
    QVERIFY(!util::releaseLarge(nullptr));
  }

  void reusedTensorMemoryStartsClean() {
    const tensor::TensorMemoryReuse scope;
    const std::int64_t n = 2 * 1024 * 1024; // 8 MiB of float32
    const void* old = nullptr;
    {
      const auto dirty = at::empty({n}, at::kFloat).fill_(7.0f);
      old = dirty.data_ptr();
    }
    const auto zeros = at::zeros({n}, at::kFloat);
    QCOMPARE(static_cast<const void*>(zeros.data_ptr()), old);             // the same block, served again...
    QCOMPARE(zeros.count_nonzero().item<std::int64_t>(), std::int64_t(0)); // ...and zero-filled as asked
    const auto sum = at::ones({n}, at::kFloat) + at::full({n}, 2.0f);
    QVERIFY(at::equal(sum, at::full({n}, 3.0f)));
  }

  void reusedBytesHoldOnlyTheNextTensor() {
    test::TempDir dir;
    const std::int64_t n = 1024 * 1024; // 4 MiB each
    const auto a = at::arange(n, at::kFloat);
    const auto b = at::full({n}, -1.5f);
    io::writeSafetensors(dir.file("w.safetensors"), {tensor::fromTorch(a, "a", io::DType::F32),
                                                     tensor::fromTorch(b, "b", io::DType::F32)});
    const io::SafetensorsFile file(dir.file("w.safetensors"));
    const util::LargeBlockReuse scope;
    const void* first = nullptr;
    {
      const auto loaded = file.load("a");
      first = loaded.bytes.data();
    }
    const auto loaded = file.load("b");
    QCOMPARE(static_cast<const void*>(loaded.bytes.data()), first);
    QVERIFY(at::equal(tensor::toTorchFloat32(loaded), b));
    io::TensorBytes zeros(4 * kMiB, std::byte{0}); // an explicit value is written even into a reused block
    QVERIFY(std::all_of(zeros.begin(), zeros.end(), [](std::byte v) { return v == std::byte{0}; }));
  }

  void countNonFiniteMatchesIsfinite() {
    auto t = at::randn({1000});
    t[3] = std::numeric_limits<float>::infinity();
    t[500] = -std::numeric_limits<float>::infinity();
    t[999] = std::numeric_limits<float>::quiet_NaN();
    t[10] = std::numeric_limits<float>::max();
    QCOMPARE(tensor::countNonFinite(t), std::uint64_t(3));
    QCOMPARE(tensor::countNonFinite(t.view({10, 100}).t()), std::uint64_t(3)); // not contiguous
  }
};

MG_TEST_APPLESS_MAIN(LargeBlocksTest)
#include "test_large_blocks.moc"
