#pragma once
// Helpers shared by the ops tests: small float32 tensors from literals and a tolerant comparison that
// prints both tensors when it fails.
#include <QtTest>
#include <ATen/ATen.h>

#include <sstream>
#include <vector>

namespace mg::test {

inline at::Tensor vec(std::vector<float> values) {
  return at::tensor(values, at::kFloat);
}

inline at::Tensor mat(std::vector<float> values, std::int64_t rows, std::int64_t cols) {
  return vec(std::move(values)).reshape({rows, cols});
}

inline bool close(const at::Tensor& actual, const at::Tensor& expected, double rtol = 1e-5,
                  double atol = 1e-6) {
  if (actual.sizes() == expected.sizes() && at::allclose(actual, expected, rtol, atol)) {
    return true;
  }
  std::ostringstream out;
  out << "actual:\n" << actual << "\nexpected:\n" << expected;
  qWarning("%s", out.str().c_str());
  return false;
}

} // namespace mg::test

// Verifies that `expr` throws `Exception` whose message contains `fragment`.
#define MG_VERIFY_THROWS(expr, Exception, fragment)                                                          \
  do {                                                                                                       \
    bool thrown_ = false;                                                                                    \
    try {                                                                                                    \
      (void)(expr);                                                                                          \
    } catch (const Exception& error_) {                                                                      \
      thrown_ = true;                                                                                        \
      const std::string message_ = error_.what();                                                            \
      QVERIFY2(message_.find(fragment) != std::string::npos, message_.c_str());                              \
    }                                                                                                        \
    QVERIFY2(thrown_, "expected " #Exception " from " #expr);                                                \
  } while (false)
