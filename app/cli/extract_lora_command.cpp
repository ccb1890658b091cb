// merganser-cli extract-lora --base B --model M --rank R --out DIR
// Writes the difference between a fine-tune and its base as a PEFT LoRA adapter (truncated SVD per
// weight matrix), so a full fine-tune can join a library of adapters.
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/arguments.h"
#include "cli/command.h"
#include "weights/lora_extraction.h"
#include "weights/open_weights.h"
#include "io/io_error.h"

namespace mg::cli {

int runExtractLora(const std::vector<std::string>& argv) {
  static constexpr const char* kUsage =
      "usage: merganser-cli extract-lora --base B --model M --rank R --out DIR [--epsilon E] [--json]\n";
  const Arguments args(argv, {"--base", "--model", "--rank", "--out", "--epsilon"}, {"--json"});
  if (!args.error().empty()) return usageError("extract-lora", args.error(), kUsage);
  if (args.value("--base").empty() || args.value("--model").empty() || args.value("--rank").empty() ||
      args.value("--out").empty())
    return usageError("extract-lora", "--base, --model, --rank and --out are required", kUsage);
  engine::LoraExtractionOptions options;
  try {
    options.maxRank = std::stoll(args.value("--rank"));
    if (!args.value("--epsilon").empty()) options.epsilon = std::stod(args.value("--epsilon"));
    if (options.maxRank < 1) throw std::invalid_argument("--rank must be at least 1");
  } catch (const std::exception& e) {
    return usageError("extract-lora", e.what(), kUsage);
  }
  try {
    const auto base = engine::openWeights(args.value("--base"), nullptr);
    const auto model = engine::openWeights(args.value("--model"), base.weights);
    options.baseModelName = args.value("--base");
    const auto report =
        engine::extractLoraAdapter(*base.weights, *model.weights, args.value("--out"), options);
    if (args.flag("--json")) {
      nlohmann::ordered_json j;
      j["output"] = args.value("--out");
      auto modules = nlohmann::ordered_json::array();
      for (const auto& m : report.modules)
        modules.push_back({{"module", m.module}, {"rank", m.rank}, {"relative_error", m.relativeError}});
      j["modules"] = modules;
      j["replaced"] = report.replaced;
      j["max_relative_error"] = report.maxRelativeError();
      std::printf("%s\n", j.dump(2).c_str());
    } else {
      std::printf(
          "wrote %s: %zu LoRA modules (max relative Frobenius error %.3g), %zu tensors replaced whole\n",
          args.value("--out").c_str(), report.modules.size(), report.maxRelativeError(),
          report.replaced.size());
    }
    return kExitOk;
  } catch (const io::IoError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "merganser-cli extract-lora: %s\n", e.what());
    return kExitFailure;
  }
}

} // namespace mg::cli
