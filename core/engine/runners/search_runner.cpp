// The Search node: coefficient search over the merge node upstream of an Evaluate node. Greedy soup and
// CMA-ES score each candidate by running the graph up to the Evaluate node on each task's validation
// examples (the executor's cache keeps what a candidate does not change); AdaMerging learns task
// arithmetic's coefficients from the validation inputs' predictions alone (a classifier's, or a language
// model's next-token predictions on text tasks). The winner is then scored once on
// the test examples, and handed on (NodeOutputs::searchWinners) to be added to the graph.
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <stdexcept>

#include "cluster/communicator.h"
#include "engine/result_labels.h"
#include "engine/node_runner.h"
#include "engine/runners/language_model_access.h"
#include "engine/runners/builtin_runners.h"
#include "engine/runners/scores_of.h"
#include "engine/value_access.h"
#include "eval/classifier.h"
#include "graph/builtin_node_types.h"
#include "graph/cache_key.h"
#include "graph/search_plan.h"
#include "io/hf_model_folder.h"
#include "io/task_file.h"
#include "lm_eval/lm_statistics.h"
#include "io/text_task_file.h"
#include "lm_eval/unlabelled_positions.h"
#include "search/adamerging.h"
#include "search/coefficient_search.h"
#include "search/lm_adamerging.h"
#include "search/search_journal.h"
#include "util/percent_text.h"

namespace mg::engine {

namespace {

std::string numbers(const std::vector<double>& values) {
  std::string text;
  for (const double v : values) {
    char number[32];
    std::snprintf(number, sizeof number, "%s%.3g", text.empty() ? "" : ", ", v);
    text += number;
  }
  return text;
}

// The journal of a search: its file when the node names one, else one kept in memory for the session under
// the search's identity (its cache key with the budget left out, so a raised budget resumes too).
std::shared_ptr<search::SearchJournal> journalFor(const NodeRunContext& context) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<search::SearchJournal>> journals;
  const std::string path = context.paramText("journal");
  std::string key = path;
  if (key.empty()) {
    graph::Document identity(context.document);
    identity.setParam(context.node, "budget", std::int64_t(1));
    key = "session:" + graph::cacheKeyText(graph::cacheKey(identity, context.node));
  }
  std::lock_guard lock(mutex);
  auto& journal = journals[key];
  if (!journal)
    journal = path.empty() ? std::make_shared<search::SearchJournal>()
                           : std::make_shared<search::SearchJournal>(path);
  return journal;
}

// Under mpirun every rank runs the search (each candidate's examples divided among them): every rank reads
// the journal before the root appends to it, or a rank that read one more line would replay a candidate the
// others evaluate together, and they would wait for it forever. Only the root appends.
std::shared_ptr<search::SearchJournal> journalOnRanks(NodeRunContext& context) {
  if (!context.ranks || !context.ranks->spread()) return journalFor(context);
  std::shared_ptr<search::SearchJournal> journal;
  cluster::agreeOn(*context.ranks, [&]() { journal = journalFor(context); });
  if (!context.ranks->isRoot()) journal->stopAppending();
  return journal;
}

struct SearchRun {
  NodeRunContext& context;
  graph::SearchPlan plan;
  graph::Document validation; // the document with the Evaluate node on the validation examples
  std::shared_ptr<search::SearchJournal> journal;
  int budget = 0;
  int replayed = 0;
  ScatterValue trace;
  MatrixValue table;

  // Splits a point into weights and densities.
  std::pair<std::vector<double>, std::vector<double>> split(const std::vector<double>& point) const {
    std::vector<double> weights(point.begin(), point.begin() + std::ptrdiff_t(plan.inputs));
    std::vector<double> densities(point.begin() + std::ptrdiff_t(plan.inputs), point.end());
    return {weights, densities};
  }

  ScoresValue runScored(const graph::Document& document, const std::string& step) {
    const NodeOutputs result = context.runUpstream(
        document, plan.scored,
        [&](double, const std::string& what) {
          context.progress(-1, step + (what.empty() ? "" : ": " + what));
        },
        context.ranks); // every rank runs every candidate, each scoring a part of the examples
    return scoresOf(result, step);
  }

  double score(const std::vector<double>& point, int index) {
    const auto [weights, densities] = split(point);
    const std::string key = search::SearchJournal::key({{"weights", weights}, {"density", densities}});
    if (const auto known = journal->find(key)) {
      ++replayed;
      return *known;
    }
    const std::string step = "candidate " + std::to_string(index + 1) + " of " + std::to_string(budget);
    const double value =
        meanAccuracy(runScored(graph::searchCandidate(validation, plan, weights, densities), step));
    journal->record(key, value);
    return value;
  }

  void show(const search::Candidate& latest, const search::Candidate& best) {
    const auto [weights, densities] = split(latest.point);
    std::string label = "#" + std::to_string(latest.index + 1) + " weights " + numbers(weights);
    if (!densities.empty()) label += "; densities " + numbers(densities);
    trace.points.push_back({label, double(latest.index + 1), latest.score * 100, {plan.target}});
    std::vector<double> row = latest.point;
    row.push_back(latest.score * 100);
    table.rows.push_back("#" + std::to_string(latest.index + 1) + " " + latest.note);
    table.rowNodes.push_back(plan.target);
    table.values.push_back(std::move(row));
    context.progress(double(latest.index + 1) / double(std::max(budget, 1)),
                     "candidate " + std::to_string(latest.index + 1) + ": " +
                         util::percentText(latest.score) + ", best " + util::percentText(best.score));
    if (context.publish) {
      NodeOutputs partial;
      partial.scatters.push_back(trace);
      partial.matrices.push_back(table);
      context.publish(partial);
    }
  }
};

const io::TaskData* firstTaskOf(const std::vector<io::TaskData>& tasks) {
  return tasks.empty() ? nullptr : &tasks.front();
}

// The scored Evaluate node's tasks (the Search node's 'validation' tasks when connected).
TasksValue evaluatedTasks(NodeRunContext& context, const graph::SearchPlan& plan) {
  const auto source = plan.validationTasks ? plan.validationTasks : context.document.source({plan.scored, 1});
  if (!source) throw std::runtime_error("the Evaluate node has no tasks connected");
  const NodeOutputs outputs = context.runUpstream(context.document, source->node, {}, context.ranks);
  const auto* tasks = std::get_if<TasksValue>(&outputs.values.at(source->port));
  if (!tasks || (tasks->textTasks ? tasks->textTasks->empty() : !firstTaskOf(*tasks->tasks)))
    throw std::runtime_error("the Evaluate node's tasks are empty");
  return *tasks;
}

// The unlabelled validation inputs of classifier tasks.
std::vector<search::UnlabelledTask> validationInputs(const TasksValue& tasks, const graph::SearchPlan& plan) {
  std::vector<search::UnlabelledTask> out;
  for (const auto& task : *tasks.tasks) {
    const std::int64_t n = std::min(task.size(), plan.validationExamples);
    const std::int64_t example = task.size() ? std::int64_t(task.inputs.size()) / task.size() : 0;
    search::UnlabelledTask unlabelled;
    unlabelled.name = task.name;
    unlabelled.shape = task.inputShape;
    unlabelled.shape.front() = n;
    unlabelled.inputs.assign(task.inputs.begin(), task.inputs.begin() + n * example);
    out.push_back(std::move(unlabelled));
  }
  return out;
}

// AdaMerging on text tasks: the base's language model, loaded writable (each step writes its merge into
// it), reads the validation examples' unlabelled positions (lm_eval/unlabelled_positions.h).
search::AdaMergingResult adaMergeText(NodeRunContext& context, const graph::SearchPlan& plan,
                                      const ModelValue& base, const std::vector<WeightSetPtr>& models,
                                      const TasksValue& tasks, const search::AdaMergingOptions& options) {
  const auto language = loadLanguageModel(context, base, "base", {}, true);
  const auto window = lm_eval::statisticsWindow(*language.model);
  std::vector<search::UnlabelledTextTask> texts;
  for (const auto& task : *tasks.textTasks)
    texts.push_back({task.name, lm_eval::unlabelledPositions(
                                    task, *language.tokenizer,
                                    std::max<std::int64_t>(1, plan.validationExamples), window)});
  return search::adaMergeLanguageModel(base.weights, models, texts, *language.model, options);
}

// "models 2: weight@^layers\.0\.weight$=0.41; ..." for AdaMerging's per-tensor coefficients.
std::string layerRules(const search::AdaMergingResult& result) {
  static const std::regex special(R"([.^$|()\[\]{}*+?\\])");
  std::string rules = "lambda=1";
  for (std::size_t i = 0; i < result.coefficients.size(); ++i) {
    for (std::size_t t = 0; t < result.tensors.size(); ++t) {
      char value[32];
      std::snprintf(value, sizeof value, "%.6g", result.coefficients[i][t]);
      rules += "; models " + std::to_string(i + 1) + ": weight@^" +
               std::regex_replace(result.tensors[t], special, R"(\$&)") + "$=" + value;
    }
  }
  return rules;
}

// AdaMerging: the target's inputs as models, its base, and the classifier its Evaluate node would build.
SearchWinnerValue runAdaMerging(SearchRun& run) {
  auto& context = run.context;
  const auto& plan = run.plan;
  std::map<std::size_t, NodeValue> values;
  for (const auto& edge : context.document.edgesInto(plan.target)) {
    const NodeOutputs outputs = context.runUpstream(context.document, edge.from.node, {}, context.ranks);
    values[edge.to.port] = outputs.values.at(edge.from.port);
  }
  const NodeValue& base = values[0];
  const auto* baseModel = std::get_if<ModelValue>(&base);
  if (!baseModel) throw std::runtime_error("AdaMerging needs the merge node's base to be a model");
  std::vector<WeightSetPtr> models;
  for (std::size_t i = 0; i < plan.inputs; ++i)
    models.push_back(modelWeights(context, values[1 + i], base, "models " + std::to_string(i + 1)));

  search::AdaMergingOptions options;
  options.granularity =
      context.paramText("granularity") == "task" ? search::Granularity::Task : search::Granularity::Layer;
  options.steps = int(context.param("budget").get<std::int64_t>());
  options.seed = std::uint64_t(context.param("seed").get<std::int64_t>());
  options.learningRate = context.param("learning_rate").get<double>();
  options.initial = context.param("initial_coefficient").get<double>();
  options.cancel = context.cancel;
  options.progress = [&](int step, double entropy) {
    run.trace.points.push_back({"step " + std::to_string(step), double(step), entropy, {plan.target}});
    context.progress(double(step) / options.steps, "step " + std::to_string(step) + " of " +
                                                       std::to_string(options.steps) + ": entropy " +
                                                       std::to_string(entropy));
    if (context.publish && (step % 5 == 0 || step == options.steps)) {
      NodeOutputs partial;
      partial.scatters.push_back(run.trace);
      context.publish(partial);
    }
  };
  run.trace.yLabel = labels::kEntropyY;
  run.trace.xLabel = labels::kEntropyX;
  run.trace.kind = "search_entropy";
  run.trace.title = labels::kEntropyTitle;
  const auto config = baseModel->config;
  const TasksValue tasks = evaluatedTasks(context, plan);
  const auto result =
      tasks.textTasks
          ? adaMergeText(context, plan, *baseModel, models, tasks, options)
          : search::adaMerge(
                baseModel->weights, models, validationInputs(tasks, plan),
                [&](const WeightSetPtr& weights) { return eval::loadClassifier(*weights, config.get()); },
                options);

  SearchWinnerValue winner;
  winner.target = plan.target;
  for (const auto& row : result.coefficients) {
    double sum = 0;
    for (const double v : row)
      sum += v;
    winner.weights.push_back(row.empty() ? 0.0 : sum / double(row.size()));
  }
  if (options.granularity == search::Granularity::Layer)
    winner.rules = layerRules(result);
  else
    winner.rules = "lambda=1";
  winner.validation = meanAccuracy(run.runScored(
      graph::searchCandidate(run.validation, plan, winner.weights, {}, winner.rules), "validation"));
  return winner;
}

NodeOutputs runSearch(NodeRunContext& context) {
  const graph::SearchPlan plan = graph::planSearch(context.document, context.node);
  if (!plan.ok()) throw std::runtime_error(plan.error);
  if (plan.target == graph::kNoNode) throw std::runtime_error("connect 'scores' to an Evaluate node");
  if (!context.runUpstream)
    throw std::logic_error("the executor gave the Search node no way to run candidates");

  SearchRun run{
      context, plan, graph::validationDocument(context.document, plan), journalOnRanks(context), 0, 0,
      {},      {}};
  run.budget = int(context.param("budget").get<std::int64_t>());
  const std::string algorithm = context.paramText("algorithm");
  const std::string targetName = context.document.at(plan.target).title;
  run.trace.kind = "search";
  run.trace.title =
      "Search (" + algorithm + ") of '" + targetName + "': validation accuracy of each candidate";
  run.trace.xLabel = labels::kSearchX;
  run.trace.yLabel = labels::kSearchY;
  run.table.kind = "search";
  run.table.title = "Search candidates of '" + targetName + "'";
  run.table.note =
      "One row per candidate, in the order evaluated: its coefficients and mean validation accuracy";
  for (std::size_t i = 0; i < plan.inputs; ++i)
    run.table.columns.push_back("weight " + std::to_string(i + 1));
  if (plan.searchDensity)
    for (std::size_t i = 0; i < plan.inputs; ++i)
      run.table.columns.push_back("density " + std::to_string(i + 1));
  run.table.columns.push_back("validation %");

  SearchWinnerValue winner;
  std::size_t evaluated = 0;
  const auto objective = [&](const std::vector<double>& point) { return run.score(point, int(evaluated++)); };
  const auto listener = [&](const search::Candidate& latest, const search::Candidate& best) {
    run.show(latest, best);
  };
  std::vector<search::Candidate> candidates;
  if (plan.algorithm == graph::SearchAlgorithm::AdaMerging) {
    winner = runAdaMerging(run);
  } else {
    if (plan.algorithm == graph::SearchAlgorithm::GreedySoup) {
      run.budget = int(2 * plan.inputs - 1);
      candidates = search::greedySoup(int(plan.inputs), objective, listener);
    } else {
      search::SearchBox box;
      const double low = context.param("weight_min").get<double>();
      const double high = context.param("weight_max").get<double>();
      box.start = plan.startWeights;
      box.lower.assign(plan.inputs, low);
      box.upper.assign(plan.inputs, high);
      if (plan.searchDensity) {
        box.start.insert(box.start.end(), plan.inputs, plan.startDensity);
        box.lower.insert(box.lower.end(), plan.inputs, 0.05);
        box.upper.insert(box.upper.end(), plan.inputs, 1.0);
      }
      candidates = search::cmaesSearch(
          box, run.budget, std::uint64_t(context.param("seed").get<std::int64_t>()), objective, listener);
    }
    const auto& best = search::bestCandidate(candidates);
    std::tie(winner.weights, winner.densities) = run.split(best.point);
    winner.target = plan.target;
    winner.validation = best.score;
  }

  // The test examples score the winner only.
  const graph::Document test = graph::testDocument(
      graph::searchCandidate(context.document, plan, winner.weights, winner.densities, winner.rules), plan);
  ScoresValue testScores = run.runScored(test, "testing the winner");
  winner.test = meanAccuracy(testScores);
  winner.producer = context.node;
  testScores.model = targetName + " (searched)";
  testScores.modelNode = plan.target;

  NodeOutputs out;
  const std::string split =
      plan.validationTasks ? "validation: at most " + std::to_string(plan.validationExamples) +
                                 " examples of each task on 'validation', test: the Evaluate node's tasks"
                           : "validation: each task's first " + std::to_string(plan.validationExamples) +
                                 " examples, test: the rest";
  out.facts.push_back(algorithm + " over the " + std::to_string(plan.inputs) + " models of '" + targetName +
                      "' (node " + std::to_string(plan.target) + "), " + split);
  if (!candidates.empty())
    out.facts.push_back(std::to_string(candidates.size()) + " candidates evaluated (" +
                        std::to_string(run.replayed) + " from the journal)");
  out.facts.push_back(
      "winner: weights " + numbers(winner.weights) +
      (winner.densities.empty() ? "" : "; densities " + numbers(winner.densities)) +
      (winner.rules.empty() || winner.rules == "lambda=1" ? "" : "; per-tensor weights in rules"));
  out.facts.push_back("validation " + util::percentText(winner.validation) + ", test " +
                      util::percentText(winner.test));
  out.results.push_back(testScores);
  out.scatters.push_back(run.trace);
  if (!run.table.rows.empty()) out.matrices.push_back(run.table);
  out.searchWinners.push_back(std::move(winner));
  return out;
}

} // namespace

void registerSearchRunner(NodeRunnerRegistry& registry) {
  registry.add(graph::node_types::kSearch, runSearch);
}

} // namespace mg::engine
