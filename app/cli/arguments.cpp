#include "cli/arguments.h"

#include <cstdio>

#include "cli/command.h"

namespace mg::cli {

Arguments::Arguments(const std::vector<std::string>& argv, const std::set<std::string>& options,
                     const std::set<std::string>& flags) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.size() > 1 && a[0] == '-') {
      std::string name = a, inlineValue;
      const auto eq = a.find('=');
      const bool hasInline = a.rfind("--", 0) == 0 && eq != std::string::npos;
      if (hasInline) {
        name = a.substr(0, eq);
        inlineValue = a.substr(eq + 1);
      }
      if (options.count(name)) {
        if (hasInline) {
          values_[name].push_back(inlineValue);
        } else if (i + 1 < argv.size()) {
          values_[name].push_back(argv[++i]);
        } else {
          error_ = "option " + name + " needs a value";
          return;
        }
      } else if (flags.count(name) && !hasInline) {
        flags_.insert(name);
      } else {
        error_ = "unknown option '" + a + "'";
        return;
      }
    } else {
      positional_.push_back(a);
    }
  }
}

std::string Arguments::value(const std::string& name) const {
  const auto it = values_.find(name);
  return it == values_.end() || it->second.empty() ? std::string() : it->second.back();
}

const std::vector<std::string>& Arguments::values(const std::string& name) const {
  static const std::vector<std::string> none;
  const auto it = values_.find(name);
  return it == values_.end() ? none : it->second;
}

int usageError(const std::string& command, const std::string& message, const char* usage) {
  std::fprintf(stderr, "merganser-cli %s: %s\n%s", command.c_str(), message.c_str(), usage);
  return kExitBadInput;
}

} // namespace mg::cli
