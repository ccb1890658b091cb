// Fine-tuning throughput (examples/s) of train::fineTuneClassifier against the same loop written in PyTorch
// (tests/bench/bench_train.py, Debian's python3-torch), measured in the same run: issue 19's goal is ≥ 1.0×.
//
// Writes, under --dir, the demo's MLP (784-512-256-10, random weights) and N random examples with labels.
// Merganser: a LoRA (r 8, alpha 16) or an IA³ on layers.0 and layers.1, AdamW at a cosine schedule,
// cross-entropy, gradients clipped to norm 1, no validation; the figure is the training loop's own time
// (FineTuneResult::seconds: no loading, no writing). PyTorch: the same model frozen with PEFT-style LoRA
// modules (x·Aᵀ·Bᵀ·s beside the frozen layer) or IA³ scalings, torch.optim.AdamW, the same steps, batch and
// intra-op threads. Each figure is the best of --rounds rounds that alternate the two sides.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "io/safetensors_writer.h"
#include "io/task_file.h"
#include "tensor/torch_convert.h"
#include "train/fine_tune.h"
#include "weights/open_weights.h"

namespace fs = std::filesystem;
using namespace mg;

namespace {

struct Options {
  std::string dir = "bench-data/train";
  std::int64_t examples = 4096;
  std::int64_t steps = 200;
  std::vector<std::int64_t> batches = {32, 128};
  int rounds = 2;
  std::string python = fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
};

void generate(const Options& o) {
  fs::create_directories(o.dir);
  at::manual_seed(1);
  std::vector<io::TensorData> tensors;
  for (const auto& [name, shape] :
       std::vector<std::pair<std::string, std::vector<std::int64_t>>>{{"layers.0.weight", {512, 784}},
                                                                      {"layers.0.bias", {512}},
                                                                      {"layers.1.weight", {256, 512}},
                                                                      {"layers.1.bias", {256}},
                                                                      {"head.weight", {10, 256}},
                                                                      {"head.bias", {10}}})
    tensors.push_back(tensor::fromTorch(at::randn(shape) / std::sqrt(double(shape.size() > 1 ? shape[1] : 1)),
                                        name, io::DType::F32));
  io::writeSafetensors(o.dir + "/mlp.safetensors", tensors);
  const auto inputs = at::rand({o.examples, 784});
  const auto labels = at::randint(0, 10, {o.examples}, at::kLong);
  io::TaskData task;
  task.name = "random";
  task.split = "train";
  task.labelNames = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  task.inputShape = {o.examples, 784};
  task.inputs.assign(inputs.data_ptr<float>(), inputs.data_ptr<float>() + inputs.numel());
  task.labels.assign(labels.data_ptr<std::int64_t>(), labels.data_ptr<std::int64_t>() + labels.numel());
  io::writeTaskFile(o.dir + "/task.h5", task);
  std::ofstream(o.dir + "/inputs.f32", std::ios::binary)
      .write(reinterpret_cast<const char*>(task.inputs.data()),
             std::streamsize(task.inputs.size() * sizeof(float)));
  std::ofstream(o.dir + "/labels.i64", std::ios::binary)
      .write(reinterpret_cast<const char*>(task.labels.data()),
             std::streamsize(task.labels.size() * sizeof(std::int64_t)));
}

double merganserExamplesPerSecond(const Options& o, train::Method method, std::int64_t batch) {
  const auto base = engine::openWeights(o.dir + "/mlp.safetensors", nullptr);
  const auto tasks = io::readTaskSet(o.dir + "/task.h5");
  train::FineTuneOptions options;
  options.method = method;
  options.lora.rank = 8;
  options.lora.alpha = 16;
  options.examples = 0;
  options.exampleUnit = train::ExampleUnit::PerTask;
  options.validationExamples = 0;
  options.evaluateEvery = o.steps;
  options.steps = o.steps;
  options.batchSize = batch;
  options.learningRate = 3e-3;
  const auto result = train::fineTuneClassifier({base.weights, nullptr, o.dir + "/mlp.safetensors"}, tasks,
                                                options, "", o.dir + "/adapter", {});
  return double(o.steps * batch) / result.seconds;
}

std::optional<double> pytorchExamplesPerSecond(const Options& o, const char* method, std::int64_t batch) {
  const std::string command = o.python + " " + BENCH_TRAIN_SCRIPT + " --dir '" + o.dir + "' --method " +
                              method + " --steps " + std::to_string(o.steps) + " --batch " +
                              std::to_string(batch) + " --threads " + std::to_string(at::get_num_threads());
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::string out;
  char buffer[4096];
  while (pipe && fgets(buffer, sizeof buffer, pipe.get()))
    out += buffer;
  try {
    return nlohmann::json::parse(out).at("examples_per_s").get<double>();
  } catch (const std::exception&) {
    std::fprintf(stderr,
                 "the PyTorch side failed (%s); it needs Debian's python3-torch and python3-numpy:\n"
                 "    packaging/install-deps.sh --bench\n",
                 command.c_str());
    return std::nullopt;
  }
}

} // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto next = [&] {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return std::string(argv[++i]);
    };
    if (a == "--dir")
      o.dir = next();
    else if (a == "--examples")
      o.examples = std::stoll(next());
    else if (a == "--steps")
      o.steps = std::stoll(next());
    else if (a == "--rounds")
      o.rounds = std::stoi(next());
    else if (a == "--python")
      o.python = next();
    else {
      std::fprintf(stderr,
                   "usage: bench_train [--dir DIR] [--examples N] [--steps N] [--rounds N] [--python PY]\n");
      return 2;
    }
  }
  generate(o);
  std::printf(
      "fine-tuning throughput, MLP 784-512-256-10, %lld steps, %d intra-op threads (best of %d rounds)\n",
      static_cast<long long>(o.steps), at::get_num_threads(), o.rounds);
  std::printf("%-6s %6s %18s %18s %8s\n", "method", "batch", "Merganser ex/s", "PyTorch ex/s", "ratio");
  for (const auto& [method, name] :
       {std::pair{train::Method::Lora, "lora"}, std::pair{train::Method::Ia3, "ia3"}}) {
    for (const auto batch : o.batches) {
      double ours = 0, theirs = 0;
      for (int round = 0; round < o.rounds; ++round) {
        ours = std::max(ours, merganserExamplesPerSecond(o, method, batch));
        const auto reference = pytorchExamplesPerSecond(o, name, batch);
        if (!reference) return 1;
        theirs = std::max(theirs, *reference);
      }
      std::printf("%-6s %6lld %18.0f %18.0f %7.2fx\n", name, static_cast<long long>(batch), ours, theirs,
                  ours / theirs);
    }
  }
  return 0;
}
