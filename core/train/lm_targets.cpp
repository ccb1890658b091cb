#include "train/lm_targets.h"

#include "train/target_modules.h"

namespace mg::train {

namespace {

std::vector<std::string> peftDefaultTargets(lm::Architecture architecture, Method method) {
  const bool gpt2 = architecture == lm::Architecture::Gpt2;
  if (method == Method::Ia3)
    return gpt2 ? std::vector<std::string>{"c_attn", "mlp.c_proj"}
                : std::vector<std::string>{"k_proj", "v_proj", "down_proj"};
  return gpt2 ? std::vector<std::string>{"c_attn"} : std::vector<std::string>{"q_proj", "v_proj"};
}

std::vector<std::string> peftDefaultFeedforward(lm::Architecture architecture) {
  return {architecture == lm::Architecture::Gpt2 ? "mlp.c_proj" : "down_proj"};
}

} // namespace

LmTargets lmTargets(const lm::LmConfig& config, const std::vector<std::string>& linearModules,
                    const FineTuneOptions& options) {
  LmTargets targets;
  targets.regex = options.targetRegex;
  if (targets.regex.empty())
    targets.patterns = options.targetModules.empty() ? peftDefaultTargets(config.architecture, options.method)
                                                     : options.targetModules;
  targets.modules = matchTargetModules(linearModules, targets.patterns, targets.regex);
  if (options.method != Method::Ia3) return targets;
  // PEFT requires the feed-forward modules among the targets. The default ones are simply left out when the
  // targets given do not include them; feed-forward modules given must be targets.
  if (options.feedforwardModules.empty()) {
    for (const auto& pattern : peftDefaultFeedforward(config.architecture))
      for (const auto& module : targets.modules)
        if (peftModuleMatches(module, pattern)) targets.feedforward.push_back(module);
    if (!targets.feedforward.empty())
      targets.feedforwardPatterns = peftDefaultFeedforward(config.architecture);
    return targets;
  }
  targets.feedforwardPatterns = options.feedforwardModules;
  targets.feedforward = matchTargetModules(targets.modules, targets.feedforwardPatterns, "",
                                           "feedforward_modules (among the target modules)");
  return targets;
}

} // namespace mg::train
