#include "train/lm_outputs.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>

#include "io/atomic_file.h"
#include "io/io_error.h"
#include "io/model_files.h"
#include "io/safetensors_writer.h"
#include "io/text_file.h"
#include "io/ia3_adapter.h"
#include "lm/adapter_factors.h"
#include "lm/causal_lm.h"
#include "tensor/torch_convert.h"

namespace fs = std::filesystem;

namespace mg::train {

namespace {

// A linear module's input and output sizes (GPT-2's Conv1D weights are [in, out], its LM head is Linear).
std::pair<std::int64_t, std::int64_t> lmModuleSizes(const lm::CausalLm& model, const std::string& module,
                                                    const std::map<std::string, at::Tensor>& weights) {
  const auto found = weights.find(module + ".weight");
  if (found == weights.end()) throw std::invalid_argument("module " + module + " has no weight to adapt");
  const auto& w = found->second;
  const bool conv1d = model.config().architecture == lm::Architecture::Gpt2 && module != "lm_head";
  return {w.size(conv1d ? 0 : 1), w.size(conv1d ? 1 : 0)};
}

std::map<std::string, at::Tensor> lmWeightsByName(const lm::CausalLm& model) {
  std::map<std::string, at::Tensor> weights;
  for (const auto& p : model.parameters())
    weights[p.name] = p.tensor;
  weights["lm_head.weight"] = weights[model.lmHeadParameter()]; // tied or not
  return weights;
}

} // namespace

std::vector<io::TensorData> freshLmIa3Vectors(const lm::CausalLm& model,
                                              const std::vector<std::string>& modules,
                                              const std::vector<std::string>& feedforward) {
  const auto weights = lmWeightsByName(model);
  std::vector<io::TensorData> vectors;
  for (const auto& module : modules) {
    const auto [in, out] = lmModuleSizes(model, module, weights);
    const bool scalesInput = std::find(feedforward.begin(), feedforward.end(), module) != feedforward.end();
    const auto ones = scalesInput ? at::ones({1, in}) : at::ones({out, 1});
    vectors.push_back(tensor::fromTorch(ones, io::ia3Key(module), io::DType::F32));
  }
  return vectors;
}

void writeLmIa3Adapter(const std::string& folder, const lm::CausalLm& model, const io::Ia3Config& config,
                       const std::string& description) {
  std::vector<io::TensorData> vectors;
  for (const auto& v : model.ia3Vectors())
    if (v.adapter == 0)
      vectors.push_back(tensor::fromTorch(v.l.detach(), io::ia3Key(v.module), io::DType::F32));
  io::writeIa3Adapter(folder, config, vectors, {{"format", "pt"}, {"merganser.description", description}});
}

std::vector<io::TensorData> freshLmLoraFactors(const lm::CausalLm& model,
                                               const std::vector<std::string>& modules, int rank,
                                               std::uint64_t seed) {
  const auto weights = lmWeightsByName(model);
  auto generator = at::detail::createCPUGenerator(seed);
  std::vector<io::TensorData> factors;
  for (const auto& module : modules) {
    const auto [in, out] = lmModuleSizes(model, module, weights);
    const double bound = 1.0 / std::sqrt(double(in));
    const auto a = (at::rand({rank, in}, generator) * 2.0 - 1.0) * bound;
    factors.push_back(tensor::fromTorch(a, io::peftKey(module, "lora_A"), io::DType::F32));
    factors.push_back(
        tensor::fromTorch(at::zeros({out, rank}), io::peftKey(module, "lora_B"), io::DType::F32));
  }
  return factors;
}

void writeLmLoraAdapter(const std::string& folder, const lm::CausalLm& model, const io::LoraConfig& config,
                        const std::string& description) {
  std::vector<io::TensorData> factors;
  for (const auto& f : model.adapterFactors()) {
    if (f.adapter != 0) continue;
    factors.push_back(tensor::fromTorch(f.a.detach(), io::peftKey(f.module, "lora_A"), io::DType::F32));
    factors.push_back(tensor::fromTorch(f.b.detach(), io::peftKey(f.module, "lora_B"), io::DType::F32));
  }
  io::writePeftAdapter(folder, config, factors, {{"format", "pt"}, {"merganser.description", description}});
}

void writeLmModelFolder(const std::string& folder, const lm::CausalLm& model, const std::string& baseFolder,
                        const std::string& description) {
  fs::create_directories(folder);
  // The base's configuration and tokenizer: every file that holds no weights (as an export copies them).
  std::error_code ec;
  for (fs::directory_iterator it(baseFolder, ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (std::error_code e; !it->is_regular_file(e) || name.front() == '.' || io::isWeightFileName(name))
      continue;
    if (name == "config.json") {
      auto config = nlohmann::ordered_json::parse(io::readTextFile(it->path().string()));
      config["torch_dtype"] = "float32";
      io::writeFileAtomically((fs::path(folder) / name).string(), config.dump(2) + "\n");
      continue;
    }
    fs::copy_file(it->path(), fs::path(folder) / name, fs::copy_options::overwrite_existing, ec);
    if (ec) throw io::IoError(it->path().string(), "cannot copy it into " + folder + ": " + ec.message());
  }
  if (ec) throw io::IoError(baseFolder, "cannot list the folder: " + ec.message());
  std::vector<io::TensorData> tensors;
  for (const auto& p : model.parameters())
    tensors.push_back(tensor::fromTorch(p.tensor.detach(), p.name, io::DType::F32));
  io::writeSafetensors((fs::path(folder) / "model.safetensors").string(), tensors,
                       {{"merganser.description", description}});
}

} // namespace mg::train
