#include "train/fine_tune_settings.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <functional>

#include "util/comma_list.h"

namespace mg::train {

namespace {

std::int64_t integerOf(const std::string& name, const std::string& text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    throw std::invalid_argument(name + ": '" + text + "' is not an integer");
  return value;
}

double realOf(const std::string& name, const std::string& text) {
  try {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  throw std::invalid_argument(name + ": '" + text + "' is not a number");
}

bool booleanOf(const std::string& name, const std::string& text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  throw std::invalid_argument(name + ": '" + text + "' is not true or false");
}

template <typename Enum>
Enum enumOf(const std::string& name, const std::string& text,
            std::optional<Enum> (*named)(const std::string&), const char* choices) {
  if (const auto value = named(text)) return *value;
  throw std::invalid_argument(name + ": '" + text + "' is not one of " + choices);
}

using Setter = std::function<void(FineTuneOptions&, const std::string& name, const std::string& text)>;

const std::vector<std::pair<std::string, Setter>>& setters() {
  static const std::vector<std::pair<std::string, Setter>> all = {
      {"method", [](auto& o, auto& n, auto& t) { o.method = enumOf(n, t, methodNamed, "lora, ia3, full"); }},
      {"rank", [](auto& o, auto& n, auto& t) { o.lora.rank = int(integerOf(n, t)); }},
      {"alpha", [](auto& o, auto& n, auto& t) { o.lora.alpha = realOf(n, t); }},
      {"rslora", [](auto& o, auto& n, auto& t) { o.lora.rsLora = booleanOf(n, t); }},
      {"dropout", [](auto& o, auto& n, auto& t) { o.lora.dropout = realOf(n, t); }},
      {"target_modules", [](auto& o, auto&, auto& t) { o.targetModules = util::commaList(t); }},
      {"target_regex", [](auto& o, auto&, auto& t) { o.targetRegex = t; }},
      {"feedforward_modules", [](auto& o, auto&, auto& t) { o.feedforwardModules = util::commaList(t); }},
      {"full_tensors", [](auto& o, auto&, auto& t) { o.fullTensors = t; }},
      {"examples", [](auto& o, auto& n, auto& t) { o.examples = integerOf(n, t); }},
      {"example_unit",
       [](auto& o, auto& n, auto& t) {
         if (t != "per_class" && t != "per_task")
           throw std::invalid_argument(n + ": '" + t + "' is not one of per_class, per_task");
         o.exampleUnit = t == "per_class" ? ExampleUnit::PerClass : ExampleUnit::PerTask;
       }},
      {"validation_examples", [](auto& o, auto& n, auto& t) { o.validationExamples = integerOf(n, t); }},
      {"evaluate_every", [](auto& o, auto& n, auto& t) { o.evaluateEvery = integerOf(n, t); }},
      {"patience", [](auto& o, auto& n, auto& t) { o.patience = int(integerOf(n, t)); }},
      {"loss",
       [](auto& o, auto& n, auto& t) {
         o.lmLoss = enumOf(n, t, lmLossNamed, "ce, unlikelihood, length_normalized, tfew");
       }},
      {"learning_rate", [](auto& o, auto& n, auto& t) { o.learningRate = realOf(n, t); }},
      {"weight_decay", [](auto& o, auto& n, auto& t) { o.weightDecay = realOf(n, t); }},
      {"schedule", [](auto& o, auto& n,
                      auto& t) { o.schedule = enumOf(n, t, scheduleNamed, "cosine, linear, constant"); }},
      {"warmup_steps", [](auto& o, auto& n, auto& t) { o.warmupSteps = integerOf(n, t); }},
      {"batch_size", [](auto& o, auto& n, auto& t) { o.batchSize = integerOf(n, t); }},
      {"steps", [](auto& o, auto& n, auto& t) { o.steps = integerOf(n, t); }},
      {"epochs", [](auto& o, auto& n, auto& t) { o.epochs = integerOf(n, t); }},
      {"gradient_accumulation", [](auto& o, auto& n, auto& t) { o.gradientAccumulation = integerOf(n, t); }},
      {"seed",
       [](auto& o, auto& n, auto& t) {
         const auto seed = integerOf(n, t);
         if (seed < 0) throw std::invalid_argument(n + ": must be 0 or more");
         o.seed = std::uint64_t(seed);
       }},
  };
  return all;
}

} // namespace

const std::vector<std::string>& fineTuneSettingNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& [name, setter] : setters())
      out.push_back(name);
    return out;
  }();
  return names;
}

FineTuneOptions fineTuneOptionsFrom(const std::map<std::string, std::string>& settings) {
  FineTuneOptions options;
  for (const auto& [name, text] : settings) {
    const auto& all = setters();
    const auto found =
        std::find_if(all.begin(), all.end(), [&](const auto& entry) { return entry.first == name; });
    if (found == all.end()) throw std::invalid_argument("no fine-tuning setting '" + name + "'");
    found->second(options, name, text);
  }
  if (const auto problem = problemWith(options)) throw std::invalid_argument(*problem);
  return options;
}

} // namespace mg::train
