#pragma once
// The tiny language models of tests/reference/lm_reference.py (written by it, with their expected logits,
// scores and greedy generations), shared by the tests of core/lm.
#include <QProcess>
#include <QtTest>
#include <ATen/ATen.h>

#include <nlohmann/json.hpp>
#include <string>

#include "io/safetensors_file.h"
#include "support/reference_python.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

namespace mg::test {

// Runs the reference into `dir`; returns an error text ("" on success, "skip: ..." when it cannot run).
inline std::string writeReferenceModels(const TempDir& dir) {
  const std::string python = MG_REFERENCE_PYTHON;
  if (python.empty()) return "skip: no /usr/bin/python3 found at configure time";
  QProcess process;
  process.start(QString::fromStdString(python),
                {QString::fromStdString(std::string(MG_REFERENCE_DIR) + "/lm_reference.py"),
                 QString::fromStdString(dir.path())});
  if (!process.waitForFinished(120'000)) return "the reference did not finish";
  if (process.exitCode() == 77) return "skip: " + process.readAllStandardError().toStdString();
  if (process.exitCode() != 0) return process.readAllStandardError().toStdString();
  return {};
}

// A tensor of a case's expected.safetensors (float64 values as stored, ids as int64).
inline at::Tensor expectedTensor(const std::string& caseFolder, const std::string& name) {
  io::SafetensorsFile file(caseFolder + "/expected.safetensors");
  const auto data = file.load(name);
  if (data.info.dtype == io::DType::I64) {
    auto t = at::empty(data.info.shape, at::kLong);
    std::memcpy(t.data_ptr(), data.bytes.data(), data.bytes.size());
    return t;
  }
  auto t = at::empty(data.info.shape, at::kDouble);
  std::memcpy(t.data_ptr(), data.bytes.data(), data.bytes.size());
  return t;
}

inline nlohmann::json expectedJson(const std::string& caseFolder) {
  return nlohmann::json::parse(readBytes(caseFolder + "/expected.json"));
}

} // namespace mg::test

#define MG_WRITE_REFERENCE_MODELS(dir)                                                                       \
  do {                                                                                                       \
    const auto problem = mg::test::writeReferenceModels(dir);                                                \
    if (problem.rfind("skip: ", 0) == 0) QSKIP(problem.c_str());                                             \
    QVERIFY2(problem.empty(), problem.c_str());                                                              \
  } while (false)
