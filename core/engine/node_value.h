#pragma once
// What a node hands to the nodes downstream of it along one output: the runtime side of graph::PortType.
// Values are cheap to copy (shared, lazy): a Model is a WeightSet that computes tensors on demand, so
// caching a node's outputs caches a recipe, not gigabytes.
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "weights/tokenizer_merge.h"
#include "weights/weight_set.h"
#include "graph/node.h"

namespace mg::io {
class HfModelFolder;
class PeftAdapter;
struct TaskData;
struct TextTask;
} // namespace mg::io

namespace mg::eval {
struct TaskScore;
}

namespace mg::embed {
struct EmbeddingMap;
}

namespace mg::engine {

struct ModelValue {
  WeightSetPtr weights;
  std::string label;                               // a path or a node title, for messages and provenance
  std::shared_ptr<const io::HfModelFolder> config; // the HF folder its config comes from, when known
  std::map<std::string, std::string> provenance;   // export metadata describing how it was made
  // The tokenizer files and vocab_size an export writes beside it (a merge with a tokenizer source or chat
  // template: MergedWeights::tokenizerFiles()); null: the config folder's tokenizer files are copied.
  std::shared_ptr<const TokenizerFiles> tokenizer = nullptr;
};

// A PEFT adapter folder on disk (a source, or one an operator wrote into the engine's cache folder).
struct AdapterValue {
  std::shared_ptr<const io::PeftAdapter> adapter;
  std::string folder;
};

// Task vectors: per tensor, what to add to a base (zeros where nothing changes).
struct DeltaValue {
  WeightSetPtr deltas;
  std::string label;
  std::string base; // the model they were taken from (Subtract's base label, kept by Scale); "" when unknown
};

// Evaluation data: the tasks of a task file or folder.
struct TasksValue {
  std::shared_ptr<const std::vector<io::TaskData>> tasks;
  std::string path;
  // Text tasks (JSON Lines) for language models instead, when the path holds them (then `tasks` is empty).
  std::shared_ptr<const std::vector<io::TextTask>> textTasks = nullptr;
};

// Per-task scores of one model, and which model (the title of the node that was evaluated).
struct ScoresValue {
  std::shared_ptr<const std::vector<eval::TaskScore>> scores;
  std::string model;
  graph::NodeId modelNode = 0; // the node whose model was evaluated (0 when unknown), for "select in graph"
  // Set on the points of a Sweep: the parameter varied ("lambda") and its value at this point.
  std::string parameter;
  double parameterValue = 0;
};

// Task embeddings of an Embedding map node (core/embed/embedding_map.h: vectors, similarities, clusters,
// 2-D coordinates), and the graph node behind each point, for "click selects the node".
struct EmbeddingsValue {
  std::shared_ptr<const embed::EmbeddingMap> map;
  std::vector<graph::NodeId> nodes; // one per point: an item's source node, or the Tasks node (0: unknown)
  // The title of the Embedding map node it came from (set when a run's results are gathered): the maps of
  // several kinds one node made share it, and the view switches kind among them.
  std::string source;
  graph::NodeId producer = 0; // that node (set with `source`; 0: unknown, a results file before version 3)
};

// A labelled matrix a sink shows as a heatmap (Interference: models x tasks), with the node behind each row
// for "click selects the node".
struct MatrixValue {
  // What it shows, which picks where the GUI draws it: "interference" (specialists x tasks), "routing" (a
  // Router's confusion: tasks x specialists chosen).
  std::string kind;
  std::string title, note; // note: how to read it, shown under the heatmap
  std::vector<std::string> rows, columns;
  std::vector<graph::NodeId> rowNodes;
  std::vector<std::vector<double>> values; // [row][column]
  // The node that made it (set when a run's results are gathered; 0: unknown, a results file before
  // version 3): its next run replaces it, whatever its title has become.
  graph::NodeId producer = 0;
};

// Labelled points a sink shows as a scatter plot (Merge gain: similarity of two specialists against what
// merging them costs), with the nodes behind each point for "click selects the nodes".
struct ScatterPoint {
  std::string label;
  double x = 0, y = 0;
  std::vector<graph::NodeId> nodes;
};
struct ScatterValue {
  std::string kind; // "merge_gain"
  std::string title, note, xLabel, yLabel;
  std::vector<ScatterPoint> points;
  graph::NodeId producer = 0; // the node that made it, as MatrixValue::producer
};

// The composition a Search node chose: the merge node it searched and the coefficients that won, which
// graph::addSearchWinner turns into an ordinary merge node (the GUI's "Add to graph", `merganser-cli search
// --save`).
struct SearchWinnerValue {
  graph::NodeId target = 0;
  std::vector<double> weights;   // one per connected model of the target
  std::vector<double> densities; // one per model when densities were searched, else empty
  std::string rules;             // per-tensor rules put before the target's own (AdaMerging layer-wise)
  double validation = 0;         // its mean validation accuracy
  double test = 0;               // its mean accuracy on the test examples
  graph::NodeId producer = 0;    // the Search node
};

// Per-model statistics a data-aware merge uses (a Fisher information node's output): one weight set per
// model, in the order of the node's models, holding each tensor's statistic (the diagonal Fisher).
struct StatisticsValue {
  std::string method; // the merge method they are for: "fisher"
  std::vector<WeightSetPtr> perModel;
  std::vector<std::string> models; // the models' labels, for messages
};

// What a sink wrote, for the run summary.
struct WrittenValue {
  std::string path;
  std::vector<std::string> lines; // human-readable facts ("12 tensors, 1.5 GB in 3.2 s")
};

using NodeValue = std::variant<std::monostate, ModelValue, AdapterValue, DeltaValue, TasksValue, ScoresValue,
                               WrittenValue, EmbeddingsValue, StatisticsValue>;

// One value per output of the node, in output order (a sink with no outputs may return its WrittenValue).
struct NodeOutputs {
  std::vector<NodeValue> values;
  std::vector<std::string> warnings;
  std::vector<std::string> facts; // what the node did, one line each (shown by `run` and in the GUI)
  // Scores a sink shows in charts (Evaluate: its own; Compare: every input's), handed to the GUI and saved
  // beside the project.
  std::vector<ScoresValue> results;
  // Matrices a sink shows as heatmaps (Interference), handed to the GUI like results.
  std::vector<MatrixValue> matrices;
  // Task embeddings a sink shows as a map (Embedding map), handed to the GUI like results. An Embedding map
  // node gives one map per embedding kind it could compute, the one on its output first.
  std::vector<EmbeddingsValue> embeddings;
  // Scatter plots (Merge gain), handed to the GUI like results.
  std::vector<ScatterValue> scatters;
  // A Search node's winner (none for other nodes).
  std::vector<SearchWinnerValue> searchWinners;
};

} // namespace mg::engine
