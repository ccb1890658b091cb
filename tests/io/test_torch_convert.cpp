// The bridge between raw tensors and LibTorch keeps values and shapes.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include "tensor/torch_convert.h"

using namespace mg;

class TorchConvertTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void roundTripThroughBf16() {
    const auto t = at::arange(12, at::kFloat).reshape({3, 4}) * 0.5;
    const auto data = tensor::fromTorch(t, "w", io::DType::BF16);
    QCOMPARE(data.info.shape, (std::vector<std::int64_t>{3, 4}));
    QCOMPARE(data.bytes.size(), std::size_t(24));
    const auto back = tensor::toTorchFloat32(data);
    QVERIFY(at::equal(back, t)); // multiples of 0.5 below 6 are exact in bf16
  }
  void nonContiguousInput() {
    const auto t = at::arange(6, at::kFloat).reshape({2, 3}).t();
    const auto back = tensor::toTorchFloat32(tensor::fromTorch(t, "x", io::DType::F32));
    QVERIFY(at::equal(back, t.contiguous()));
  }
};

MG_TEST_APPLESS_MAIN(TorchConvertTest)
#include "test_torch_convert.moc"
