// Parameter embeddings of many adapters against reading them.
//
// Generates (once) N LoRA adapters of one base in DIR: M modules of SIZE x SIZE at rank R each (PEFT
// folders), then measures in the same run:
//   read       open every adapter and load each of its tensors (the floor: what any embedding must read)
//   sketch     parameter embeddings of all of them (embed::parameterEmbeddings, 1024 dimensions), which
//              opens and reads them too
//   exact      the flattened task vectors (only when they are small: N x M x SIZE^2 values under 2^28)
// and prints seconds, adapters per second and the ratio to the floor.
//   ninja -C build bench_embed && build/tests/bench/bench_embed --dir bench-data/embed [--adapters 200]
//       [--modules 8] [--size 1024] [--rank 8] [--dims 1024]
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "embed/param_embedding.h"
#include "io/peft_adapter.h"
#include "tensor/torch_convert.h"

namespace fs = std::filesystem;
using namespace mg;

namespace {

struct Options {
  std::string dir = "bench-data/embed";
  int adapters = 200, modules = 8, rank = 8;
  std::int64_t size = 1024, dims = 1024;
};

std::string module(int m) {
  return "model.layers." + std::to_string(m) + ".proj";
}

std::string folder(const Options& o, int i) {
  return o.dir + "/" + std::to_string(o.size) + "-r" + std::to_string(o.rank) + "-m" +
         std::to_string(o.modules) + "/adapter" + std::to_string(i);
}

void generate(const Options& o) {
  io::LoraConfig config;
  config.r = o.rank;
  config.loraAlpha = 2.0 * o.rank;
  for (int m = 0; m < o.modules; ++m)
    config.targetModules.push_back(module(m));
  int made = 0;
  for (int i = 0; i < o.adapters; ++i) {
    if (fs::exists(folder(o, i) + "/adapter_model.safetensors")) continue;
    torch::manual_seed(std::uint64_t(i));
    std::vector<io::TensorData> factors;
    for (int m = 0; m < o.modules; ++m) {
      factors.push_back(tensor::fromTorch(torch::randn({o.rank, o.size}) * 0.01,
                                          io::peftKey(module(m), "lora_A"), io::DType::F32));
      factors.push_back(tensor::fromTorch(torch::randn({o.size, o.rank}) * 0.01,
                                          io::peftKey(module(m), "lora_B"), io::DType::F32));
    }
    io::writePeftAdapter(folder(o, i), config, factors);
    ++made;
  }
  if (made) std::printf("generated %d adapters in %s\n", made, fs::path(folder(o, 0)).parent_path().c_str());
}

double seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::vector<embed::TaskVector> open(const Options& o) {
  std::vector<embed::TaskVector> items;
  for (int i = 0; i < o.adapters; ++i) {
    embed::TaskVector item;
    item.name = "adapter" + std::to_string(i);
    item.adapter = std::make_shared<io::PeftAdapter>(folder(o, i));
    items.push_back(std::move(item));
  }
  return items;
}

} // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--dir")
      o.dir = v;
    else if (a == "--adapters")
      o.adapters = std::stoi(v);
    else if (a == "--modules")
      o.modules = std::stoi(v);
    else if (a == "--size")
      o.size = std::stoll(v);
    else if (a == "--rank")
      o.rank = std::stoi(v);
    else if (a == "--dims")
      o.dims = std::stoll(v);
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  generate(o);
  std::printf("%d adapters, %d modules of %lldx%lld at rank %d each; %d LibTorch threads\n", o.adapters,
              o.modules, static_cast<long long>(o.size), static_cast<long long>(o.size), o.rank,
              torch::get_num_threads());

  auto start = std::chrono::steady_clock::now();
  double checksum = 0;
  for (const auto& item : open(o))
    for (const auto& info : item.adapter->tensors())
      checksum += double(tensor::toTorchFloat32(item.adapter->load(info.name)).sum().item<float>());
  const double floor = seconds(start);
  std::printf("%-8s %8.2f s  %8.1f adapters/s  1.00x  (checksum %.3g)\n", "read", floor, o.adapters / floor,
              checksum);

  start = std::chrono::steady_clock::now();
  embed::ParamEmbeddingOptions options;
  options.dimensions = o.dims;
  const auto sketch = embed::parameterEmbeddings(open(o), options);
  const double sketchSeconds = seconds(start);
  std::printf("%-8s %8.2f s  %8.1f adapters/s  %.2fx  (%lld dimensions)\n", "sketch", sketchSeconds,
              o.adapters / sketchSeconds, sketchSeconds / floor, static_cast<long long>(o.dims));

  const double values = double(o.adapters) * o.modules * double(o.size) * double(o.size);
  if (values < 268435456.0) { // 1 GB of float32
    start = std::chrono::steady_clock::now();
    options.dimensions = 0;
    const auto exact = embed::parameterEmbeddings(open(o), options);
    const double exactSeconds = seconds(start);
    std::printf("%-8s %8.2f s  %8.1f adapters/s  %.2fx  (%zu values each)\n", "exact", exactSeconds,
                o.adapters / exactSeconds, exactSeconds / floor, exact.front().size());
  } else {
    std::printf("exact    skipped: %.3g values (over 1 GB)\n", values);
  }
  return sketch.size() == std::size_t(o.adapters) ? 0 : 1;
}
