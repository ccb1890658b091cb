// merganser-cli inspect PATH [--json]
#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "cli/arguments.h"
#include "cli/command.h"
#include "cli/text_format.h"
#include "io/io_error.h"
#include "io/source_summary.h"
#include "io/tensor_source.h"

namespace mg::cli {
namespace {

void printHuman(const io::SourceSummary& s) {
  std::printf("%s: %s\n", s.path.c_str(), io::sourceKindName(s.kind));
  if (!s.architecture.empty() || !s.modelType.empty())
    std::printf("  model        %s (%s)\n", s.architecture.c_str(), s.modelType.c_str());
  std::printf("  tensors      %s\n", groupDigits(s.tensorCount).c_str());
  std::printf("  parameters   %s\n", groupDigits(s.parameterCount).c_str());
  std::printf("  bytes        %s (%s)\n", groupDigits(s.bytes).c_str(), humanBytes(s.bytes).c_str());
  std::string dtypes;
  for (const auto& [name, count] : s.dtypeCounts)
    dtypes += (dtypes.empty() ? "" : ", ") + name + " x" + std::to_string(count);
  std::printf("  dtypes       %s\n", dtypes.empty() ? "-" : dtypes.c_str());
  if (s.adapter) {
    const auto& a = *s.adapter;
    std::string targets;
    for (const auto& t : a.targetModules)
      targets += (targets.empty() ? "" : ", ") + t;
    if (a.peftType == "IA3")
      std::printf("  peft type    IA3 (scaling vectors)\n");
    else
      std::printf("  lora rank    %d\n  lora alpha   %g\n  scaling      %g%s\n", a.rank, a.alpha, a.scaling,
                  a.useRslora ? " (rsLoRA)" : "");
    std::printf("  targets      %s\n", targets.empty() ? "-" : targets.c_str());
    std::printf("  modules      %zu adapted, %zu replaced whole%s\n", a.moduleCount, a.replacementCount,
                a.useDora ? ", DoRA" : "");
    if (!a.baseModel.empty()) std::printf("  base model   %s\n", a.baseModel.c_str());
  }
  for (const auto& [key, value] : s.metadata)
    std::printf("  metadata     %s = %s\n", key.c_str(), value.c_str());

  std::size_t nameWidth = 4;
  for (const auto& t : s.tensors)
    nameWidth = std::max(nameWidth, t.name.size());
  std::printf("\n  %-*s  %-7s  %s\n", static_cast<int>(nameWidth), "name", "dtype", "shape");
  for (const auto& t : s.tensors)
    std::printf("  %-*s  %-7s  %s\n", static_cast<int>(nameWidth), t.name.c_str(),
                std::string(io::dtypeName(t.dtype)).c_str(), io::shapeToString(t.shape).c_str());
}

} // namespace

int runInspect(const std::vector<std::string>& argv) {
  static constexpr const char* kUsage = "usage: merganser-cli inspect PATH [--json]\n";
  const Arguments args(argv, {}, {"--json"});
  if (!args.error().empty()) return usageError("inspect", args.error(), kUsage);
  if (args.positional().size() != 1) return usageError("inspect", "exactly one PATH is needed", kUsage);
  const std::string& path = args.positional()[0];
  const bool json = args.flag("--json");
  try {
    const auto source = io::openTensorSource(path);
    const io::SourceSummary summary = io::summarize(*source);
    if (json)
      std::printf("%s\n", summary.toJson().c_str());
    else
      printHuman(summary);
    return kExitOk;
  } catch (const io::IoError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitBadInput;
  } catch (const std::overflow_error& e) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), e.what());
    return kExitBadInput;
  }
}

} // namespace mg::cli
