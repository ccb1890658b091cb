// Dtype names, sizes and float conversions (F16/BF16/F8 round trips, rounding, specials).
#include "support/test_registry.h"
#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>

#include "io/dtype.h"

using namespace mg::io;

class DTypeTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void namesRoundTrip() {
    for (int i = 0; i <= static_cast<int>(DType::F8_E5M2); ++i) {
      const auto t = static_cast<DType>(i);
      QCOMPARE(dtypeFromName(dtypeName(t)), std::optional<DType>(t));
    }
    QVERIFY(!dtypeFromName("f32")); // names are case-sensitive
    QVERIFY(!dtypeFromName("F8"));
    QCOMPARE(dtypeSize(DType::BF16), std::size_t(2));
    QCOMPARE(dtypeSize(DType::U64), std::size_t(8));
  }

  void halfExactValues() {
    const float values[] = {0.0f, -0.0f, 1.0f, -2.5f, 65504.0f, 6.103515625e-05f, 5.960464477539063e-08f};
    for (float v : values) {
      std::byte b[2];
      convertFromFloat32(DType::F16, &v, 1, b);
      float back;
      convertToFloat32(DType::F16, b, 1, &back);
      QCOMPARE(back, v);
    }
    // 1.0 is 0x3C00 in IEEE half.
    float one = 1.0f;
    std::uint16_t bits;
    convertFromFloat32(DType::F16, &one, 1, reinterpret_cast<std::byte*>(&bits));
    QCOMPARE(bits, std::uint16_t(0x3C00));
  }

  void halfRoundsToNearestEvenAndOverflows() {
    float v = 1.0f + 1.0f / 2048.0f; // halfway between 1 and the next half: ties to even (1.0)
    std::uint16_t bits;
    convertFromFloat32(DType::F16, &v, 1, reinterpret_cast<std::byte*>(&bits));
    QCOMPARE(bits, std::uint16_t(0x3C00));
    v = 1e6f;
    convertFromFloat32(DType::F16, &v, 1, reinterpret_cast<std::byte*>(&bits));
    QCOMPARE(bits, std::uint16_t(0x7C00)); // +inf
  }

  void bf16Truncation() {
    float v = 3.140625f; // exactly representable in bf16
    std::uint16_t bits;
    convertFromFloat32(DType::BF16, &v, 1, reinterpret_cast<std::byte*>(&bits));
    float back;
    convertToFloat32(DType::BF16, reinterpret_cast<std::byte*>(&bits), 1, &back);
    QCOMPARE(back, v);
    float nan = std::numeric_limits<float>::quiet_NaN();
    convertFromFloat32(DType::BF16, &nan, 1, reinterpret_cast<std::byte*>(&bits));
    convertToFloat32(DType::BF16, reinterpret_cast<std::byte*>(&bits), 1, &back);
    QVERIFY(std::isnan(back));
  }

  void f8Values() {
    // E4M3FN: max 448, 0x7E; NaN 0x7F; 1.0 = 0x38. E5M2: 1.0 = 0x3C, max 57344, inf 0x7C.
    struct Case {
      DType t;
      float v;
      std::uint8_t bits;
    };
    const Case cases[] = {{DType::F8_E4M3, 1.0f, 0x38},  {DType::F8_E4M3, 448.0f, 0x7E},
                          {DType::F8_E4M3, -0.5f, 0xB0}, {DType::F8_E4M3, 0.001953125f, 0x01},
                          {DType::F8_E5M2, 1.0f, 0x3C},  {DType::F8_E5M2, 57344.0f, 0x7B},
                          {DType::F8_E5M2, -2.0f, 0xC0}};
    for (const auto& c : cases) {
      std::uint8_t b;
      convertFromFloat32(c.t, &c.v, 1, reinterpret_cast<std::byte*>(&b));
      QCOMPARE(int(b), int(c.bits));
      float back;
      convertToFloat32(c.t, reinterpret_cast<std::byte*>(&b), 1, &back);
      QCOMPARE(back, c.v);
    }
    std::uint8_t nanBits = 0x7F;
    float back;
    convertToFloat32(DType::F8_E4M3, reinterpret_cast<std::byte*>(&nanBits), 1, &back);
    QVERIFY(std::isnan(back));
  }

  void unalignedIntegers() {
    // Reading from an odd address must not assume alignment.
    alignas(8) std::byte buf[9] = {};
    const std::int32_t v = -123456;
    std::memcpy(buf + 1, &v, 4);
    float out;
    convertToFloat32(DType::I32, buf + 1, 1, &out);
    QCOMPARE(out, -123456.0f);
  }
};

MG_TEST_APPLESS_MAIN(DTypeTest)
#include "test_dtype.moc"
