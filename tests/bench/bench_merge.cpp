// Merge throughput and memory against the I/O floor.
//
// Generates (once) a base and N fine-tuned checkpoints of SIZE GB each, then measures:
//   floor      read every tensor of every input and write an output of the same size (no compute)
//   METHOD     the real merge through the engine (MergedWeights + exportWeights)
// and prints seconds, input GB/s, peak RSS and the ratio to the floor. Goals (issue 3): within 1.5x of
// the floor; peak RSS under 3 x (inputs + 1) x the largest tensor.
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "weights/export.h"
#include "weights/merged_weights.h"
#include "weights/open_weights.h"
#include "io/safetensors_file.h"
#include "io/safetensors_writer.h"
#include "support/memory.h"
#include "tensor/torch_convert.h"

namespace fs = std::filesystem;
using namespace mg;

namespace {

constexpr std::int64_t kRows = 4096, kCols = 4096; // 64 MiB float32 tensors, like a 7B model's projections
constexpr std::uint64_t kTensorBytes = kRows * kCols * 4;

struct Options {
  std::string dir = "bench-data";
  double sizeGb = 1.5;
  int inputs = 4;
  std::vector<std::string> methods = {"linear", "ties", "dare_ties"};
  int threads = 0;
};

std::string checkpointPath(const Options& o, int index) {
  return o.dir + "/" + (index < 0 ? std::string("base") : "ft" + std::to_string(index)) + ".safetensors";
}

int tensorCount(const Options& o) {
  return static_cast<int>(o.sizeGb * 1e9 / double(kTensorBytes) + 0.999);
}

void generate(const Options& o) {
  fs::create_directories(o.dir);
  const int n = tensorCount(o);
  std::vector<io::TensorInfo> infos;
  for (int t = 0; t < n; ++t)
    infos.push_back({"model.layers." + std::to_string(t) + ".proj.weight", io::DType::F32, {kRows, kCols}});
  for (int i = -1; i < o.inputs; ++i) {
    const std::string path = checkpointPath(o, i);
    if (fs::exists(path) && fs::file_size(path) > std::uint64_t(n) * kTensorBytes) continue;
    std::printf("generating %s (%d tensors of 64 MiB)\n", path.c_str(), n);
    std::fflush(stdout);
    io::writeSafetensors(path, infos, [&](const io::TensorInfo& info) {
      const int t = static_cast<int>(&info - infos.data());
      torch::manual_seed(static_cast<std::uint64_t>(t)); // the same base tensor in every file...
      at::Tensor w = torch::randn({kRows, kCols}) * 0.02;
      if (i >= 0) {
        torch::manual_seed(static_cast<std::uint64_t>(1000 * (i + 1) + t)); // ...plus a task-specific delta
        w += torch::randn({kRows, kCols}) * 0.002;
      }
      return tensor::fromTorch(w, info.name, io::DType::F32);
    });
  }
}

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

struct Measure {
  double seconds = 0;
  std::uint64_t peakRss = 0;
};

// The I/O floor: every input tensor read once, an output of the same size written.
Measure ioFloor(const Options& o, const std::string& out) {
  std::vector<std::unique_ptr<io::SafetensorsFile>> files;
  for (int i = -1; i < o.inputs; ++i)
    files.push_back(std::make_unique<io::SafetensorsFile>(checkpointPath(o, i)));
  test::resetPeakRss();
  const auto start = std::chrono::steady_clock::now();
  io::writeSafetensors(out, files[0]->tensors(), [&](const io::TensorInfo& info) {
    io::TensorData first;
    for (std::size_t i = 0; i < files.size(); ++i) {
      io::TensorData d = files[i]->load(info.name);
      if (i == 0) first = std::move(d);
    }
    return first;
  });
  return {seconds(start), test::peakRssBytes()};
}

Measure mergeRun(const Options& o, const std::string& method, const std::string& out) {
  engine::MergeRecipe recipe;
  recipe.method = method;
  const bool needsBase = method != "linear";
  if (needsBase) {
    recipe.base = engine::openWeights(checkpointPath(o, -1), nullptr).weights;
    recipe.baseLabel = "base";
  }
  for (int i = 0; i < o.inputs; ++i)
    recipe.inputs.push_back(
        {engine::openWeights(checkpointPath(o, i), nullptr).weights, 1.0, checkpointPath(o, i)});
  if (method == "ties" || method == "dare_ties") recipe.params = {engine::parseParamRule("density=0.5")};
  recipe.seed = 1;
  engine::ExportOptions options;
  options.workers = o.threads;
  test::resetPeakRss();
  const auto start = std::chrono::steady_clock::now();
  engine::exportWeights(engine::MergedWeights(recipe), out, options);
  return {seconds(start), test::peakRssBytes()};
}

void dropFromPageCache(const std::string& path) {
  // Keep the next run's writes from competing with this output's dirty pages.
  std::error_code ec;
  fs::remove(path, ec);
}

} // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--dir")
      o.dir = v;
    else if (k == "--size-gb")
      o.sizeGb = std::stod(v);
    else if (k == "--inputs")
      o.inputs = std::stoi(v);
    else if (k == "--threads")
      o.threads = std::stoi(v);
    else if (k == "--methods") {
      o.methods.clear();
      std::size_t s = 0;
      while (s <= v.size()) {
        const auto e = std::min(v.find(',', s), v.size());
        o.methods.push_back(v.substr(s, e - s));
        s = e + 1;
      }
    } else {
      std::fprintf(stderr,
                   "usage: bench_merge [--dir D] [--size-gb G] [--inputs N] [--methods a,b] [--threads T]\n");
      return 2;
    }
  }
  generate(o);
  const int n = tensorCount(o);
  const double inputBytes = double(n) * double(kTensorBytes); // per checkpoint
  const double rssBound =
      3.0 * (o.inputs + 1 + 1) * double(kTensorBytes); // 3 x (inputs incl. base + 1) x largest
  std::printf("\n%d inputs + base, %.2f GB each (%d tensors of %.0f MiB), %u cores, torch threads %d\n",
              o.inputs, inputBytes / 1e9, n, double(kTensorBytes) / 1048576.0,
              std::thread::hardware_concurrency(), at::get_num_threads());
  const std::string out = o.dir + "/out.safetensors";
  ioFloor(o, out); // warm the page cache so every run below reads alike
  dropFromPageCache(out);
  const Measure floor = ioFloor(o, out);
  dropFromPageCache(out);
  std::printf("%-12s %9s %10s %12s %9s %12s\n", "run", "seconds", "in GB/s", "peak RSS MB", "x floor",
              "RSS / bound");
  auto row = [&](const std::string& name, const Measure& m, int inputsRead) {
    std::printf("%-12s %9.2f %10.2f %12.0f %9.2f %12.2f\n", name.c_str(), m.seconds,
                inputsRead * inputBytes / 1e9 / m.seconds, double(m.peakRss) / 1048576.0,
                m.seconds / floor.seconds, double(m.peakRss) / rssBound);
    std::fflush(stdout);
  };
  row("floor", floor, o.inputs + 1);
  for (const auto& method : o.methods) {
    const Measure m = mergeRun(o, method, out);
    dropFromPageCache(out);
    row(method, m, method == "linear" ? o.inputs : o.inputs + 1);
  }
  std::printf("\nRSS bound = 3 x (inputs + base + 1) x largest tensor = %.0f MB\n", rssBound / 1048576.0);
  return 0;
}
