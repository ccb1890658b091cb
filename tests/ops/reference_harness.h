#pragma once
// Runs merge cases through both ops::merge and the independent PyTorch reference of mergekit's methods
// (tests/reference/, see run_cases.py for the case format), in ONE python process for all cases.
//
// Adding a case: push a ReferenceCase into the list a test builds (see test_mergekit_parity.cpp):
//   {"ties/2d/density", "ties", {6, 5}, 2, true, {1.0, 0.5}, {"density=0.5", "lambda=0.7"}}
// `params` are Merganser's NAME=VALUE assignments (parseMergeParams); the reference receives the same
// assignments translated to mergekit's form: density / gamma / epsilon / scale become per-model
// parameters (a comma list gives one value per input), every other name a global parameter typed as a
// JSON literal (true, 0.5) or text. Set `referenceParams` when the mergekit spelling differs (an old alias).
// Inputs are random: base ~ N(0, 1) and input_i = base + deltaScale·N(0, 1) (raw N(0, 1) inputs when the
// case has no base), seeded by the case id; or exactly `tensors` ([base,] inputs...) when given.
// `precision` bf16 / f16: Merganser merges with that compute dtype and the reference runs mergekit's torch
// code on the inputs converted to it; the outputs are compared in units in the last place of that dtype
// (at most `maxUlps` apart, see detail::ulpDistance; 0: bit for bit) instead of by rtol / atol.
//
// A test builds its cases and ends with checkReferenceCases(cases, "…"): one run of the reference, one
// failure line per case that differs, and a QSKIP with the reason when python or torch is missing.
//
// The reference's python is /usr/bin/python3 with torch (MG_REFERENCE_PYTHON, from CMake); the tests
// QSKIP with the reason when it or torch is missing.
#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>
#include <ATen/ATen.h>

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/safetensors_file.h"
#include "io/safetensors_writer.h"
#include "ops/merge_method.h"
#include "ops/method_schemas.h"
#include "ops/precision.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

#include "support/reference_python.h"

namespace mg::test {

struct ReferenceCase {
  std::string id; // unique among the cases of one run
  std::string method;
  std::vector<std::int64_t> shape;
  std::size_t inputs = 2; // besides the base
  bool base = true;
  std::vector<double> weights;                             // per input; empty: all 1
  std::vector<std::string> params;                         // Merganser's NAME=VALUE
  std::optional<std::vector<std::string>> referenceParams; // the same in mergekit's names, when different
  double deltaScale = 0.1;
  std::vector<at::Tensor> tensors; // explicit [base,] inputs; overrides the random ones
  bool expectError = false;        // both must refuse the case
  double rtol = 1e-5;
  double atol = 1e-6;
  ops::Precision precision = ops::Precision::F32; // the compute dtype of both sides
  int maxUlps = 0;                                // bf16 / f16: the largest difference allowed, in ulps
  bool isEmbed = false;                           // an embedding or LM head (info.is_embed)
  // Replaces the element-wise comparison (e.g. statistics of random masks): given Merganser's output, the
  // reference's and the case's tensors ([base,] inputs), returns what differs, or "" when they agree.
  std::function<std::string(const at::Tensor& ours, const at::Tensor& reference,
                            const std::vector<at::Tensor>& tensors)>
      compare;
};

// What the reference returned for one case: its output, or the error it raised.
struct ReferenceResult {
  std::optional<at::Tensor> output;
  std::string error;
};

// The tensors of a case: [base,] inputs.
inline std::vector<at::Tensor> caseTensors(const ReferenceCase& c) {
  if (!c.tensors.empty()) return c.tensors;
  auto generator = at::make_generator<at::CPUGeneratorImpl>(std::hash<std::string>{}(c.id));
  std::vector<at::Tensor> out;
  at::Tensor base;
  if (c.base) {
    base = at::randn(c.shape, generator, at::kFloat);
    out.push_back(base);
  }
  for (std::size_t i = 0; i < c.inputs; ++i) {
    const auto noise = at::randn(c.shape, generator, at::kFloat);
    out.push_back(c.base ? base + c.deltaScale * noise : noise);
  }
  return out;
}

// ops::merge on a case.
inline at::Tensor mergeCase(const ReferenceCase& c) {
  auto tensors = caseTensors(c);
  std::optional<at::Tensor> base;
  if (c.base) {
    base = tensors.front();
    tensors.erase(tensors.begin());
  }
  auto params = ops::parseMergeParams(c.method, c.params);
  params.precision = c.precision;
  return ops::merge(c.method, tensors, base, c.weights, params, ops::TensorContext(c.id, c.isEmbed));
}

namespace detail {

// torch's name of the compute dtype.
inline const char* torchDtypeName(ops::Precision precision) {
  switch (precision) {
  case ops::Precision::BF16: return "bfloat16";
  case ops::Precision::F16: return "float16";
  case ops::Precision::F32: break;
  }
  return "float32";
}

// How far apart two tensors of values `precision` holds are, in units in the last place of that dtype: 0
// when they are equal bit for bit; else the largest |a − b| / ulp(max(|b|, rms(b))), rounded up (at least
// 1). The ulp is taken at no less than the tensor's RMS so that an entry that cancels to nearly 0 (θ0 + δ
// with δ ≈ −θ0) is not counted in the ulps of its own tiny value. NaN in only one of them: the largest int.
inline std::int64_t ulpDistance(const at::Tensor& a, const at::Tensor& b, ops::Precision precision) {
  if ((a.isnan() != b.isnan()).any().item<bool>()) return std::numeric_limits<std::int64_t>::max();
  const auto finite = a.isnan().logical_not();
  const auto diff = at::where(finite, (a - b).abs(), at::zeros_like(a));
  if (diff.numel() == 0 || diff.max().item<float>() == 0.0f) return 0;
  const int mantissaBits = precision == ops::Precision::BF16 ? 7 : 10;
  const auto bFinite = at::where(finite, b.abs(), at::zeros_like(b));
  const auto scale = at::clamp_min(bFinite, bFinite.pow(2).mean().sqrt().item<float>()).clamp_min(1e-30);
  const auto ulp = at::exp2(at::floor(at::log2(scale)) - mantissaBits);
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil((diff / ulp).max().item<double>())));
}

inline std::vector<std::string> splitCommas(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto comma = text.find(',', start);
    parts.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) return parts;
    start = comma + 1;
  }
}

// A parameter value as mergekit's YAML would type it: a number or a boolean when it parses as one.
inline nlohmann::json typedValue(const std::string& text) {
  if (text == "true" || text == "false") return text == "true";
  try {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  return text;
}

inline nlohmann::json caseJson(const ReferenceCase& c) {
  static const std::vector<std::string> perModel = {"density", "gamma", "epsilon", "scale", "weight"};
  nlohmann::json params = nlohmann::json::object();
  std::vector<nlohmann::json> tensorParams(c.inputs, nlohmann::json::object());
  for (std::size_t i = 0; i < c.inputs; ++i)
    tensorParams[i]["weight"] = c.weights.empty() ? 1.0 : c.weights[i];
  for (const auto& assignment : c.referenceParams.value_or(c.params)) {
    const auto eq = assignment.find('=');
    const auto name = assignment.substr(0, eq);
    const auto value = assignment.substr(eq + 1);
    // epsilon is per model for DELLA but one global threshold for ram / ramplus_tl (mergekit's ram.py).
    const bool global = name == "epsilon" && (c.method == "ram" || c.method == "ramplus_tl");
    if (global || std::find(perModel.begin(), perModel.end(), name) == perModel.end()) {
      params[name] = typedValue(value);
      continue;
    }
    const auto values = splitCommas(value);
    for (std::size_t i = 0; i < c.inputs; ++i)
      tensorParams[i][name] = typedValue(values.size() == 1 ? values[0] : values.at(i));
  }
  nlohmann::json inputs = nlohmann::json::array();
  for (std::size_t i = 0; i < c.inputs; ++i)
    inputs.push_back(c.id + "/in" + std::to_string(i));
  return {{"id", c.id},
          {"method", c.method},
          {"base", c.base ? nlohmann::json(c.id + "/base") : nlohmann::json()},
          {"inputs", inputs},
          {"params", params},
          {"tensor_params", tensorParams},
          {"info", {{"is_embed", c.isEmbed}}},
          {"dtype", torchDtypeName(c.precision)}};
}

} // namespace detail

// Runs every case through the reference in one python process. Returns nullopt with `skipReason` set when
// python or torch is unavailable; throws std::runtime_error when the reference itself fails.
inline std::optional<std::map<std::string, ReferenceResult>>
runReference(const std::vector<ReferenceCase>& cases, std::string& skipReason) {
  const std::string python = MG_REFERENCE_PYTHON;
  if (python.empty()) {
    skipReason = "no /usr/bin/python3 found at configure time (the reference needs Debian's python3-torch)";
    return std::nullopt;
  }
  std::set<std::string> ids;
  for (const auto& c : cases) {
    if (!ids.insert(c.id).second) throw std::invalid_argument("two reference cases have the id " + c.id);
  }
  TempDir dir;
  std::vector<io::TensorData> tensors;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : cases) {
    const auto values = caseTensors(c);
    std::size_t next = 0;
    if (c.base) tensors.push_back(tensor::fromTorch(values[next++], c.id + "/base", io::DType::F32));
    for (std::size_t i = 0; i < c.inputs; ++i)
      tensors.push_back(tensor::fromTorch(values[next++], c.id + "/in" + std::to_string(i), io::DType::F32));
    list.push_back(detail::caseJson(c));
  }
  const auto casesPath = dir.file("cases.json");
  writeBytes(casesPath, nlohmann::json{{"cases", list}}.dump(1));
  const auto inputsPath = dir.file("inputs.safetensors");
  const auto outputsPath = dir.file("outputs.safetensors");
  io::writeSafetensors(inputsPath, tensors);

  QProcess process;
  process.start(QString::fromStdString(python),
                {QString::fromStdString(std::string(MG_REFERENCE_DIR) + "/run_cases.py"),
                 QString::fromStdString(casesPath), QString::fromStdString(inputsPath),
                 QString::fromStdString(outputsPath)});
  if (!process.waitForFinished(300'000) || process.exitStatus() != QProcess::NormalExit) {
    skipReason.clear();
    throw std::runtime_error("the reference did not finish: " + process.errorString().toStdString() + "\n" +
                             process.readAllStandardError().toStdString());
  }
  if (process.exitCode() == 77) {
    skipReason = python + " has no torch (install python3-torch): " +
                 process.readAllStandardError().trimmed().toStdString();
    return std::nullopt;
  }
  if (process.exitCode() != 0) {
    throw std::runtime_error("the reference failed (exit " + std::to_string(process.exitCode()) + "):\n" +
                             process.readAllStandardError().toStdString());
  }
  std::map<std::string, ReferenceResult> results;
  const auto errors = nlohmann::json::parse(readBytes(outputsPath + ".errors.json"));
  for (const auto& [id, message] : errors.items())
    results[id].error = message.get<std::string>();
  io::SafetensorsFile outputs(outputsPath);
  for (const auto& info : outputs.tensors())
    results[info.name].output = tensor::toTorchFloat32(outputs.load(info.name));
  return results;
}

// Compares ops::merge with the reference on every case; returns the failures, one line each (empty: all
// agree). A case the reference refuses must be refused by ops::merge too, and the reverse.
inline std::vector<std::string> compareWithReference(const std::vector<ReferenceCase>& cases,
                                                     const std::map<std::string, ReferenceResult>& results) {
  std::vector<std::string> failures;
  for (const auto& c : cases) {
    const auto it = results.find(c.id);
    if (it == results.end()) {
      failures.push_back(c.id + ": no result from the reference");
      continue;
    }
    const auto& reference = it->second;
    std::optional<at::Tensor> ours;
    std::string ourError;
    try {
      ours = mergeCase(c);
    } catch (const std::exception& error) {
      ourError = error.what();
    }
    if (c.expectError != !reference.error.empty()) {
      failures.push_back(
          c.id + ": the reference " +
          (reference.error.empty() ? "did not refuse the case" : "refused: " + reference.error));
      continue;
    }
    if (!reference.output) {
      if (ours)
        failures.push_back(c.id + ": Merganser merged a case the reference refuses (" + reference.error +
                           ")");
      continue;
    }
    if (!ours) {
      failures.push_back(c.id + ": Merganser refused: " + ourError);
      continue;
    }
    const auto& expected = *reference.output;
    if (ours->sizes() != expected.sizes()) {
      failures.push_back(c.id + ": shape " + c10::str(ours->sizes()) + ", reference " +
                         c10::str(expected.sizes()));
      continue;
    }
    if (c.compare) {
      const auto problem = c.compare(*ours, expected, caseTensors(c));
      if (!problem.empty()) failures.push_back(c.id + ": " + problem);
      continue;
    }
    if (c.precision != ops::Precision::F32) {
      const auto ulps = detail::ulpDistance(*ours, expected, c.precision);
      if (ulps > c.maxUlps)
        failures.push_back(c.id + ": differs from the reference by up to " + std::to_string(ulps) + " " +
                           ops::toString(c.precision) + " ulps (allowed " + std::to_string(c.maxUlps) + ")");
      continue;
    }
    if (!at::allclose(*ours, expected, c.rtol, c.atol)) {
      const double worst = (*ours - expected).abs().max().item<double>();
      failures.push_back(c.id + ": differs from the reference by up to " + std::to_string(worst) +
                         " (|reference| max " + std::to_string(expected.abs().max().item<double>()) + ")");
    }
  }
  return failures;
}

// Runs `cases` through the reference and ops::merge and fails the calling test with one line per case that
// differs (`what`: how they differ, for the summary). Call it last in a test slot: it QSKIPs when python or
// torch is missing, and QSKIP / QVERIFY return from here, not from the caller.
inline void checkReferenceCases(const std::vector<ReferenceCase>& cases, const std::string& what) {
  std::string skip;
  const auto results = runReference(cases, skip);
  if (!results) QSKIP(skip.c_str());
  const auto failures = compareWithReference(cases, *results);
  for (const auto& failure : failures)
    qWarning("%s", failure.c_str());
  QVERIFY2(failures.empty(), (std::to_string(failures.size()) + " of " + std::to_string(cases.size()) +
                              " cases " + what + " (listed above)")
                                 .c_str());
}

} // namespace mg::test
