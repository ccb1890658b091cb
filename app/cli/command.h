#pragma once
// The subcommands of merganser-cli share this shape: parse their own arguments, do the work,
// return the process exit status.
#include <string>
#include <vector>

namespace mg::cli {

// Exit statuses, documented in `merganser-cli --help`.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;  // the work itself failed (a merge node failed, ...)
constexpr int kExitBadInput = 2; // unreadable or invalid input file, or bad command-line usage

int runInspect(const std::vector<std::string>& args);
int runMerge(const std::vector<std::string>& args);
int runExtractLora(const std::vector<std::string>& args);
int runProject(const std::vector<std::string>& args); // `run`
int runEval(const std::vector<std::string>& args);
int runTextEval(const std::vector<std::string>& args); // eval of a language model on text tasks
int runSearch(const std::vector<std::string>& args);   // a project's Search node
int runDemo(const std::vector<std::string>& args);
int runEmbed(const std::vector<std::string>& args);
int runMergeConfig(const std::vector<std::string>& args); // `merge --config RECIPE.yml`
int runImport(const std::vector<std::string>& args);      // a mergekit YAML recipe to a project
int runExportYaml(const std::vector<std::string>& args);  // a merge node to a mergekit YAML recipe
int runTrain(const std::vector<std::string>& args);       // fine-tune a specialist (LoRA, IA³, full)

} // namespace mg::cli
