// merganser-cli: the headless face of Merganser (same core engine as the GUI).
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cluster/world.h"
#include "theta/theta_command.h"
#include "tensor/build_info.h"
#include "util/version.h"

namespace {

void printUsage(std::FILE* out) {
  std::fprintf(
      out,
      "usage: merganser-cli COMMAND [ARGS]\n"
      "\n"
      "commands:\n"
      "  inspect PATH [--json]   list the tensors of a .safetensors file, sharded folder,\n"
      "                          Hugging Face model folder, PEFT adapter or HDF5 checkpoint\n"
      "  merge --method M ...     merge checkpoints and adapters into one checkpoint\n"
      "                          (merganser-cli merge --help lists options and methods)\n"
      "  merge --config RECIPE.yml --out PATH\n"
      "                          run a mergekit YAML recipe (local model paths)\n"
      "  import RECIPE.yml --out PROJECT.mgproj\n"
      "                          turn a mergekit YAML recipe into a project (sources, merge, export)\n"
      "  export-yaml PROJECT.mgproj --node ID [--out FILE]\n"
      "                          write a merge node's recipe as mergekit YAML\n"
      "  extract-lora --base B --model M --rank R --out DIR\n"
      "                          write the difference of a fine-tune as a PEFT LoRA adapter\n"
      "  train --base MODEL --tasks PATH --out DIR [--method lora|ia3|full] [--rank R]\n"
      "        [--examples K] [--steps N] ... [--json]\n"
      "                          fine-tune a specialist (a PEFT LoRA or IA³ adapter, or a model) on\n"
      "                          k examples per class; prints the training curve and validation score\n"
      "                          (merganser-cli train --help lists every option)\n"
      "  eval --model PATH [--base B] --tasks PATH... [--batch N] [--json]\n"
      "                          per-task accuracy of a classifier on task files or folders\n"
      "  eval --model DIR [--adapter DIR...] --tasks FILE.jsonl|DIR... [--json]\n"
      "                          a language model on text tasks: perplexity, accuracy, accuracy_norm,\n"
      "                          exact_match (as lm-evaluation-harness scores them)\n"
      "  run PROJECT.mgproj [--node ID ...] [--json]\n"
      "                          run a project's sinks (or the given nodes) and print each node's result\n"
      "  search PROJECT.mgproj [--node ID|TITLE] [--budget N] [--journal FILE] [--save] [--json]\n"
      "                          run a Search node (greedy soup, CMA-ES, AdaMerging) with live progress;\n"
      "                          resumable; --save adds the winner to the project as a merge node\n"
      "  embed --adapters PATH... [--base B] [--tasks PATH...] --kind param|fisher|data [--json]\n"
      "                          task embeddings, their similarities, clusters and 2-D coordinates\n"
      "  demo --out DIR [--zoo basic|benchmark] [--quick] [--seed N] [--no-run] [--table]\n"
      "                          train a demo zoo on Fashion-MNIST (base, specialists, tasks, a project)\n"
      "                          and print how every model and merge scores on every task; --zoo\n"
      "                          benchmark: a CNN with a frozen head per task and 16 specialists;\n"
      "                          --table: its per-method table (markdown)\n"
      "  theta install [DIR] | diff OLD NEW | show FILE\n"
      "                          version checkpoints with git, each tensor stored once by content\n"
      "                          (install sets up the filter and diff drivers git then runs)\n"
      "\n"
      "under mpirun or srun, merge --method, eval and run divide their work among the ranks (same results\n"
      "as one process; eval --pipeline spreads a language model's blocks); other commands refuse\n"
      "\n"
      "exit status: 0 success, 1 the work failed, 2 bad input or usage\n");
}

// The commands that divide their work when started as ranks of an MPI job (mpirun, srun); any other would
// run once per rank, each copy racing the others for the same outputs.
bool runsOverRanks(const std::string& command, const std::vector<std::string>& args) {
  if (command == "merge") return std::find(args.begin(), args.end(), "--config") == args.end();
  return command == "eval" || command == "run";
}

// Ranks other than the root stay silent: the root reports for the job (errors of other ranks reach it
// through the protocols of cluster/), so a terminal or log shows each line once, not once per rank.
void silenceNonRootRank() {
  if (mg::cluster::world().isRoot()) return;
  std::fflush(stdout);
  std::fflush(stderr);
  std::freopen("/dev/null", "w", stdout);
  std::freopen("/dev/null", "w", stderr);
}

int runCommand(std::vector<std::string> args);

} // namespace

int main(int argc, char** argv) {
  try {
    mg::cluster::startWorld(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "merganser-cli: %s\n", e.what());
    return mg::cli::kExitFailure;
  }
  auto& ranks = mg::cluster::world();
  std::vector<std::string> args(argv + 1, argv + argc);
  int status = mg::cli::kExitOk;
  if (ranks.spread() && (args.empty() || !runsOverRanks(args[0], {args.begin() + 1, args.end()}))) {
    if (ranks.isRoot())
      std::fprintf(
          stderr,
          "merganser-cli: %s does not run over MPI ranks (merge --method, eval and run do); start it "
          "without mpirun or srun\n",
          args.empty() ? "no command" : args[0].c_str());
    status = mg::cli::kExitBadInput;
  } else {
    silenceNonRootRank();
    status = runCommand(args);
  }
  if (ranks.spread())
    status = std::stoi(ranks.broadcast(std::to_string(status))); // the job's status is the root's
  mg::cluster::finishWorld();
  return status;
}

namespace {

int runCommand(std::vector<std::string> args) {
  if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    printUsage(args.empty() ? stderr : stdout);
    return args.empty() ? mg::cli::kExitBadInput : mg::cli::kExitOk;
  }
  if (args[0] == "--version") {
    // The first line as before ("merganser-cli VERSION"); then what it is built on. The CLI does not use Qt:
    // the Qt line names the version the workbench beside it was built with.
    std::printf("merganser-cli %s\n", mg::kVersion);
    const auto lines = mg::tensor::buildInfoLines(MERGANSER_QT_VERSION " (the workbench's, at build)");
    for (std::size_t i = 1; i < lines.size(); ++i) // the first names Merganser's version, said above
      std::printf("%s\n", lines[i].c_str());
    return mg::cli::kExitOk;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "inspect") return mg::cli::runInspect(args);
    if (command == "merge") return mg::cli::runMerge(args);
    if (command == "extract-lora") return mg::cli::runExtractLora(args);
    if (command == "run") return mg::cli::runProject(args);
    if (command == "eval") return mg::cli::runEval(args);
    if (command == "search") return mg::cli::runSearch(args);
    if (command == "demo") return mg::cli::runDemo(args);
    if (command == "embed") return mg::cli::runEmbed(args);
    if (command == "import") return mg::cli::runImport(args);
    if (command == "export-yaml") return mg::cli::runExportYaml(args);
    if (command == "train") return mg::cli::runTrain(args);
    if (command == "theta") return mg::cli::runTheta(args);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "merganser-cli: out of memory\n");
    return mg::cli::kExitFailure;
  } catch (const std::exception& e) {
    // Commands report expected errors themselves; this is the last line of defence against a crash.
    std::fprintf(stderr, "merganser-cli: %s\n", e.what());
    return mg::cli::kExitFailure;
  }
  std::fprintf(stderr, "merganser-cli: unknown command '%s' (see merganser-cli --help)\n", command.c_str());
  return mg::cli::kExitBadInput;
}

} // namespace
