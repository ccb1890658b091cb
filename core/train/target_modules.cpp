#include "train/target_modules.h"

#include <regex>
#include <stdexcept>

namespace mg::train {

namespace {

std::string someModules(const std::vector<std::string>& modules) {
  std::string out;
  for (std::size_t i = 0; i < modules.size() && i < 4; ++i)
    out += (i ? ", " : "") + modules[i];
  if (modules.size() > 4) out += ", ... (" + std::to_string(modules.size()) + " modules)";
  return out.empty() ? "none" : out;
}

} // namespace

bool peftModuleMatches(const std::string& module, const std::string& entry) {
  return module == entry || (module.size() > entry.size() &&
                             module.compare(module.size() - entry.size(), entry.size(), entry) == 0 &&
                             module[module.size() - entry.size() - 1] == '.');
}

std::vector<std::string> matchTargetModules(const std::vector<std::string>& modules,
                                            const std::vector<std::string>& patterns,
                                            const std::string& regex, const std::string& setting) {
  std::vector<std::string> matched;
  std::string what;
  if (!regex.empty()) {
    std::regex compiled;
    try {
      compiled = std::regex(regex, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      throw std::invalid_argument(setting + ": '" + regex + "' is not a valid regular expression (" +
                                  e.what() + ")");
    }
    for (const auto& module : modules)
      if (std::regex_match(module, compiled)) matched.push_back(module);
    what = "'" + regex + "'";
  } else {
    for (const auto& module : modules)
      for (const auto& entry : patterns)
        if (peftModuleMatches(module, entry)) {
          matched.push_back(module);
          break;
        }
    for (const auto& entry : patterns)
      what += (what.empty() ? "" : ", ") + entry;
    what = "[" + what + "]";
  }
  if (matched.empty())
    throw std::invalid_argument(setting + " " + what +
                                " match no module of the model (its modules: " + someModules(modules) + ")");
  return matched;
}

} // namespace mg::train
