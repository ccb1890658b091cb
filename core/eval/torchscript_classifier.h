#pragma once
// A user's model as a TorchScript archive (torch.jit.save / torch::jit::Module::save): the archive brings
// the code, the composed checkpoint the weights. Every parameter of the archive (named as
// Module.named_parameters() names them, "features.0.weight") is replaced by the checkpoint's tensor of that
// name before anything runs; buffers (batch-norm statistics) are replaced when the checkpoint has them and
// kept otherwise. forward(x) must return logits [B, classes]; a forward(x, task: str) is given the task's
// name, so an archive can pick per-task heads itself.
// An archive holds TorchScript, not Python: loading it runs no Python, but it runs the archive's code, so
// use archives you trust.
#include <memory>
#include <string>
#include <vector>

#include "eval/classifier.h"

namespace mg::eval {

class TorchScriptClassifier final : public Classifier {
public:
  // Throws io::IoError(archive, ...) when the archive cannot be loaded, std::runtime_error listing the
  // archive's parameters missing from the checkpoint and those whose shapes differ.
  TorchScriptClassifier(const std::string& archive, const engine::WeightSet& weights);
  ~TorchScriptClassifier() override;

  at::Tensor logits(const at::Tensor& inputs, const std::string& task = {}) const override;
  // True when the forward takes the task and the archive has parameters under heads.<task>.
  bool hasHeadFor(const std::string& task) const override;
  std::vector<std::int64_t> exampleShape() const override { return {}; }
  std::int64_t numLabels() const override { return 0; }
  std::string describe() const override;

private:
  struct State;
  std::string archive_;
  std::unique_ptr<State> state_;
};

} // namespace mg::eval
