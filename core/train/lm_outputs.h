#pragma once
// What a language-model fine-tune writes into its (staging) folder: a PEFT LoRA adapter of the model's
// trained factors, or a model folder of its tensors with the base's config and tokenizer files.
#include <cstdint>
#include <string>
#include <vector>

#include "io/peft_adapter.h"

namespace mg::lm {
class CausalLm;
}

namespace mg::train {

// A fresh PEFT LoRA of `modules` of the model: A as nn.Linear's default initialisation (Kaiming-uniform with
// a = √5: U(±1/√in)) drawn from `seed` module by module, B zero, so the adapted model starts as the base.
// Float32 factors under PEFT's keys, ready for io::writePeftAdapter.
std::vector<io::TensorData> freshLmLoraFactors(const lm::CausalLm& model,
                                               const std::vector<std::string>& modules, int rank,
                                               std::uint64_t seed);

// Fresh PEFT IA³ vectors of `modules` (ones, so the adapted model starts as the base), [1, in] for the
// feed-forward ones (scaling the input), else [out, 1], under io::ia3Key, ready for io::writeIa3Adapter.
std::vector<io::TensorData> freshLmIa3Vectors(const lm::CausalLm& model,
                                              const std::vector<std::string>& modules,
                                              const std::vector<std::string>& feedforward);

// The model's first IA³ adapter's vectors as a PEFT IA³ folder (io::writeIa3Adapter).
void writeLmIa3Adapter(const std::string& folder, const lm::CausalLm& model, const io::Ia3Config& config,
                       const std::string& description);

// adapter_config.json (`config`, its target_modules as given) and adapter_model.safetensors (float32) of the
// model's first adapter's factors, under PEFT's keys.
void writeLmLoraAdapter(const std::string& folder, const lm::CausalLm& model, const io::LoraConfig& config,
                        const std::string& description);

// model.safetensors (float32) of every tensor of the model, and config.json, generation_config.json and the
// tokenizer files of `baseFolder` copied beside it (config.json's torch_dtype set to float32).
void writeLmModelFolder(const std::string& folder, const lm::CausalLm& model, const std::string& baseFolder,
                        const std::string& description);

} // namespace mg::train
