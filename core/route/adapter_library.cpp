#include "route/adapter_library.h"

#include <ATen/ATen.h>

#include <map>
#include <regex>
#include <set>
#include <stdexcept>

#include "weights/adapter_weights.h"
#include "eval/cnn_classifier.h"
#include "eval/dense_layers.h" // the MLP's parameters, loaded and checked as eval::MlpClassifier does
#include "io/peft_adapter.h"
#include "tensor/torch_convert.h"

namespace mg::route {

struct AdapterLibrary::Factors {
  at::Tensor a; // [r, in]
  at::Tensor b; // [out, r]
  double scaling = 1.0;
  at::Tensor l; // IA³ instead: the scaling vector [n] (a and b undefined)
  bool feedforward = false;
};

struct AdapterLibrary::Base {
  // A CNN base's convolutions, run as they are (LoRA adapts the dense layers after them): the classifier
  // whose hiddenStates()[0] are the flattened features the first dense layer reads. Null for an MLP.
  std::unique_ptr<eval::CnnClassifier> convs;
  eval::detail::DenseLayers dense;
  std::vector<std::int64_t> hidden;
  std::int64_t numLabels = 0;
  std::vector<std::map<std::size_t, Factors>> factors; // per specialist: linear -> its LoRA factors
  std::vector<bool> ia3;                               // per specialist: an IA³ adapter
};

namespace {

// The linear a module adapts: layers.N -> N, head -> the one after the trunk; nullopt for anything else.
std::optional<std::size_t> linearIndex(const std::string& baseTensor, std::size_t trunkLayers) {
  if (baseTensor == "head.weight") return trunkLayers;
  static const std::regex layer(R"(^layers\.(\d+)\.weight$)");
  std::smatch match;
  if (std::regex_match(baseTensor, match, layer)) {
    const auto index = std::stoul(match[1]);
    if (index < trunkLayers) return index;
  }
  return std::nullopt;
}

at::Tensor loadFactor(const io::PeftAdapter& adapter, const std::string& name) {
  return tensor::toTorchFloat32(adapter.load(name)).contiguous();
}

} // namespace

AdapterLibrary::AdapterLibrary(
    engine::WeightSetPtr base,
    const std::vector<std::pair<std::string, std::shared_ptr<const io::PeftAdapter>>>& adapters)
    : base_(std::make_unique<Base>()), weights_(std::move(base)) {
  for (const auto& info : weights_->tensors())
    if (info.name.rfind("convs.", 0) == 0) {
      base_->convs = std::make_unique<eval::CnnClassifier>(*weights_);
      break;
    }
  std::int64_t inputSize = 0;
  eval::detail::inferDenseShape(*weights_, inputSize, base_->hidden, base_->numLabels, "a classifier");
  eval::detail::ParameterLoader loader(*weights_);
  base_->dense = eval::detail::DenseLayers::load(loader, inputSize, base_->hidden, base_->numLabels);
  loader.throwIfProblems(base_->convs ? "CNN classifier" : "MLP classifier");

  std::set<std::string> names;
  std::map<std::size_t, std::pair<bool, std::string>> ia3Sides; // linear -> (feed-forward, first folder)
  for (const auto& [name, adapter] : adapters) {
    const std::string& folder = adapter->path();
    if (!names.insert(name).second)
      throw std::runtime_error(folder + ": another adapter is also named '" + name +
                               "'; routing tells specialists apart by their folder names");
    // Names and shapes against the base (no data read); throws io::IoError naming the folder.
    engine::AdapterWeights checked(weights_, adapter);
    const auto& config = adapter->config();
    if (config.useDora || config.fanInFanOut)
      throw std::runtime_error(folder + ": routing mixes plain LoRA factors; " +
                               (config.useDora ? "DoRA" : "fan_in_fan_out") + " adapters are not supported");
    if (!adapter->replacements().empty())
      throw std::runtime_error(folder + ": replaces " + adapter->replacements().begin()->first +
                               " whole; routing mixes LoRA factors and IA³ vectors only");
    Specialist specialist;
    specialist.name = name;
    specialist.folder = folder;
    std::map<std::size_t, Factors> modules;
    for (const auto& module : adapter->ia3Modules()) {
      const auto index = linearIndex(module.baseTensor, base_->hidden.size());
      if (!index)
        throw std::runtime_error(folder + ": adapts " + module.module +
                                 "; routing applies IA³ to the dense layers.N and head only");
      const auto [side, fresh] = ia3Sides.try_emplace(*index, module.feedforward, folder);
      if (!fresh && side->second.first != module.feedforward)
        throw std::runtime_error(folder + ": scales the " + (module.feedforward ? "input" : "output") +
                                 " of " + module.module + ", which " + side->second.second +
                                 " scales at its " + (module.feedforward ? "output" : "input") +
                                 "; routing cannot mix them");
      Factors f;
      f.l = loadFactor(*adapter, module.key).reshape(-1);
      f.feedforward = module.feedforward;
      modules[*index] = std::move(f);
      specialist.linears.push_back(*index);
    }
    for (const auto& module : adapter->modules()) {
      const auto index = linearIndex(module.baseTensor, base_->hidden.size());
      if (!index || module.embedding || module.magnitude)
        throw std::runtime_error(folder + ": adapts " + module.module +
                                 "; routing applies LoRA to the dense layers.N and head only");
      modules[*index] = {loadFactor(*adapter, module.loraA), loadFactor(*adapter, module.loraB),
                         module.scaling};
      specialist.linears.push_back(*index);
    }
    if (modules.empty()) throw std::runtime_error(folder + ": adapts no module");
    specialists_.push_back(std::move(specialist));
    base_->factors.push_back(std::move(modules));
    base_->ia3.push_back(adapter->isIa3());
  }
}

AdapterLibrary::~AdapterLibrary() = default;

int AdapterLibrary::indexOf(const std::string& name) const {
  for (std::size_t i = 0; i < specialists_.size(); ++i)
    if (specialists_[i].name == name) return static_cast<int>(i);
  return -1;
}

std::int64_t AdapterLibrary::inputSize() const {
  return base_->dense.inputSize;
}
std::int64_t AdapterLibrary::numLabels() const {
  return base_->numLabels;
}
bool AdapterLibrary::hasHeadFor(const std::string& task) const {
  return base_->dense.hasHeadFor(task);
}
std::size_t AdapterLibrary::linearCount() const {
  return base_->hidden.size() + 1;
}

bool AdapterLibrary::isIa3(std::size_t j) const {
  return j < base_->ia3.size() && base_->ia3[j];
}

bool AdapterLibrary::adapts(std::size_t j, std::size_t linear) const {
  return j < base_->factors.size() && base_->factors[j].count(linear) != 0;
}

const AdapterLibrary::Factors& AdapterLibrary::factors(std::size_t j, std::size_t linear) const {
  if (!adapts(j, linear))
    throw std::out_of_range("specialist " + std::to_string(j) + " does not adapt linear layer " +
                            std::to_string(linear));
  return base_->factors[j].at(linear);
}

const at::Tensor& AdapterLibrary::loraA(std::size_t j, std::size_t linear) const {
  if (isIa3(j)) throw std::logic_error(specialists_[j].folder + " is an IA³ adapter: it has no LoRA factors");
  return factors(j, linear).a;
}
const at::Tensor& AdapterLibrary::loraB(std::size_t j, std::size_t linear) const {
  return factors(j, linear).b;
}
double AdapterLibrary::scaling(std::size_t j, std::size_t linear) const {
  return factors(j, linear).scaling;
}

std::vector<std::int64_t> AdapterLibrary::exampleShape() const {
  return base_->convs ? base_->convs->exampleShape() : std::vector<std::int64_t>{inputSize()};
}

std::string AdapterLibrary::describe() const {
  std::string text =
      (base_->convs ? base_->convs->describe() + ", dense " : "MerganserMLP ") + std::to_string(inputSize());
  for (const auto size : base_->hidden)
    text += "-" + std::to_string(size);
  return text + "-" + std::to_string(numLabels()) + " with " + std::to_string(size()) + " adapters";
}

at::Tensor AdapterLibrary::flatten(const at::Tensor& inputs) const {
  if (base_->convs) return base_->convs->hiddenStates(inputs).front(); // checks the image itself
  at::Tensor h = inputs.reshape({inputs.size(0), -1}).to(at::kFloat);
  if (h.size(1) != inputSize())
    throw std::runtime_error("inputs have " + std::to_string(h.size(1)) +
                             " values per example, the model takes " + std::to_string(inputSize()));
  return h;
}

at::Tensor AdapterLibrary::forward(const at::Tensor& inputs, const std::string& task,
                                   const LayerWeights& weights, std::vector<at::Tensor>* layerInputs) const {
  at::NoGradGuard noGrad;
  at::Tensor h = flatten(inputs);
  const auto& dense = base_->dense;
  const std::size_t trunk = dense.layers.size();
  const auto taskHead = dense.taskHeads.find(task);
  const bool ownHead = taskHead != dense.taskHeads.end();
  for (std::size_t linear = 0; linear <= trunk; ++linear) {
    if (layerInputs) layerInputs->push_back(h);
    const auto& [w, b] = linear < trunk ? dense.layers[linear] : ownHead ? taskHead->second : dense.head;
    const bool adaptable = linear < trunk || !ownHead;
    const at::Tensor mix = weights && adaptable ? weights(linear, h) : at::Tensor();
    // IA³ specialists scale the base layer's output (or, feed-forward, its input) by
    // s = 1 + Σ_j w_j·(l_j − 1): the layer of the merged weights W ⊙ s (lm/projection.h does the same).
    at::Tensor scale;
    bool scalesInput = false;
    if (mix.defined())
      for (std::size_t j = 0; j < specialists_.size(); ++j) {
        const auto found = base_->factors[j].find(linear);
        if (found == base_->factors[j].end() || !found->second.l.defined()) continue;
        const auto& f = found->second;
        const auto term = (f.l - 1).unsqueeze(0) * mix.select(1, static_cast<std::int64_t>(j)).unsqueeze(1);
        scale = scale.defined() ? scale + term : term + 1;
        scalesInput = f.feedforward;
      }
    at::Tensor y = at::addmm(b, scale.defined() && scalesInput ? h * scale : h, w.t());
    if (scale.defined() && !scalesInput) y = y * scale;
    if (mix.defined()) {
      for (std::size_t j = 0; j < specialists_.size(); ++j) {
        const auto found = base_->factors[j].find(linear);
        if (found == base_->factors[j].end() || found->second.l.defined()) continue;
        const auto column = mix.select(1, static_cast<std::int64_t>(j));
        if (!column.ne(0).any().item<bool>()) continue; // no example uses it: skip the products
        const auto& f = found->second;
        y = y + at::matmul(at::matmul(h, f.a.t()), f.b.t()) * (column.unsqueeze(1) * f.scaling);
      }
    }
    h = linear < trunk ? at::relu(y) : y;
  }
  return h;
}

at::Tensor AdapterLibrary::mixedForward(const at::Tensor& inputs, const std::string& task,
                                        const at::Tensor& mix) const {
  if (mix.dim() != 2 || mix.size(0) != inputs.size(0) || mix.size(1) != static_cast<std::int64_t>(size()))
    throw std::invalid_argument("mixing weights must be [examples, adapters]");
  return forward(inputs, task, [&](std::size_t, const at::Tensor&) { return mix; });
}

at::Tensor AdapterLibrary::baseFeatures(const at::Tensor& inputs) const {
  std::vector<at::Tensor> layerInputs;
  forward(inputs, {}, nullptr, &layerInputs);
  return layerInputs.back(); // the head's input
}

} // namespace mg::route
