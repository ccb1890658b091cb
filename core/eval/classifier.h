#pragma once
// What evaluation runs: any classifier that turns a batch of examples into logits. Built in are the MLP
// (eval/mlp_classifier.h) and the small CNN (eval/cnn_classifier.h), whose parameter names follow the
// checkpoint's; user models come as TorchScript archives (eval/torchscript_classifier.h) whose parameters
// are replaced by the checkpoint's. Implementations hold their parameters materialized (loaded once) and
// are read-only after construction, so logits() may be called from several threads.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "weights/weight_set.h"

namespace at {
class Tensor;
}
namespace mg::io {
class HfModelFolder;
}

namespace mg::eval {

class Classifier {
public:
  virtual ~Classifier() = default;

  // Logits [B, classes] for inputs [B, ...] (float32). `task` picks that task's head when the model has
  // one. Throws std::runtime_error when the inputs do not fit.
  virtual at::Tensor logits(const at::Tensor& inputs, const std::string& task = {}) const = 0;
  // logits() with autograd recording: when the weights the model was built from carry gradients (tensors
  // that require grad, or are computed from such), the logits' gradient reaches them. For AdaMerging's
  // coefficients (search/adamerging.h) and per-parameter gradients. The default throws
  // std::runtime_error: the model cannot (TorchScript archives).
  virtual at::Tensor differentiableLogits(const at::Tensor& inputs, const std::string& task = {}) const;
  // differentiableLogits() that also gives the hidden states (hiddenStates()' elements) the logits were
  // computed from, in the same autograd graph: per-example gradients of the dense layers in one batched pass
  // (embed/fisher_information.h). The default throws std::runtime_error, as differentiableLogits().
  virtual at::Tensor differentiableLogits(const at::Tensor& inputs, const std::string& task,
                                          std::vector<at::Tensor>& states) const;
  // How a fine-tune adapts the dense layers without merging them into their weights (train/, LoRA and IA³):
  // called with a dense layer's name ("layers.0", "head", "heads.<task>"), its input and its output (before
  // any ReLU), it returns the output to use. Training through an update beside the frozen weight costs no
  // gradient of the whole weight matrix, which training through merged weights does.
  using DenseAdapter =
      std::function<at::Tensor(const std::string& module, const at::Tensor& input, const at::Tensor& output)>;
  // differentiableLogits() with `adapter` on the dense layers. The default throws std::runtime_error, as
  // differentiableLogits().
  virtual at::Tensor adaptedLogits(const at::Tensor& inputs, const std::string& task,
                                   const DenseAdapter& adapter) const;
  virtual bool hasHeadFor(const std::string& task) const = 0;

  // The shape of one example the model takes ([784] for an MLP, [1, 28, 28] for a CNN); -1 marks a size
  // the model does not fix, an empty shape means the model says nothing (a TorchScript archive).
  virtual std::vector<std::int64_t> exampleShape() const = 0;
  // Why examples of `shape` (without the batch dimension) cannot be run, or nullopt when they can. The
  // default compares the number of values with exampleShape()'s when that is fully known.
  virtual std::optional<std::string> inputProblem(const std::vector<std::int64_t>& shape) const;
  // Number of outputs, or 0 when only running the model tells (TorchScript).
  virtual std::int64_t numLabels() const = 0;
  // "MerganserMLP 784-64-10", for messages and logs.
  virtual std::string describe() const = 0;

  // The activations of the fully connected part for inputs [B, ...], for task embeddings and routing
  // (core/embed): element 0 is what the first dense layer reads (an MLP's flattened input, a CNN's flattened
  // convolution features), element i the output of hidden layer i after its ReLU, so the last element is
  // the representation the head classifies. The default throws std::runtime_error: the model does not
  // expose them (TorchScript archives).
  virtual std::vector<at::Tensor> hiddenStates(const at::Tensor& inputs) const;
  // The last of hiddenStates(): [B, features] the head reads.
  at::Tensor features(const at::Tensor& inputs) const;
};

// The classifier for a model's weights:
//  - `torchscript` non-empty: that TorchScript archive, with its parameters taken from `weights`;
//  - else, with a Hugging Face folder: a TorchScript archive beside its config.json (model.pt, or the one
//    *.torchscript.pt), else the built-in architecture config.json names ("architectures":
//    ["MerganserMLP"] / ["MerganserCNN"], or "model_type": "merganser_mlp" / "merganser_cnn");
//  - else the architecture the tensor names describe (convs.N.* -> CNN, otherwise MLP).
// Throws std::runtime_error (io::IoError for files) naming the file or tensors that do not fit.
std::unique_ptr<Classifier> loadClassifier(const engine::WeightSet& weights,
                                           const io::HfModelFolder* configFolder,
                                           const std::string& torchscript = {});

// The TorchScript archive a model folder carries beside its config.json ("" when none). Throws
// std::runtime_error when there are several *.torchscript.pt and no model.pt.
std::string torchScriptArchiveIn(const std::string& folder);

} // namespace mg::eval
