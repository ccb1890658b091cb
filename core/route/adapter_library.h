#pragma once
// The specialists a router chooses among: a base classifier — an MLP (eval/mlp_classifier.h's checkpoint
// names) or a CNN (eval/cnn_classifier.h), whose convolutions run unchanged before the dense layers the
// adapters adapt — and LoRA adapters of it, kept as factors A [r, in], B [out, r] and a scaling s. An adapter
// is applied to a batch as s·(h·Aᵀ)·Bᵀ added to the base layer's output, so mixing adapters per example costs
// a few thin matrix products and no B·A matrix is ever formed. PEFT IA³ adapters are specialists too: their
// vectors l_j scale a layer's output (its input, for feed-forward modules) by s = 1 + Σ_j w_j·(l_j − 1),
// the layer of the merged weights W ⊙ s (PEFT's weighted IA³ merge when the weights sum to 1); LoRA
// updates add on the unscaled input.
//
// Mixing: per example and per linear layer, weights w [B, J] over the J specialists give
//   y = h·Wᵀ + b + Σ_j w_j · s_j · (h·A_jᵀ)·B_jᵀ,
// which is exactly the layer of one merged model W + Σ_j w_j·s_j·B_j·A_j: a weighted mix of the LoRA
// updates (equivalently of the adapters' task vectors), not of the specialists' outputs. Top-1 routing is
// the one-hot case, SMEAR the dense one.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "weights/weight_set.h"

namespace at {
class Tensor;
}
namespace mg::io {
class PeftAdapter;
}

namespace mg::route {

struct Specialist {
  std::string name;   // matched with task names: the adapter folder's name ("rotate" for adapters/rotate/)
  std::string folder; // for messages
  std::vector<std::size_t> linears; // the linear layers it adapts (layers.N -> N, head -> the last)
};

class AdapterLibrary {
public:
  // Loads the base's parameters and every adapter's factors once. Each adapter is a (name, adapter)
  // pair. Throws std::runtime_error naming the base or the adapter folder and the problem: a base that is
  // not an MLP or CNN classifier, an adapter of other modules than layers.N / head (a CNN's convolutions),
  // DoRA, fan_in_fan_out, embedding LoRAs or whole replaced tensors (routing mixes LoRA factors and IA³
  // vectors only), a layer one IA³ specialist scales at its input and another at its output,
  // duplicate names, shapes that do not fit the base.
  AdapterLibrary(engine::WeightSetPtr base,
                 const std::vector<std::pair<std::string, std::shared_ptr<const io::PeftAdapter>>>& adapters);
  ~AdapterLibrary();

  const std::vector<Specialist>& specialists() const { return specialists_; }
  std::size_t size() const { return specialists_.size(); }
  // The index of the specialist named `name`, or -1.
  int indexOf(const std::string& name) const;
  std::int64_t inputSize() const; // features the first dense layer reads
  // One example's shape as the base takes it (eval::Classifier::exampleShape).
  std::vector<std::int64_t> exampleShape() const;
  std::int64_t numLabels() const;
  bool hasHeadFor(const std::string& task) const;
  // Trunk layers plus the head.
  std::size_t linearCount() const;
  // Whether specialist j is an IA³ adapter (it adapts layers by scaling vectors: no LoRA factors).
  bool isIa3(std::size_t j) const;
  // Whether specialist j adapts linear layer `linear`, and then (LoRA) its factors and scaling.
  bool adapts(std::size_t j, std::size_t linear) const;
  const at::Tensor& loraA(std::size_t j, std::size_t linear) const; // [r, in]
  const at::Tensor& loraB(std::size_t j, std::size_t linear) const; // [out, r]
  double scaling(std::size_t j, std::size_t linear) const;
  std::string describe() const; // "MerganserMLP 784-128-64-10 with 3 adapters"

  // Per-example weights over the specialists [B, J] for linear `linear`, given that layer's input h [B, in];
  // an undefined tensor leaves the layer as the base's.
  using LayerWeights = std::function<at::Tensor(std::size_t linear, const at::Tensor& h)>;

  // Logits [B, classes] of inputs [B, ...] with every linear layer mixed as `weights` says (the head of
  // `task` when the base has per-task heads; a head LoRA applies to head.* only). A null `weights` runs the
  // base. `layerInputs`, when given, receives the input of every linear layer.
  at::Tensor forward(const at::Tensor& inputs, const std::string& task, const LayerWeights& weights,
                     std::vector<at::Tensor>* layerInputs = nullptr) const;
  // The same with one weight vector per example for every layer: the run of one merged model per example
  // (SMEAR's "merge then run once"); `mix` is [B, J].
  at::Tensor mixedForward(const at::Tensor& inputs, const std::string& task, const at::Tensor& mix) const;
  // The base model's representation of inputs: its last hidden layer's activations [B, d] (the features
  // the head reads), which routers compare.
  at::Tensor baseFeatures(const at::Tensor& inputs) const;

private:
  at::Tensor flatten(const at::Tensor& inputs) const;

  struct Base;
  struct Factors;
  const Factors& factors(std::size_t j, std::size_t linear) const; // throws std::out_of_range
  std::unique_ptr<Base> base_;
  engine::WeightSetPtr weights_;
  std::vector<Specialist> specialists_;
};

} // namespace mg::route
