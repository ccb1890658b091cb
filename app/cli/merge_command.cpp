// merganser-cli merge --method METHOD [--base PATH] --model PATH[:WEIGHT] ... --out PATH
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/arguments.h"
#include "cli/command.h"
#include "cli/terminal_progress.h"
#include "cli/text_format.h"
#include "cluster/work_split.h"
#include "cluster/world.h"
#include "embed/merge_statistics.h"
#include "engine/runners/data_aware_inputs.h"
#include "engine/runners/weight_set_source.h"
#include "eval/classifier.h"
#include "io/task_file.h"
#include "io/text_task_file.h"
#include "lm/causal_lm.h"
#include "text/tokenizer.h"
#include "weights/export.h"
#include "weights/layer_slices.h"
#include "weights/merged_adapter.h"
#include "weights/merged_weights.h"
#include "weights/open_weights.h"
#include "weights/tokenizer_merge.h"
#include "io/content_hash.h"
#include "io/hf_model_folder.h"
#include "io/io_error.h"
#include "io/safetensors_writer.h"
#include "io/text_file.h"
#include "ops/method_schemas.h"
#include "util/large_blocks.h"

namespace mg::cli {
namespace {

constexpr const char* kUsage =
    "usage: merganser-cli merge --method METHOD [--base PATH] --model PATH[:WEIGHT] [--model ...]\n"
    "                           [--param NAME[@FILTER]=VALUE|grad(V0,V1,...)] [--take FILTER=N|base]\n"
    "                           [--model-param N:NAME[@FILTER]=VALUE|grad(V0,V1,...)]\n"
    "                           [--slice SOURCE[+SOURCE...]] [--compute-dtype auto|f32|bf16|f16]\n"
    "                           [--dtype f32|bf16|f16] [--shard-size 5GB] [--seed N] [--threads N]\n"
    "                           [--allow-non-finite] [--json] [--out PATH]\n"
    "                           [--adapter-out DIR [--adapter-rank R]]\n"
    "                           [--tokenizer-source base|union|PATH] [--chat-template NAME|FILE]\n"
    "                           [--tasks FILE|DIR ...] [--statistics-cache DIR]\n"
    "  --param        a recipe-wide parameter; FILTER is a regex on tensor names, or sub:TEXT for "
    "mergekit's\n"
    "                 substring filter; grad(...) is a per-layer gradient (t = layer/(layers-1))\n"
    "  --model-param  a parameter of model N (1-based, in --model order): weight, density, gamma,\n"
    "                 epsilon or scale; the first matching rule wins, then --param, then PATH:WEIGHT\n"
    "  --slice        one output slice (mergekit's slices), repeated in output order; SOURCE is\n"
    "                 N:START-END (layers [START, END) of model N, or base:START-END)\n"
    "  --compute-dtype  dtype of the arithmetic; auto (default, as mergekit) computes in the dtype the\n"
    "                 tensors are stored in; the merged tensors are written in it unless --dtype is given\n"
    "  --tokenizer-source  the output's vocabulary (mergekit's tokenizer_source): the base's tokenizer,\n"
    "                 the union of all inputs' tokens, or a model folder's; embedding and LM-head rows\n"
    "                 are permuted to it; tokenizer files and config.json vocab_size follow it\n"
    "  --chat-template  chat template written into tokenizer_config.json: alpaca, chatml, exaone, llama3,\n"
    "                 mistral, auto (the one most inputs have), a file holding a Jinja template, or the\n"
    "                 template itself\n"
    "  --tasks        task data for the data-aware methods (fisher, regmean), repeated: each model uses\n"
    "                 the task named after it, else the tasks in order, one per model\n"
    "  --statistics-cache  where their Fisher / Gram statistics are kept and reused (default\n"
    "                 $XDG_CACHE_HOME/merganser/statistics)\n";

// The model folder a source was opened from, for its tokenizer files; empty for a bare checkpoint.
std::string hfFolderOf(const std::shared_ptr<const io::TensorSource>& source) {
  const auto folder = std::dynamic_pointer_cast<const io::HfModelFolder>(source);
  return folder ? folder->path() : std::string();
}

// --chat-template: a file's text when the value names a file, else the value (a name or a template).
std::string chatTemplateArgument(const std::string& value) {
  std::error_code ec;
  return !value.empty() && std::filesystem::is_regular_file(value, ec) ? io::readTextFile(value) : value;
}

// "path:0.5" -> ("path", 0.5); a path that itself contains ':' keeps it unless a number follows the last one.
std::pair<std::string, double> splitWeight(const std::string& spec) {
  const auto colon = spec.rfind(':');
  if (colon == std::string::npos || colon == 0) return {spec, 1.0};
  const std::string tail = spec.substr(colon + 1);
  std::size_t used = 0;
  double w = 0;
  try {
    w = std::stod(tail, &used);
  } catch (const std::exception&) {
    return {spec, 1.0};
  }
  if (used != tail.size()) return {spec, 1.0};
  return {spec.substr(0, colon), w};
}

// The data-aware methods' statistics of each input on its task (spec "fisher, regmean"), into the recipe;
// one line per input on stderr (which task, computed or from the cache).
void gatherStatistics(engine::MergeRecipe& recipe,
                      const std::vector<std::shared_ptr<const io::HfModelFolder>>& configs,
                      const std::vector<std::string>& taskPaths, const std::string& cacheFolder,
                      const std::vector<engine::ParamRule>& params, bool verbose) {
  // Classifier task files, or text tasks (JSON Lines) for language models: not both.
  const auto textPaths = std::count_if(taskPaths.begin(), taskPaths.end(), io::holdsTextTasks);
  if (textPaths > 0 && std::size_t(textPaths) < taskPaths.size())
    throw std::invalid_argument("--tasks: give text tasks (.jsonl) or classifier task files (.h5), not both");
  std::vector<io::TaskData> tasks;
  std::vector<io::TextTask> textTasks;
  std::vector<std::string> taskNames;
  for (const auto& path : taskPaths) {
    if (textPaths > 0) {
      for (auto& task : io::readTextTaskSet(path)) {
        taskNames.push_back(task.name);
        textTasks.push_back(std::move(task));
      }
      continue;
    }
    for (auto& task : io::readTaskSet(path)) {
      taskNames.push_back(task.name);
      tasks.push_back(std::move(task));
    }
  }
  std::vector<std::vector<std::string>> names;
  for (const auto& input : recipe.inputs)
    names.push_back({input.label});
  const auto assigned = embed::assignTasks(names, taskNames);
  // examples: the recipe-wide value (a filter would make no sense: statistics are per model, not per tensor).
  std::vector<std::string> assignments;
  for (const auto& rule : params)
    if (rule.filter.empty() && !rule.values.empty())
      assignments.push_back(rule.name + "=" + rule.values.front());
  embed::StatisticsRequest request;
  request.kind = *embed::statisticsKindOf(recipe.method);
  request.examples = ops::parseMergeParams(recipe.method, assignments).examples;
  request.cacheFolder = cacheFolder.empty() ? embed::defaultStatisticsFolder() : cacheFolder;
  for (std::size_t i = 0; i < recipe.inputs.size(); ++i) {
    const auto config = configs[i];
    const auto& input = recipe.inputs[i];
    embed::ModelStatistics computed;
    if (textPaths > 0) {
      if (!config)
        throw std::invalid_argument(input.label + ": a language model needs the config.json of its Hugging "
                                                  "Face folder (give the base folder with --base)");
      computed = engine::languageModelStatistics(
          request, *input.weights,
          [&]() {
            lm::LoadOptions load;
            load.weights = std::make_shared<engine::WeightSetSource>(input.weights, input.label);
            return engine::LanguageModel{lm::CausalLm::load(config->path(), load),
                                         text::loadTokenizer(config->path())};
          },
          textTasks[assigned[i]]);
    } else {
      computed = embed::modelStatistics(
          request, *input.weights,
          [config](const engine::WeightSet& w) { return eval::loadClassifier(w, config.get()); },
          tasks[assigned[i]]);
    }
    for (const auto& w : computed.warnings)
      std::fprintf(stderr, "warning: %s\n", w.c_str());
    if (verbose)
      std::fprintf(stderr, "%s on task %s: %s %s\n", recipe.inputs[i].label.c_str(),
                   taskNames[assigned[i]].c_str(), embed::statisticsKindName(request.kind),
                   computed.fromCache ? ("read from " + computed.file).c_str()
                                      : ("computed, cached in " + computed.file).c_str());
    recipe.inputs[i].statistics = computed.statistics;
  }
}

// Every input's content hash, for the provenance; under mpirun input i is hashed by rank i mod N (one pass
// over the inputs in all, not one per rank).
std::vector<std::string> contentHashes(const std::vector<std::shared_ptr<const io::TensorSource>>& sources,
                                       cluster::Communicator& ranks) {
  const auto whole = cluster::combineOverRanks(
      ranks,
      [&]() {
        auto mine = nlohmann::json::object();
        for (std::size_t i = 0; i < sources.size(); ++i)
          if (cluster::ownerOf(std::int64_t(i), ranks.size()) == ranks.rank())
            mine[std::to_string(i)] = io::contentHash(*sources[i]);
        return mine.dump();
      },
      [&](const std::vector<std::string>& parts) {
        std::vector<std::string> all(sources.size());
        for (const auto& part : parts) {
          const auto hashes = nlohmann::json::parse(part);
          for (const auto& [index, hash] : hashes.items())
            all.at(std::stoul(index)) = hash.get<std::string>();
        }
        return nlohmann::json(all).dump();
      });
  return nlohmann::json::parse(whole).get<std::vector<std::string>>();
}

std::string methodList() {
  std::string s;
  for (const auto& name : ops::mergeMethodNames())
    s += (s.empty() ? "" : ", ") + name;
  return s;
}

} // namespace

int runMerge(const std::vector<std::string>& argv) {
  if (std::find(argv.begin(), argv.end(), "--config") != argv.end()) return runMergeConfig(argv);
  Arguments args(argv,
                 {"--method", "--base", "--model", "--param", "--model-param", "--slice", "--compute-dtype",
                  "--take", "--dtype", "--shard-size", "--seed", "--threads", "--out", "--adapter-out",
                  "--adapter-rank", "--tokenizer-source", "--chat-template", "--tasks", "--statistics-cache"},
                 {"--json", "--allow-non-finite", "--help"});
  if (!args.error().empty()) return usageError("merge", args.error(), kUsage);
  if (args.flag("--help")) {
    std::printf("%s\nmethods: %s\n", kUsage, methodList().c_str());
    return kExitOk;
  }
  if (args.value("--method").empty() || args.values("--model").empty() ||
      (args.value("--out").empty() && args.value("--adapter-out").empty()))
    return usageError("merge", "--method, at least one --model and --out or --adapter-out are required",
                      kUsage);

  engine::MergeRecipe recipe;
  engine::ExportOptions options;
  std::shared_ptr<const io::HfModelFolder> hfConfig;
  std::optional<std::int64_t> adapterRank;
  std::vector<std::pair<int, engine::ParamRule>> modelParams;
  try {
    recipe.method = args.value("--method");
    ops::mergeMethod(recipe.method); // unknown method: fail before opening files
    for (const auto& p : args.values("--param"))
      recipe.params.push_back(engine::parseParamRule(p));
    for (const auto& t : args.values("--take"))
      recipe.take.push_back(engine::parseTakeRule(t));
    for (const auto& p : args.values("--model-param")) {
      modelParams.push_back(engine::parseModelParamRule(p));
      if (modelParams.back().first >= static_cast<int>(args.values("--model").size()))
        throw std::invalid_argument("--model-param " + p + ": there are only " +
                                    std::to_string(args.values("--model").size()) + " models");
    }
    for (const auto& t : args.values("--slice"))
      recipe.slices.push_back(engine::parseSliceSpec(t));
    if (!args.value("--compute-dtype").empty())
      recipe.computeDtype = engine::parseComputeDtype(args.value("--compute-dtype"));
    recipe.seed = args.value("--seed").empty() ? 0 : std::stoull(args.value("--seed"));
    if (!args.value("--dtype").empty()) options.dtype = engine::parseOutputDtype(args.value("--dtype"));
    if (!args.value("--shard-size").empty())
      options.shardBytes = io::parseByteSize(args.value("--shard-size"));
    if (!args.value("--threads").empty()) options.workers = std::stoi(args.value("--threads"));
    if (!args.value("--adapter-rank").empty()) adapterRank = std::stoll(args.value("--adapter-rank"));
    if (adapterRank && *adapterRank < 1) throw std::invalid_argument("--adapter-rank must be at least 1");
    recipe.tokenizer = engine::parseTokenizerSource(args.value("--tokenizer-source"));
    recipe.tokenizer.chatTemplate = chatTemplateArgument(args.value("--chat-template"));
  } catch (const std::exception& e) {
    return usageError("merge", e.what(), kUsage);
  }
  options.allowNonFinite = args.flag("--allow-non-finite");
  const std::string out = args.value("--out");

  std::vector<std::shared_ptr<const io::TensorSource>> sources;
  std::vector<std::shared_ptr<const io::HfModelFolder>>
      inputConfigs; // per input: its folder, else the base's
  try {
    if (!args.value("--base").empty()) {
      auto base = engine::openWeights(args.value("--base"), nullptr);
      recipe.base = base.weights;
      recipe.baseLabel = args.value("--base");
      recipe.baseFolder = hfFolderOf(base.source);
      sources.push_back(base.source);
      hfConfig = std::dynamic_pointer_cast<const io::HfModelFolder>(base.source);
    }
    for (const auto& spec : args.values("--model")) {
      const auto [path, weight] = splitWeight(spec);
      auto opened = engine::openWeights(path, recipe.base);
      recipe.inputs.push_back({opened.weights, weight, path, {}, {}});
      if (!opened.isAdapter) recipe.inputs.back().folder = hfFolderOf(opened.source);
      sources.push_back(opened.source);
      if (!hfConfig && !opened.isAdapter)
        hfConfig = std::dynamic_pointer_cast<const io::HfModelFolder>(opened.source);
      inputConfigs.push_back(
          opened.isAdapter ? nullptr : std::dynamic_pointer_cast<const io::HfModelFolder>(opened.source));
    }
    const bool needsData = ops::mergeMethod(recipe.method).needsData;
    if (needsData && args.values("--tasks").empty())
      throw std::invalid_argument(recipe.method + " needs each model's task data: give --tasks FILE|DIR");
    if (!needsData && !args.values("--tasks").empty())
      throw std::invalid_argument("--tasks is for the data-aware methods (fisher, regmean), not " +
                                  recipe.method);
    if (needsData) {
      const auto baseConfig = std::dynamic_pointer_cast<const io::HfModelFolder>(
          recipe.base ? sources.front() : std::shared_ptr<const io::TensorSource>());
      for (auto& config : inputConfigs)
        if (!config) config = baseConfig;
      gatherStatistics(recipe, inputConfigs, args.values("--tasks"), args.value("--statistics-cache"),
                       recipe.params, !args.flag("--json"));
    }
    for (auto& [index, rule] : modelParams)
      recipe.inputs[static_cast<std::size_t>(index)].params.push_back(std::move(rule));
    // Methods without a base (linear, passthrough) still need --base to apply adapter inputs.
    if (ops::mergeMethod(recipe.method).base == ops::BaseUse::Unused) {
      recipe.base = nullptr;
      recipe.baseFolder.clear();
      if (!sources.empty()) sources.erase(sources.begin());
    }
  } catch (const io::IoError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitBadInput;
  } catch (
      const std::exception& e) { // the data-aware methods' statistics: bad tasks, or models they do not fit
    std::fprintf(stderr, "merganser-cli merge: %s\n", e.what());
    return kExitBadInput;
  }

  TerminalProgress progress(!args.flag("--json"));
  try {
    // One reuse scope over hashing and export: the hash pass's tensor memory serves the export's tensors,
    // instead of being unmapped and mapped (and zeroed by the kernel) again.
    const util::LargeBlockReuse reuse;
    const engine::MergedWeights merged(recipe);
    for (const auto& w : merged.warnings())
      std::fprintf(stderr, "warning: %s\n", w.c_str());
    // Provenance: how the checkpoint was made, with a content hash of every input.
    auto provenance = nlohmann::ordered_json::parse(merged.provenanceJson());
    const auto hashes = contentHashes(sources, cluster::world());
    for (std::size_t i = 0; i < sources.size(); ++i) {
      const bool isBase = recipe.base && i == 0;
      auto& slot = isBase ? provenance["base_hash"] : provenance["inputs"][i - (recipe.base ? 1 : 0)]["hash"];
      slot = hashes[i];
    }
    options.metadata = {{"merganser_recipe", provenance.dump()}, {"merge_method", recipe.method}};
    options.hfConfigFrom = hfConfig.get();
    options.tokenizer = &merged.tokenizerFiles();
    if (!out.empty() && !hfConfig && !merged.tokenizerFiles().write.empty())
      std::fprintf(stderr,
                   "warning: the output is not a Hugging Face folder; tokenizer files are not written\n");
    options.progress = [&](const engine::Progress& p) { progress.update(p); };
    engine::ExportReport report;
    // Under mpirun/srun every rank computes a part of the tensors (weights/rank_export.h).
    options.ranks = &cluster::world();
    if (!out.empty()) report = engine::exportWeights(merged, out, options);
    progress.finish();
    std::optional<engine::MergedAdapterReport> adapterReport;
    if (!args.value("--adapter-out").empty() && cluster::world().isRoot()) // one writer, not one per rank
      adapterReport = engine::writeMergedAdapter(merged, args.value("--adapter-out"), adapterRank);
    // What the method's kernel reported while computing the tensors, once each (not once per tensor).
    auto warnings = merged.warnings();
    for (const auto& w : merged.kernelWarnings()) {
      std::fprintf(stderr, "warning: %s\n", w.c_str());
      warnings.push_back(w);
    }
    if (args.flag("--json")) {
      nlohmann::ordered_json j;
      j["output"] = out;
      j["method"] = recipe.method;
      j["tensors"] = report.tensors;
      j["bytes"] = report.bytes;
      j["seconds"] = report.seconds;
      j["files"] = report.files;
      j["warnings"] = warnings;
      auto nonFinite = nlohmann::ordered_json::array();
      for (const auto& n : report.nonFinite)
        nonFinite.push_back({{"tensor", n.name}, {"count", n.count}});
      j["non_finite"] = nonFinite;
      j["provenance"] = provenance;
      if (adapterReport) {
        j["adapter"] = {{"output", args.value("--adapter-out")},
                        {"exact", adapterReport->exact},
                        {"modules", adapterReport->modules.modules.size()},
                        {"max_relative_error", adapterReport->modules.maxRelativeError()}};
      }
      std::printf("%s\n", j.dump(2).c_str());
    } else {
      if (!out.empty())
        std::printf("wrote %s: %llu tensors, %s in %.1f s\n", out.c_str(),
                    static_cast<unsigned long long>(report.tensors), humanBytes(report.bytes).c_str(),
                    report.seconds);
      if (adapterReport)
        std::printf("wrote adapter %s: %zu modules, %s\n", args.value("--adapter-out").c_str(),
                    adapterReport->modules.modules.size(),
                    adapterReport->exact ? "exact (concatenated factors)"
                                         : ("max relative Frobenius error " +
                                            std::to_string(adapterReport->modules.maxRelativeError()))
                                               .c_str());
      for (const auto& n : report.nonFinite)
        std::printf("warning: %s holds %llu non-finite values\n", n.name.c_str(),
                    static_cast<unsigned long long>(n.count));
    }
    return kExitOk;
  } catch (const io::IoError& e) {
    progress.finish();
    std::fprintf(stderr, "%s\n", e.what());
    return kExitBadInput;
  } catch (const std::invalid_argument& e) {
    progress.finish();
    std::fprintf(stderr, "merganser-cli merge: %s\n", e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    progress.finish();
    std::fprintf(stderr, "merganser-cli merge: %s\n", e.what());
    return kExitFailure;
  }
}

} // namespace mg::cli
