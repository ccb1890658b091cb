// Evaluation throughput (examples/s) of the built-in classifiers against the same model on the same data
// run by PyTorch in Python (Debian's python3-torch), measured in the same run.
//
// Writes, under --dir, a Merganser MLP (784-512-256-10) and CNN (1x28x28, conv 16-32, 3x3, head 10) with
// random weights, and N random 28x28 examples with labels. Merganser: loadClassifier + evaluate (batches of
// --batch, LibTorch intra-op threads on every core). PyTorch: tests/bench/bench_eval.py builds the same
// nn.Module from the same safetensors, runs the same loop (logits, summed cross-entropy, argmax, confusion)
// under inference_mode with as many intra-op threads. Both report the accuracy too: equal accuracies show
// they computed the same thing. Each figure is the best of --repeat passes over the data, in --rounds
// rounds that alternate the two sides; PyTorch's CNN figure is the better of oneDNN (mkldnn) on and off.
#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "weights/open_weights.h"
#include "eval/classifier.h"
#include "eval/evaluation.h"
#include "io/safetensors_writer.h"
#include "io/task_file.h"
#include "tensor/torch_convert.h"

namespace fs = std::filesystem;
using namespace mg;

namespace {

struct Options {
  std::string dir = "bench-data/eval";
  std::int64_t examples = 20000;
  std::int64_t batch = 256;
  int repeat = 3;
  int rounds = 2; // Merganser and PyTorch alternate, so a busy moment does not favour either
  // Debian's python3-torch is for the system interpreter, not one a version manager puts first on PATH.
  std::string python = std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  std::vector<std::string> archs = {"mlp", "cnn"};
};

void writeModel(const std::string& path,
                const std::vector<std::pair<std::string, std::vector<std::int64_t>>>& shapes) {
  std::vector<io::TensorData> tensors;
  torch::manual_seed(1);
  for (const auto& [name, shape] : shapes) {
    const auto fanIn = shape.size() > 1 ? at::IntArrayRef(shape).slice(1) : at::IntArrayRef(shape);
    std::int64_t n = 1;
    for (const auto d : fanIn)
      n *= d;
    tensors.push_back(tensor::fromTorch(torch::randn(shape) / std::sqrt(double(n)), name, io::DType::F32));
  }
  io::writeSafetensors(path, tensors);
}

io::TaskData generate(const Options& o) {
  fs::create_directories(o.dir);
  writeModel(o.dir + "/mlp.safetensors", {{"layers.0.weight", {512, 784}},
                                          {"layers.0.bias", {512}},
                                          {"layers.1.weight", {256, 512}},
                                          {"layers.1.bias", {256}},
                                          {"head.weight", {10, 256}},
                                          {"head.bias", {10}}});
  writeModel(o.dir + "/cnn.safetensors", {{"convs.0.weight", {16, 1, 3, 3}},
                                          {"convs.0.bias", {16}},
                                          {"convs.1.weight", {32, 16, 3, 3}},
                                          {"convs.1.bias", {32}},
                                          {"head.weight", {10, 32 * 7 * 7}},
                                          {"head.bias", {10}}});
  torch::manual_seed(2);
  const auto inputs = torch::rand({o.examples, 1, 28, 28});
  const auto labels = torch::randint(0, 10, {o.examples}, torch::kInt64);
  io::TaskData task;
  task.name = "bench";
  task.labelNames = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  task.split = "test";
  task.inputShape = {o.examples, 1, 28, 28};
  task.inputs.assign(inputs.data_ptr<float>(), inputs.data_ptr<float>() + inputs.numel());
  task.labels.assign(labels.data_ptr<std::int64_t>(), labels.data_ptr<std::int64_t>() + labels.numel());
  // Raw arrays for the Python side (no h5py needed there).
  std::ofstream(o.dir + "/inputs.f32", std::ios::binary)
      .write(reinterpret_cast<const char*>(task.inputs.data()),
             std::streamsize(task.inputs.size() * sizeof(float)));
  std::ofstream(o.dir + "/labels.i64", std::ios::binary)
      .write(reinterpret_cast<const char*>(task.labels.data()),
             std::streamsize(task.labels.size() * sizeof(std::int64_t)));
  return task;
}

// Evaluation's default: one intra-op thread per core; the Python side is given as many.
int threads() {
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

struct Figure {
  double examplesPerSecond = 0;
  double accuracy = 0;
  int threads = 0;
  std::string note;
};

Figure runMerganser(const Options& o, const std::string& arch, const io::TaskData& task) {
  const auto weights = engine::openWeights(o.dir + "/" + arch + ".safetensors", nullptr).weights;
  const auto model = eval::loadClassifier(*weights, nullptr); // materialized once
  eval::EvaluationOptions options;
  options.batchSize = o.batch;
  Figure best;
  for (int r = 0; r < o.repeat; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const auto score = eval::evaluate(*model, task, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best.examplesPerSecond = std::max(best.examplesPerSecond, double(task.size()) / seconds);
    best.accuracy = score.accuracy;
  }
  best.threads = threads();
  return best;
}

// Runs the Python side; nullopt (after printing why and how to fix it) when python3 or torch is missing.
std::optional<Figure> runPyTorch(const Options& o, const std::string& arch) {
  const std::string command = o.python + " " + BENCH_EVAL_SCRIPT + " --dir '" + o.dir + "' --arch " + arch +
                              " --batch " + std::to_string(o.batch) + " --repeat " +
                              std::to_string(o.repeat) + " --threads " + std::to_string(threads()) + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::string output;
  std::array<char, 4096> buffer{};
  if (pipe)
    while (const auto n = std::fread(buffer.data(), 1, buffer.size(), pipe.get()))
      output.append(buffer.data(), n);
  const int status = pipe ? pclose(pipe.release()) : -1;
  const auto line = output.rfind("{\"");
  if (status != 0 || line == std::string::npos) {
    if (output.find("No module named") != std::string::npos || output.find("not found") != std::string::npos)
      std::printf("  PyTorch in Python is not available (%s): install it with\n"
                  "    packaging/install-deps.sh   (Debian's python3-torch and python3-numpy)\n",
                  o.python.c_str());
    else
      std::printf("  the PyTorch run failed:\n%s\n", output.c_str());
    return std::nullopt;
  }
  const auto j = nlohmann::json::parse(output.substr(line));
  return Figure{j.at("examples_per_s").get<double>(), j.at("accuracy").get<double>(),
                j.at("threads").get<int>(),
                std::string("; PyTorch oneDNN ") + (j.value("mkldnn", true) ? "on" : "off")};
}

int usage() {
  std::fprintf(
      stderr,
      "usage: bench_eval [--dir DIR] [--examples N] [--batch N] [--repeat R] [--rounds N] [--python PY] "
      "[--arch mlp|cnn]\n");
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return usage();
    const std::string v = argv[++i];
    if (a == "--dir")
      o.dir = v;
    else if (a == "--examples")
      o.examples = std::stoll(v);
    else if (a == "--batch")
      o.batch = std::stoll(v);
    else if (a == "--repeat")
      o.repeat = std::max(1, std::stoi(v));
    else if (a == "--rounds")
      o.rounds = std::max(1, std::stoi(v));
    else if (a == "--python")
      o.python = v;
    else if (a == "--arch")
      o.archs = {v};
    else
      return usage();
  }
  const auto task = generate(o);
  std::printf(
      "evaluation throughput: %lld examples of 1x28x28, batches of %lld, best of %d rounds of %d passes\n",
      static_cast<long long>(o.examples), static_cast<long long>(o.batch), o.rounds, o.repeat);
  std::printf("%-5s %22s %22s %8s\n", "model", "Merganser (ex/s)", "PyTorch/Python (ex/s)", "ratio");
  for (const auto& arch : o.archs) {
    Figure ours;
    std::optional<Figure> theirs;
    for (int round = 0; round < o.rounds; ++round) {
      const auto mine = runMerganser(o, arch, task);
      if (mine.examplesPerSecond > ours.examplesPerSecond) ours = mine;
      const auto other = runPyTorch(o, arch);
      if (!other) break;
      if (!theirs || other->examplesPerSecond > theirs->examplesPerSecond) theirs = other;
    }
    if (!theirs) {
      std::printf("%-5s %22.0f %22s %8s   (accuracy %.4f, %d threads)\n", arch.c_str(),
                  ours.examplesPerSecond, "-", "-", ours.accuracy, ours.threads);
      continue;
    }
    std::printf("%-5s %22.0f %22.0f %8.2f   (accuracy %.4f vs %.4f; threads %d vs %d%s)\n", arch.c_str(),
                ours.examplesPerSecond, theirs->examplesPerSecond,
                ours.examplesPerSecond / theirs->examplesPerSecond, ours.accuracy, theirs->accuracy,
                ours.threads, theirs->threads, theirs->note.c_str());
    if (std::abs(ours.accuracy - theirs->accuracy) > 1e-3)
      std::printf("      warning: the accuracies differ: the two runs did not compute the same model\n");
  }
  return 0;
}
