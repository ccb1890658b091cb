#include "graph/builtin_node_types.h"

#include <stdexcept>

#include "graph/document.h"
#include "graph/node_type_builders.h"
#include "graph/node_type_registry.h"
#include "graph/search_plan.h"
#include "graph/sweep_plan.h"
#include "graph/validation.h"
#include "io/safetensors_writer.h"

namespace mg::graph {

namespace {

using namespace build;
using namespace node_types;

constexpr auto kModel = PortType::Model;
constexpr auto kAdapter = PortType::Adapter;
constexpr auto kDelta = PortType::Delta;

// How many values a parameter embedding has: a seeded sketch is cheap for hundreds of large adapters but its
// cosines carry sampling noise (about ±0.03 at 1024); exact task vectors suit small models.
ParamDef sketchParam() {
  return number("sketch", ParamKind::Int, 1024, 0, 1 << 20,
                "Values per parameter embedding (a seeded random sketch of each task vector); 0: the exact "
                "task vectors, for small models");
}

void registerSources(NodeTypeRegistry& registry) {
  auto model = type(kSourceModel, "Model", "Sources",
                    "A checkpoint: a .safetensors file, a sharded or Hugging Face model folder, or an HDF5 "
                    "checkpoint");
  model.outputs = {output("model", kModel)};
  model.params = {path(PathUse::Read, "The checkpoint file or model folder")};
  model.shapes = ShapeRule::Source;
  registry.registerType(std::move(model));

  auto adapter = type(kSourceAdapter, "LoRA adapter", "Sources",
                      "A PEFT LoRA adapter folder. On a model input it stands for its base plus its delta: "
                      "connect the base it was trained on to that node's 'base'");
  adapter.outputs = {output("adapter", kAdapter)};
  adapter.params = {path(PathUse::ReadFolder, "The adapter folder (adapter_config.json + weights)")};
  adapter.shapes = ShapeRule::Source;
  registry.registerType(std::move(adapter));

  auto tasks =
      type(kSourceTasks, "Tasks", "Sources",
           "Evaluation data: an HDF5 task file or a folder of them; or text tasks for language models, a "
           "JSON Lines file (.jsonl) or a folder of them");
  tasks.outputs = {output("tasks", PortType::Tasks)};
  tasks.params = {path(PathUse::Read, "The task file or folder")};
  registry.registerType(std::move(tasks));
}

void registerLoraOperations(NodeTypeRegistry& registry) {
  auto cat =
      type(kLoraCat, "Concatenate adapters", "LoRA",
           "The exact weighted sum of LoRA adapters as one adapter whose rank is the sum of theirs; of "
           "IA³ adapters, PEFT's weighted merge (each module's vectors summed with the weights)");
  cat.inputs = {group("adapters", kAdapter, "Adapters of one base model", true)};
  cat.outputs = {output("adapter", kAdapter)};
  registry.registerType(std::move(cat));

  auto svd =
      type(kLoraSvd, "SVD to LoRA", "LoRA",
           "Truncated SVD of a delta (or of a high-rank adapter) to an adapter of at most the given rank");
  svd.inputs = {input("delta", kDelta, "A task vector or an adapter")};
  svd.outputs = {output("adapter", kAdapter)};
  svd.params = {number("rank", ParamKind::Int, 16, 1, 65536, "Largest rank per module")};
  registry.registerType(std::move(svd));

  auto extract =
      type(kLoraExtract, "Extract LoRA", "LoRA",
           "The difference of a fine-tune from its base as a LoRA adapter (truncated SVD per weight "
           "matrix; changed biases and norms are kept whole)");
  extract.inputs = {input("base", kModel, "The base model"), input("model", kModel, "The fine-tuned model")};
  extract.outputs = {output("adapter", kAdapter)};
  extract.params = {number("max_rank", ParamKind::Int, 16, 1, 65536, "Largest rank per module"),
                    number("epsilon", ParamKind::Real, 1e-6, 0.0, std::nullopt,
                           "Singular values at or below this are dropped")};
  extract.shapes = ShapeRule::Common;
  registry.registerType(std::move(extract));

  // A merge of LoRA adapters kept an adapter (KnOTS: its joint basis; task arithmetic / linear: exact
  // concatenation; any other method: truncated SVD of merge − base at `rank`).
  auto merged = type(kLoraMerged, "Merge as LoRA", "LoRA",
                     "The result of a merge node as a LoRA adapter on its base: exact for KnOTS and for task "
                     "arithmetic or linear merges of adapters, else a truncated SVD of its change at 'rank'");
  merged.inputs = {input("model", kModel, "A merge node's output")};
  merged.outputs = {output("adapter", kAdapter)};
  merged.params = {number("rank", ParamKind::Int, 0, 0, 65536,
                          "Largest rank per module when the merge is not low-rank by construction (truncated "
                          "SVD); 0: only exact results are accepted")};
  registry.registerType(std::move(merged));
}

void registerOperators(NodeTypeRegistry& registry) {
  auto scale = type(kScale, "Scale", "Operators", "A task vector multiplied by a factor");
  scale.inputs = {input("delta", kDelta, "A task vector or an adapter")};
  scale.outputs = {output("delta", kDelta)};
  scale.params = {number("factor", ParamKind::Real, 1.0, std::nullopt, std::nullopt, "The multiplier")};
  scale.shapes = ShapeRule::Common;
  registry.registerType(std::move(scale));

  auto add = type(kAddDelta, "Add deltas", "Operators", "The base plus the weighted sum of task vectors");
  add.inputs = {input("base", kModel, "The model the deltas are added to"),
                group("deltas", kDelta, "Task vectors or adapters of the base", true)};
  add.outputs = {output("model", kModel)};
  add.shapes = ShapeRule::Common;
  registry.registerType(std::move(add));

  auto subtract = type(kSubtract, "Subtract", "Operators", "The task vector of a model: model − base");
  subtract.inputs = {input("base", kModel, "The base model"),
                     input("model", kModel, "A model fine-tuned from the base (or an adapter of it)")};
  subtract.outputs = {output("delta", kDelta)};
  subtract.shapes = ShapeRule::Common;
  registry.registerType(std::move(subtract));
}

MaybeError checkByteSize(const ParamValue& value) {
  try {
    io::parseByteSize(value.get<std::string>());
    return std::nullopt;
  } catch (const std::exception& error) {
    return std::string("is not a size (5GB, 500MB, 1.5GiB or bytes): ") + error.what();
  }
}

void registerSinks(NodeTypeRegistry& registry) {
  auto exporter =
      type(kExport, "Export", "Sinks",
           "Writes a model: *.safetensors, *.h5, or a folder (sharded; a Hugging Face folder when "
           "the base is one). An adapter without a base is written as an adapter folder");
  exporter.inputs = {input("model", kModel, "The model (or adapter) to write"),
                     input("base", kModel, "The base an adapter on 'model' is applied to", true)};
  exporter.params = {path(PathUse::Write, "Where to write: a .safetensors or .h5 file, or a folder"),
                     choice("dtype", {"auto", "f32", "bf16", "f16"},
                            "Cast floating tensors to this type; auto keeps each tensor's own"),
                     param("shard_size", ParamKind::Text, "5GB", "Largest shard of a folder export"),
                     param("allow_non_finite", ParamKind::Bool, false,
                           "Write even if some values are NaN or infinite (otherwise nothing is written)")};
  exporter.params[2].check = checkByteSize;
  exporter.sink = true;
  exporter.takesBareAdapters = true;
  exporter.shapes = ShapeRule::Common;
  registry.registerType(std::move(exporter));

  auto evaluate = type(kEvaluate, "Evaluate", "Sinks", "Per-task accuracy and loss of a model on task data");
  evaluate.inputs = {input("model", kModel, "The model (or adapter) to evaluate"),
                     input("tasks", PortType::Tasks, "The task data"),
                     input("base", kModel, "The base an adapter on 'model' is applied to", true)};
  evaluate.outputs = {output("scores", PortType::Scores)};
  evaluate.params = {number("batch_size", ParamKind::Int, 256, 1, 65536,
                            "Examples per batch (language models: at most 8 sequences)"),
                     param("torchscript", ParamKind::Path, "",
                           "A TorchScript archive of the model (its parameters are taken from the model "
                           "input); empty: a built-in architecture, or the model.pt beside config.json"),
                     number("first_example", ParamKind::Int, 0, 0, std::nullopt,
                            "Skip each task's examples before this one (0-based)"),
                     number("max_examples", ParamKind::Int, 0, 0, std::nullopt,
                            "Evaluate at most this many examples of each task; 0: all from first_example")};
  evaluate.params[1].pathUse = PathUse::Read;
  evaluate.sink = true;
  evaluate.shapes = ShapeRule::Common;
  registry.registerType(std::move(evaluate));

  auto compare = type(kCompare, "Compare", "Sinks", "Per-task scores of several models side by side");
  compare.inputs = {group("scores", PortType::Scores, "Scores of the models compared", false)};
  compare.params = {choice("mode", {"absolute", "normalized"},
                           "Absolute accuracy, or normalized by each task's specialist")};
  compare.sink = true;
  registry.registerType(std::move(compare));

  auto sweep =
      type(kSweep, "Sweep", "Sinks",
           "Per-task accuracy as one parameter (lambda, density, t) of a node upstream of an Evaluate "
           "node varies over a range: the graph up to the Evaluate node runs once per value");
  sweep.inputs = {input("scores", PortType::Scores, "The scores of an Evaluate node")};
  sweep.params = {
      param("parameter", ParamKind::Text, "lambda", "The parameter to vary"),
      number("from", ParamKind::Real, 0.0, std::nullopt, std::nullopt, "The first value"),
      number("to", ParamKind::Real, 1.0, std::nullopt, std::nullopt, "The last value"),
      number("steps", ParamKind::Int, 5, 2, 1000, "How many values, evenly spaced, ends included"),
      param("node", ParamKind::Text, "",
            "The title of the node whose parameter varies; empty: the nearest one upstream of "
            "the Evaluate node that has the parameter")};
  sweep.params[0].required = true;
  sweep.check = [](const Document& document, NodeId id, std::vector<Issue>& issues) {
    const SweepPlan plan = planSweep(document, id);
    if (!plan.ok()) issues.push_back({id, Severity::Error, plan.error, std::nullopt, plan.errorParam});
  };
  sweep.sink = true;
  registry.registerType(std::move(sweep));

  auto search = type(kSearch, "Search", "Sinks",
                     "Searches the weights of the merge node upstream of an Evaluate node (greedy soup, "
                     "CMA-ES or AdaMerging) on each task's first examples, reports the winner's score on "
                     "the rest and can add the winner to the graph as a merge node");
  search.inputs = {input("scores", PortType::Scores, "The scores of an Evaluate node fed by a merge node"),
                   input("validation", PortType::Tasks,
                         "Task data that scores the candidates (the Evaluate node's tasks then test the "
                         "winner only); unconnected: each task's first validation_examples",
                         true)};
  search.params = {
      choice("algorithm", searchAlgorithmNames(),
             "cmaes: CMA-ES over the weights (and densities); greedy_soup: add models best first while "
             "validation does not drop; adamerging: task arithmetic's coefficients by entropy minimization "
             "on unlabelled inputs"),
      param("node", ParamKind::Text, "",
            "The title of the merge node searched; empty: the nearest merge node upstream of the Evaluate "
            "node"),
      number("budget", ParamKind::Int, 30, 1, 100000,
             "Evaluations for CMA-ES, steps for AdaMerging (a greedy soup takes 2n - 1)"),
      number("validation_examples", ParamKind::Int, 200, 1, std::nullopt,
             "Each task's first examples, which score candidates; the rest test the winner only"),
      number("weight_min", ParamKind::Real, 0.0, std::nullopt, std::nullopt, "CMA-ES: the smallest weight"),
      number("weight_max", ParamKind::Real, 1.0, std::nullopt, std::nullopt, "CMA-ES: the largest weight"),
      param("search_density", ParamKind::Bool, false,
            "CMA-ES: also search one density per model (methods with a density)"),
      choice("granularity", {"layer", "task"},
             "AdaMerging: one coefficient per model and tensor (layer) or per model (task)"),
      number("learning_rate", ParamKind::Real, 0.001, 1e-6, 10.0,
             "AdaMerging: Adam's step size (the paper's 0.001 for 500 steps; larger for fewer steps)"),
      number("initial_coefficient", ParamKind::Real, 0.3, 0.0, 1.0,
             "AdaMerging: every coefficient's start (the paper's 0.3)"),
      number("seed", ParamKind::Int, 0, 0, std::nullopt, "Seeds CMA-ES's samples and AdaMerging's batches"),
      param("journal", ParamKind::Path, "",
            "A file keeping every score, so that a stopped or extended search resumes without evaluating "
            "again; empty: kept for this session")};
  search.params.back().pathUse = PathUse::Write;
  search.check = [](const Document& document, NodeId id, std::vector<Issue>& issues) {
    const SearchPlan plan = planSearch(document, id);
    if (!plan.ok()) issues.push_back({id, Severity::Error, plan.error, std::nullopt, plan.errorParam});
    const auto* low = document.param(id, "weight_min");
    const auto* high = document.param(id, "weight_max");
    if (low && high && low->is_number() && high->is_number() && !(low->get<double>() < high->get<double>()))
      issues.push_back(
          {id, Severity::Error, "weight_min must be below weight_max", std::nullopt, "weight_max"});
  };
  search.sink = true;
  registry.registerType(std::move(search));

  auto interference =
      type(kInterference, "Interference", "Sinks",
           "How far each specialist moves the base model's features on every task's inputs: why a merge "
           "of specialists loses accuracy");
  interference.inputs = {input("base", kModel, "The base model the specialists were made from"),
                         input("tasks", PortType::Tasks, "The tasks whose inputs are measured"),
                         group("items", kModel, "Specialists: adapters or fine-tunes of the base", false)};
  interference.params = {number("examples", ParamKind::Int, 1000, 1, 1000000, "Inputs measured per task")};
  interference.sink = true;
  interference.shapes = ShapeRule::Common;
  registry.registerType(std::move(interference));

  // The Fisher merge's statistics on their own (spec "fisher, regmean"): what each parameter's Fisher is, and
  // computed once into the statistics cache, from which every Fisher merge of these models reads them.
  auto fisher =
      type(kFisher, "Fisher information", "Operators",
           "Each model's diagonal Fisher information on its own task, summarised per tensor; its output "
           "feeds the 'statistics' input of Fisher merges of the same models (it is also kept in the "
           "statistics cache, where Fisher merges computing their own read it)");
  fisher.inputs = {input("base", kModel, "The base model the adapters among the models apply to", true),
                   input("tasks", PortType::Tasks,
                         "Each model's task data: the task named after the model, else one task per model in "
                         "order"),
                   group("items", kModel, "The models (or adapters of the base)", false)};
  fisher.params = {
      number("examples", ParamKind::Int, 256, 1, 10000000,
             "Inputs of each model's task the Fisher is estimated on (as a Fisher merge's examples)")};
  fisher.outputs = {output("fisher", PortType::Statistics)};
  fisher.sink = true; // it runs on its own too: its facts are the inspection
  registry.registerType(std::move(fisher));

  auto map = type(kEmbeddingMap, "Embedding map", "Sinks",
                  "Task embeddings of models and adapters, their similarities and a 2-D map");
  map.inputs = {input("base", kModel, "The base model, for Fisher and data embeddings", true),
                input("tasks", PortType::Tasks, "Task data, for Fisher and data embeddings", true),
                group("items", kModel, "Models and adapters to embed", false)};
  map.outputs = {output("embeddings", PortType::Embeddings)};
  map.params = {choice("kind", {"param", "fisher", "data"},
                       "param: the task vectors themselves; fisher: Task2Vec on the tasks; data: mean "
                       "representations of the tasks' inputs"),
                choice("projection", {"pca", "mds", "tsne"}, "How the embeddings are drawn in 2-D"),
                sketchParam(),
                number("seed", ParamKind::Int, 0, 0.0, std::nullopt, "Seed of random sketches and t-SNE")};
  // Kind param embeds the items; fisher and data embed the tasks, probed with the base.
  map.inputs[2].optional = true;
  map.check = [](const Document& document, NodeId id, std::vector<Issue>& issues) {
    const auto* kind = document.param(id, "kind");
    const std::string name = kind && kind->is_string() ? kind->get<std::string>() : "param";
    if (name == "param" && document.variadicConnected(id) == 0)
      issues.push_back({id,
                        Severity::Error,
                        "kind param embeds the items: connect adapters or models to 'items'",
                        std::size_t(2),
                        {}});
    if (name != "param" && (!document.source({id, 0}) || !document.source({id, 1})))
      issues.push_back(
          {id,
           Severity::Error,
           "kind " + name + " embeds the tasks, probed with the base: connect 'base' and 'tasks'",
           std::size_t(document.source({id, 0}) ? 1 : 0),
           {}});
  };
  map.sink = true;
  map.takesBareAdapters = true;
  registry.registerType(std::move(map));

  auto gain = type(kMergeGain, "Merge gain", "Sinks",
                   "For every pair of specialists: how alike their task vectors are (cosine) against what "
                   "merging the two costs on their own tasks (merged accuracy minus the specialist's, in "
                   "points). Each specialist's task is the one its name is or ends with ('LoRA rotate': "
                   "rotate)");
  gain.inputs = {
      input("base", kModel, "The base model the specialists were made from"),
      input("tasks", PortType::Tasks, "The tasks the specialists are named after"),
      group("specialists", kModel, "Adapters, task vectors or fine-tunes of the base, at least two", false)};
  // Each specialist enters the pair merge with weight 1/2, so at λ = 1 every method merges to the mean of
  // the two task vectors (methods that normalize divide by the weights' sum, the others scale by them). Two
  // copies of one specialist then merge to that specialist: gain 0 at similarity 1 is the plot's reference,
  // and a pair merge is the two-task case of simple averaging. λ = 2 adds both task vectors whole.
  auto lambda = mergeParam("lambda");
  lambda.help = "Scale of the merged task vector: 1 merges to the pair's mean, 2 to their sum";
  auto density = mergeParam("density");
  density.help = "Fraction of each task vector kept by the sparsifying methods (ties, dare, ...)";
  gain.params = {choice("method", pairMergeMethods(), "How each pair is merged (methods that need no data)"),
                 lambda,
                 density,
                 mergeParam("seed"),
                 sketchParam(),
                 number("examples", ParamKind::Int, 1000, 1, 1000000, "Inputs evaluated per task")};
  gain.check = [](const Document& document, NodeId id, std::vector<Issue>& issues) {
    if (document.variadicConnected(id) == 1)
      issues.push_back({id, Severity::Error, "a pair needs two specialists: connect another to 'specialists'",
                        std::size_t(3), std::string()});
  };
  gain.sink = true;
  gain.shapes = ShapeRule::Common;
  registry.registerType(std::move(gain));
}

// Routing among specialists (core/route): the node evaluates the routed model on its tasks itself and
// outputs scores, so a Compare node charts it beside merges and specialists. A routed model is not a weight
// set (its weights differ per input), so it cannot flow along a Model edge.
void registerRouting(NodeTypeRegistry& registry) {
  auto router =
      type(kRouter, "Router", "Sinks",
           "Routes each input among LoRA specialists of a base model (nearest task embedding, Arrow, a "
           "trained router or SMEAR) and scores the routed model per task, with how often each task's own "
           "specialist was chosen; on text tasks a language model's adapters, routed per example on the "
           "base's mean hidden state of its context, prompt or text (Arrow: classifiers only)");
  router.inputs = {input("base", kModel, "The base model the adapters were trained on"),
                   input("tasks", PortType::Tasks,
                         "Task data to score on; without 'fit', nearest, trained and smear also fit on the "
                         "first examples of the tasks named after the adapters"),
                   input("fit", PortType::Tasks,
                         "Task data nearest, trained and smear fit on (validation examples), so that the "
                         "scores on 'tasks' are of examples the router never saw",
                         true),
                   group("adapters", kAdapter, "The specialists, named by their folders", false)};
  router.outputs = {output("scores", PortType::Scores)};
  router.params = {
      choice("method", {"nearest", "arrow", "trained", "smear"},
             "nearest: cosine to each task's mean representation; arrow: data-free, top singular vectors "
             "of the adapters; trained: a linear router fitted on a few examples per task; smear: that "
             "router's probabilities average every adapter"),
      number("top_k", ParamKind::Int, 1, 0.0, 1024.0,
             "Adapters mixed per input (their updates weighted by a softmax); 0: all of them"),
      number("temperature", ParamKind::Real, 1.0, 1e-6, std::nullopt, "Of the softmax over the kept scores"),
      number("seed", ParamKind::Int, 0, 0.0, std::nullopt, "Seed of the trained router and of Arrow"),
      number("fit_examples", ParamKind::Int, 64, 0.0, std::nullopt,
             "Examples per task the nearest prototypes and the trained router see; 0: all"),
      choice("arrow_scores", {"per_layer", "summed"},
             "arrow: route at every adapted layer, or once per input on the layers' summed scores")};
  router.sink = true;
  registry.registerType(std::move(router));
}

} // namespace

void registerBuiltinNodeTypes(NodeTypeRegistry& registry) {
  registerSources(registry);
  registerMergeNodeTypes(registry);
  registerLoraOperations(registry);
  registerOperators(registry);
  registerSinks(registry);
  registerRouting(registry);
  registerTrainingNodeTypes(registry);
}

} // namespace mg::graph
