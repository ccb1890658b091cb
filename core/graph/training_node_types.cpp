// The Fine-tune node (issue 19): a specialist trained from a base on task data, in the graph, so what it
// makes flows straight into merges, routers and the task map. Its parameters mirror train::FineTuneOptions
// (core/train/fine_tune_options.h), which the engine's runner fills from them and checks as a whole.
#include <algorithm>

#include "graph/builtin_node_types.h"
#include "graph/document.h"
#include "graph/node_type_builders.h"
#include "graph/node_type_registry.h"
#include "graph/validation.h"

namespace mg::graph {

using namespace build;
using namespace node_types;

void registerTrainingNodeTypes(NodeTypeRegistry& registry) {
  auto tune =
      type(kFineTune, "Fine-tune", "Train",
           "Trains a specialist of the base on task data: a LoRA or IA³ adapter (PEFT layout), or chosen "
           "tensors of the base (a model), with AdamW on k examples per class or task, scored on "
           "held-apart validation examples as it trains");
  tune.inputs = {
      input("base", PortType::Model, "The model to fine-tune (a classifier or a causal language model)"),
      input("tasks", PortType::Tasks,
            "Training data: task files (classifiers) or text tasks (language models); validation "
            "examples are held apart from them"),
      input("adapter", PortType::Adapter, "An adapter of the same method to continue training", true)};
  tune.outputs = {
      output("adapter", PortType::Adapter, "The trained adapter (LoRA, IA³)"),
      output("model", PortType::Model, "The base with the adapter applied, or the fine-tuned model")};
  tune.params = {
      choice("method", {"lora", "ia3", "full"},
             "lora: low-rank updates; ia3: learned scaling vectors (T-Few); full: the chosen tensors "
             "themselves"),
      param(
          "tasks", ParamKind::Text, "",
          "The tasks to train on, comma-separated; empty: every task of the input (a multi-task specialist)"),
      number("rank", ParamKind::Int, 8, 1, 4096, "LoRA: the rank r of the update B·A"),
      number("alpha", ParamKind::Real, 16.0, 1e-9, std::nullopt, "LoRA: the update is scaled by alpha / r"),
      param("rslora", ParamKind::Bool, false, "LoRA: scale by alpha / √r instead (rank-stabilized LoRA)"),
      number("dropout", ParamKind::Real, 0.0, 0.0, 0.99,
             "LoRA: dropout on the update's input while training (language models)"),
      param("target_modules", ParamKind::Text, "",
            "Modules to adapt, comma-separated; a module matches when its name is an entry or ends with '.' "
            "and it; empty: the architecture's default (classifiers: the trunk; language models: q_proj, "
            "v_proj for LoRA, k_proj, v_proj, down_proj for IA³)"),
      param("target_regex", ParamKind::Text, "",
            "A regular expression over whole module names, used instead of target_modules"),
      param("feedforward_modules", ParamKind::Text, "",
            "IA³: target modules whose input rather than output is scaled; empty: down_proj (mlp.c_proj)"),
      param(
          "full_tensors", ParamKind::Text, "",
          "full: a regular expression over the tensor names that train; empty: the target modules' tensors"),
      number("examples", ParamKind::Int, 16, 0, std::nullopt,
             "k: training examples per class (or per task); 0: every example not held apart"),
      choice("example_unit", {"per_class", "per_task"}, "What 'examples' and 'validation_examples' count"),
      number(
          "validation_examples", ParamKind::Int, 16, 0, std::nullopt,
          "Examples per class (or task) held apart to score each checkpoint; 0: none, the last step is kept"),
      number("evaluate_every", ParamKind::Int, 10, 1, std::nullopt, "Steps between validation scores"),
      number("patience", ParamKind::Int, 0, 0, std::nullopt,
             "Stop after this many validations without improvement; 0: train every step"),
      choice(
          "loss", {"ce", "unlikelihood", "length_normalized", "tfew"},
          "Language models on multiple-choice tasks: cross-entropy on the answer, plus T-Few's unlikelihood "
          "on wrong choices, its length-normalized choice loss, or both (tfew)"),
      number("learning_rate", ParamKind::Real, 3e-3, 1e-9, 10.0, "AdamW's peak step size"),
      number("weight_decay", ParamKind::Real, 0.0, 0.0, std::nullopt, "AdamW's decoupled weight decay"),
      choice("schedule", {"cosine", "linear", "constant"}, "How the learning rate decays after the warm-up"),
      number("warmup_steps", ParamKind::Int, 0, 0, std::nullopt, "Steps of linear warm-up from 0"),
      number("batch_size", ParamKind::Int, 16, 1, 65536, "Examples per micro-batch"),
      number("steps", ParamKind::Int, 100, 1, std::nullopt, "Optimizer steps (when epochs is 0)"),
      number("epochs", ParamKind::Int, 0, 0, std::nullopt, "Passes over the training examples; 0: use steps"),
      number("gradient_accumulation", ParamKind::Int, 1, 1, 4096, "Micro-batches per optimizer step"),
      number("seed", ParamKind::Int, 0, 0, std::nullopt,
             "Seeds the example selection, initialization and batches"),
      param("save_to", ParamKind::Path, "",
            "A folder the trained adapter (or model) is also written to, to share or load elsewhere; a "
            "cancelled "
            "run writes its best checkpoint there. Empty: the engine's cache only (a cancelled run's best "
            "checkpoint goes to the cache's checkpoints folder)")};
  tune.params.back().pathUse = PathUse::Write;
  tune.check = [](const Document& document, NodeId id, std::vector<Issue>& issues) {
    const auto* method = document.param(id, "method");
    const bool full = method && method->is_string() && method->get<std::string>() == "full";
    const auto edges = document.edgesFrom(id);
    const bool adapterUsed =
        std::any_of(edges.begin(), edges.end(), [](const Edge& edge) { return edge.from.port == 0; });
    if (full && adapterUsed)
      issues.push_back({id, Severity::Error,
                        "a full fine-tune makes a model, not an adapter: connect its 'model' output instead",
                        std::nullopt, "method"});
    if (full && document.source({id, 2}))
      issues.push_back({id, Severity::Error,
                        "a full fine-tune cannot continue an adapter: disconnect 'adapter'", std::size_t(2),
                        "method"});
  };
  tune.sink = true; // training on its own is a result: its curve
  registry.registerType(std::move(tune));
}

} // namespace mg::graph
