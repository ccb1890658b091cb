#pragma once
// A tiny base model and LoRA adapters of it for the KnOTS tests (header-only): base.safetensors holds two
// attention weights of different shapes, an embedding and a bias; adapters/a (rank 2, alpha 4) adapts q, k
// and the embedding, adapters/b (rank 3, alpha 3) q and k, adapters/c (rank 2, rsLoRA alpha 2) only q.
#include <ATen/ATen.h>

#include <ATen/CPUGeneratorImpl.h>

#include <filesystem>
#include <string>
#include <vector>

#include "io/peft_adapter.h"
#include "io/safetensors_writer.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

namespace mg::test {

inline const std::string kKnotsQ = "model.layers.0.self_attn.q_proj";
inline const std::string kKnotsK = "model.layers.0.self_attn.k_proj";
inline const std::string kKnotsEmbed = "model.embed_tokens";

struct KnotsZoo {
  std::string base;                  // base.safetensors
  std::vector<std::string> adapters; // adapters/a, adapters/b, adapters/c
  std::string finetune;              // a full model (not an adapter) of the same shapes
};

inline KnotsZoo writeKnotsZoo(const TempDir& dir, std::uint64_t seed = 11) {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  const auto randn = [&](std::vector<std::int64_t> shape, double scale = 1.0) {
    return at::randn(shape, generator, at::kFloat) * scale;
  };
  const auto f32 = [](const at::Tensor& t, const std::string& name) {
    return tensor::fromTorch(t, name, io::DType::F32);
  };
  KnotsZoo zoo;
  zoo.base = dir.file("base.safetensors");
  const std::vector<io::TensorData> base = {
      f32(randn({8, 6}), kKnotsQ + ".weight"), f32(randn({5, 6}), kKnotsK + ".weight"),
      f32(randn({8}), kKnotsQ + ".bias"), f32(randn({10, 4}), kKnotsEmbed + ".weight")};
  io::writeSafetensors(zoo.base, base);
  zoo.finetune = dir.file("finetune.safetensors");
  std::vector<io::TensorData> finetune;
  for (const auto& t : base)
    finetune.push_back(f32(tensor::toTorchFloat32(t) + randn(t.info.shape, 0.1), t.info.name));
  io::writeSafetensors(zoo.finetune, finetune);

  struct Spec {
    const char* name;
    int rank;
    double alpha;
    bool rsLora;
    bool k, embed;
  };
  for (const Spec& s : {Spec{"a", 2, 4, false, true, true}, Spec{"b", 3, 3, false, true, false},
                        Spec{"c", 2, 2, true, false, false}}) {
    io::LoraConfig config;
    config.r = s.rank;
    config.loraAlpha = s.alpha;
    config.useRslora = s.rsLora;
    config.targetModules = {"q_proj"};
    std::vector<io::TensorData> factors = {f32(randn({s.rank, 6}, 0.3), io::peftKey(kKnotsQ, "lora_A")),
                                           f32(randn({8, s.rank}, 0.3), io::peftKey(kKnotsQ, "lora_B"))};
    if (s.k) {
      config.targetModules.push_back("k_proj");
      factors.push_back(f32(randn({s.rank, 6}, 0.3), io::peftKey(kKnotsK, "lora_A")));
      factors.push_back(f32(randn({5, s.rank}, 0.3), io::peftKey(kKnotsK, "lora_B")));
    }
    if (s.embed) { // lora_embedding_A [r, num_embeddings], _B [dim, r]: the update is (B·A)ᵀ
      config.targetModules.push_back("embed_tokens");
      factors.push_back(f32(randn({s.rank, 10}, 0.3), io::peftKey(kKnotsEmbed, "lora_embedding_A")));
      factors.push_back(f32(randn({4, s.rank}, 0.3), io::peftKey(kKnotsEmbed, "lora_embedding_B")));
    }
    zoo.adapters.push_back(dir.file(std::string("adapters/") + s.name));
    std::filesystem::create_directories(zoo.adapters.back());
    io::writePeftAdapter(zoo.adapters.back(), config, factors);
  }
  return zoo;
}

} // namespace mg::test
