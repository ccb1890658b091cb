#include "eval/torchscript_classifier.h"
#include "tensor/error_text.h"

#include <torch/script.h>

#include <stdexcept>

#include "io/io_error.h"

namespace mg::eval {

struct TorchScriptClassifier::State {
  // forward() is not const in the API but only reads the module; the classifier is read-only after loading.
  mutable torch::jit::Module module;
  bool takesTask = false;
  std::vector<std::string> parameterNames;
};

namespace {

std::vector<std::int64_t> sizesOf(const at::Tensor& t) {
  return {t.sizes().begin(), t.sizes().end()};
}

} // namespace

TorchScriptClassifier::TorchScriptClassifier(const std::string& archive, const engine::WeightSet& weights)
    : archive_(archive), state_(std::make_unique<State>()) {
  try {
    state_->module = torch::jit::load(archive, at::kCPU);
  } catch (const c10::Error& e) {
    throw io::IoError(archive, "not a TorchScript archive: " + tensor::torchErrorText(e));
  } catch (const std::exception& e) {
    throw io::IoError(archive, std::string("not a TorchScript archive: ") + e.what());
  }
  auto& module = state_->module;
  module.eval();
  const auto forward = module.find_method("forward");
  if (!forward) throw io::IoError(archive, "the TorchScript module has no forward method");
  const auto& arguments = forward->function().getSchema().arguments(); // self, x[, task]
  state_->takesTask = arguments.size() == 3 && arguments[2].type()->kind() == c10::TypeKind::StringType;
  if (arguments.size() < 2 || arguments.size() > 3 || (arguments.size() == 3 && !state_->takesTask))
    throw io::IoError(archive, "forward must take the inputs, and optionally the task's name (str)");

  std::vector<std::string> missing, mismatched;
  at::NoGradGuard noGrad;
  auto replace = [&](const std::string& name, at::Tensor target, bool required) {
    const auto* info = weights.find(name);
    if (!info) {
      if (required) missing.push_back(name);
      return;
    }
    const auto archiveShape = sizesOf(target);
    if (info->shape != archiveShape) {
      mismatched.push_back(name + " " + io::shapeToString(info->shape) + " in the checkpoint, " +
                           io::shapeToString(archiveShape) + " in the archive");
      return;
    }
    target.copy_(weights.load(name).to(target.dtype()));
  };
  for (const auto& parameter : module.named_parameters(/*recurse=*/true)) {
    state_->parameterNames.push_back(parameter.name);
    replace(parameter.name, parameter.value, true);
  }
  for (const auto& buffer : module.named_buffers(/*recurse=*/true))
    replace(buffer.name, buffer.value, false);
  if (state_->parameterNames.empty())
    throw io::IoError(archive, "the TorchScript module has no parameters to take from the checkpoint");
  if (!missing.empty() || !mismatched.empty()) {
    std::string text = weights.describe() + " does not fit the TorchScript model " + archive + ":";
    auto list = [&](const char* what, const std::vector<std::string>& items) {
      if (items.empty()) return;
      text += std::string(" ") + what + " ";
      for (std::size_t i = 0; i < items.size(); ++i)
        text += (i ? ", " : "") + items[i];
      text += ";";
    };
    list("missing from the checkpoint:", missing);
    list("shapes differ:", mismatched);
    text.pop_back();
    throw std::runtime_error(text);
  }
}

TorchScriptClassifier::~TorchScriptClassifier() = default;

bool TorchScriptClassifier::hasHeadFor(const std::string& task) const {
  if (!state_->takesTask) return false;
  const std::string prefix = "heads." + task + ".";
  for (const auto& name : state_->parameterNames)
    if (name.compare(0, prefix.size(), prefix) == 0) return true;
  return false;
}

std::string TorchScriptClassifier::describe() const {
  return "TorchScript " + archive_;
}

at::Tensor TorchScriptClassifier::logits(const at::Tensor& inputs, const std::string& task) const {
  at::NoGradGuard noGrad;
  std::vector<c10::IValue> arguments{inputs.to(at::kFloat)};
  if (state_->takesTask) arguments.emplace_back(task);
  c10::IValue out;
  try {
    out = state_->module.forward(arguments);
  } catch (const c10::Error& e) {
    throw std::runtime_error(archive_ + ": the model failed on inputs " + io::shapeToString(sizesOf(inputs)) +
                             ": " + tensor::torchErrorText(e));
  }
  if (out.isTuple() && !out.toTupleRef().elements().empty()) out = out.toTupleRef().elements()[0];
  if (!out.isTensor() || out.toTensor().dim() != 2 || out.toTensor().size(0) != inputs.size(0))
    throw std::runtime_error(archive_ + ": forward must return logits [batch, classes] (got " +
                             (out.isTensor() ? io::shapeToString(sizesOf(out.toTensor())) : out.tagKind()) +
                             ")");
  return out.toTensor().to(at::kFloat);
}

} // namespace mg::eval
