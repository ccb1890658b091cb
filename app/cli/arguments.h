#pragma once
// A small command-line parser for the subcommands: "--name value" options (repeatable), "--flag"
// switches and positional arguments; anything else is an error to report.
#include <map>
#include <set>
#include <string>
#include <vector>

namespace mg::cli {

class Arguments {
public:
  Arguments(const std::vector<std::string>& argv, const std::set<std::string>& options,
            const std::set<std::string>& flags);
  // The last value of an option, or "".
  std::string value(const std::string& name) const;
  const std::vector<std::string>& values(const std::string& name) const;
  bool flag(const std::string& name) const { return flags_.count(name) != 0; }
  const std::vector<std::string>& positional() const { return positional_; }
  // Empty when the command line parsed.
  const std::string& error() const { return error_; }

private:
  std::map<std::string, std::vector<std::string>> values_;
  std::set<std::string> flags_;
  std::vector<std::string> positional_;
  std::string error_;
};

// Prints "merganser-cli COMMAND: MESSAGE" and the usage to stderr; returns kExitBadInput.
int usageError(const std::string& command, const std::string& message, const char* usage);

} // namespace mg::cli
