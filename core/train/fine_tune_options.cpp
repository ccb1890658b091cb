#include "train/fine_tune_options.h"

#include <array>
#include <cmath>
#include <utility>

namespace mg::train {

namespace {

template <typename Enum, std::size_t N>
std::optional<Enum> enumNamed(const std::array<std::pair<Enum, const char*>, N>& names,
                              const std::string& name) {
  for (const auto& [value, text] : names)
    if (name == text) return value;
  return std::nullopt;
}

template <typename Enum, std::size_t N>
const char* nameOfEnum(const std::array<std::pair<Enum, const char*>, N>& names, Enum value) {
  for (const auto& [candidate, text] : names)
    if (candidate == value) return text;
  return "?";
}

constexpr std::array<std::pair<Method, const char*>, 3> kMethods{
    {{Method::Lora, "lora"}, {Method::Ia3, "ia3"}, {Method::Full, "full"}}};
constexpr std::array<std::pair<Schedule, const char*>, 3> kSchedules{
    {{Schedule::Constant, "constant"}, {Schedule::Linear, "linear"}, {Schedule::Cosine, "cosine"}}};
constexpr std::array<std::pair<LmLoss, const char*>, 4> kLmLosses{
    {{LmLoss::CrossEntropy, "ce"},
     {LmLoss::Unlikelihood, "unlikelihood"},
     {LmLoss::LengthNormalized, "length_normalized"},
     {LmLoss::TFew, "tfew"}}};

} // namespace

std::optional<std::string> problemWith(const FineTuneOptions& o) {
  const auto positiveFinite = [](double v) { return std::isfinite(v) && v > 0; };
  if (o.method == Method::Lora) {
    if (o.lora.rank < 1) return "rank must be at least 1 (got " + std::to_string(o.lora.rank) + ")";
    if (!positiveFinite(o.lora.alpha)) return "alpha must be a positive number";
    if (!(o.lora.dropout >= 0 && o.lora.dropout < 1)) return "dropout must be in [0, 1)";
  }
  if (!positiveFinite(o.learningRate)) return "the learning rate must be a positive number";
  if (!(std::isfinite(o.weightDecay) && o.weightDecay >= 0)) return "weight decay must be 0 or more";
  if (o.batchSize < 1) return "the batch size must be at least 1";
  if (o.gradientAccumulation < 1) return "gradient accumulation must be at least 1 micro-batch";
  if (o.epochs < 0) return "epochs must be 0 or more";
  if (o.epochs == 0 && o.steps < 1) return "steps must be at least 1 (or give epochs)";
  if (o.warmupSteps < 0) return "warm-up steps must be 0 or more";
  if (o.examples < 0) return "examples must be 0 (all) or more";
  if (o.validationExamples < 0) return "validation examples must be 0 (none) or more";
  if (o.evaluateEvery < 1) return "evaluate_every must be at least 1 step";
  if (o.patience < 0) return "patience must be 0 (never stop early) or more";
  if (o.patience > 0 && o.validationExamples == 0)
    return "early stopping (patience) needs validation examples";
  return std::nullopt;
}

const char* methodName(Method method) {
  return nameOfEnum(kMethods, method);
}
std::optional<Method> methodNamed(const std::string& name) {
  return enumNamed(kMethods, name);
}
const char* scheduleName(Schedule schedule) {
  return nameOfEnum(kSchedules, schedule);
}
std::optional<Schedule> scheduleNamed(const std::string& name) {
  return enumNamed(kSchedules, name);
}
const char* lmLossName(LmLoss loss) {
  return nameOfEnum(kLmLosses, loss);
}
std::optional<LmLoss> lmLossNamed(const std::string& name) {
  return enumNamed(kLmLosses, name);
}

} // namespace mg::train
