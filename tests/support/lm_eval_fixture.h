#pragma once
// The tiny Llama, character tokenizer and text tasks of tests/reference/lm_eval_reference.py, written with
// the harness's expected numbers (expected.json) into a test's folder: shared by the tests of text-task
// scoring.
#include <QProcess>
#include <QtTest>

#include <nlohmann/json.hpp>
#include <string>

#include "support/reference_python.h"
#include "support/temp_dir.h"

namespace mg::test {

// Runs reference `script` (tests/reference/) on `dir`; "" on success, "skip: ..." when it cannot run, else
// the error.
inline std::string runLmReference(const std::string& script, const TempDir& dir) {
  const std::string python = MG_REFERENCE_PYTHON;
  if (python.empty()) return "skip: no /usr/bin/python3 found at configure time";
  QProcess process;
  process.start(QString::fromStdString(python),
                {QString::fromStdString(std::string(MG_REFERENCE_DIR) + "/" + script),
                 QString::fromStdString(dir.path())});
  if (!process.waitForFinished(120'000)) return "the reference did not finish";
  if (process.exitCode() == 77) return "skip: " + process.readAllStandardError().toStdString();
  if (process.exitCode() != 0) return process.readAllStandardError().toStdString();
  return {};
}

// Runs the reference into `dir`.
inline std::string writeLmEvalReference(const TempDir& dir) {
  return runLmReference("lm_eval_reference.py", dir);
}

} // namespace mg::test

// In a test slot: writes the reference into `dir` and reads its expected numbers into `expected`, or skips.
#define MG_WRITE_LM_EVAL_REFERENCE(dir, expected)                                                            \
  do {                                                                                                       \
    const auto problem = mg::test::writeLmEvalReference(dir);                                                \
    if (problem.rfind("skip: ", 0) == 0) QSKIP(problem.c_str());                                             \
    QVERIFY2(problem.empty(), problem.c_str());                                                              \
    expected = nlohmann::json::parse(mg::test::readBytes((dir).file("expected.json")));                      \
  } while (false)
