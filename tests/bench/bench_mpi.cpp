// merganser-cli spread over MPI ranks on this machine: wall time of merge, eval and run with 1, 2 and 3
// ranks (mpirun --oversubscribe --bind-to none), in one run, and each output checked identical to the
// single process's. The references are the single process of the same command, measured in the same run,
// on all cores and on one (taskset -c 0: what one rank of a machine has): the figures are ratios. One
// process already uses both cores of this machine, so ranks cannot beat it here; the one-core column shows
// how the work divides. MPI's start (~0.5 s) is in every ranked figure.
//
//   merge  TIES of 2 fine-tunes of a 1 GiB base (64 float32 tensors of 2048×2048; one output file, and 8
//          shards of 128 MiB) — compute-bound (TIES's top-k and sign election)
//   eval   a classifier of the demo zoo (build/demo) on its 6 tasks (12 000 Fashion-MNIST examples)
//   run    the demo project's Sweep node (5 merges, each evaluated on the 6 tasks)
//
//   ninja -C build bench_mpi merganser-cli && build/tests/bench/bench_mpi --dir bench-data/mpi --demo
//   build/demo
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/safetensors_writer.h"
#include "io/tensor.h"

namespace fs = std::filesystem;
using namespace mg;

namespace {

constexpr int kTensors = 64;
constexpr std::int64_t kSide = 2048;

double secondsSince(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Runs `command` (quiet), returns its wall time; exits on failure.
double timed(const std::string& command) {
  const auto start = std::chrono::steady_clock::now();
  const int status = std::system((command + " > /dev/null 2>&1").c_str());
  const double seconds = secondsSince(start);
  if (status != 0) {
    std::fprintf(stderr, "bench_mpi: failed (%d): %s\n", status, command.c_str());
    std::exit(1);
  }
  return seconds;
}

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every file under `path` (or the file) with its bytes, for "identical to the single process".
std::string contents(const fs::path& path) {
  if (fs::is_regular_file(path)) return readAll(path);
  std::string all;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(path))
    files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files)
    all += f.filename().string() + "\n" + readAll(f);
  return all;
}

void writeModel(const fs::path& path, unsigned seed, const std::vector<std::vector<float>>* near) {
  if (fs::exists(path)) return;
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, near ? 0.01f : 1.0f);
  std::vector<io::TensorData> tensors;
  for (int t = 0; t < kTensors; ++t) {
    std::vector<float> values(std::size_t(kSide * kSide));
    for (std::size_t i = 0; i < values.size(); ++i)
      values[i] = (near ? (*near)[std::size_t(t)][i] : 0.0f) + normal(rng);
    tensors.push_back(
        io::TensorData::fromFloat32("layers." + std::to_string(t) + ".weight", {kSide, kSide}, values));
  }
  io::writeSafetensors(path.string(), tensors);
}

std::vector<std::vector<float>> baseValues() {
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  std::vector<std::vector<float>> all(kTensors, std::vector<float>(std::size_t(kSide * kSide)));
  for (auto& t : all)
    for (auto& v : t)
      v = normal(rng);
  return all;
}

struct Row {
  std::string what;
  std::vector<double> seconds; // 1 process on one core, 1 process, 2 ranks, 3 ranks
  bool identical = true;
};

void print(const Row& row) {
  const auto& s = row.seconds;
  std::printf("%-34s %7.2f s  %7.2f s  %7.2f s (%.2f× / %.2f×)  %7.2f s (%.2f× / %.2f×)  %s\n",
              row.what.c_str(), s[0], s[1], s[2], s[1] / s[2], s[0] / s[2], s[3], s[1] / s[3], s[0] / s[3],
              row.identical ? "identical" : "DIFFERENT");
  std::fflush(stdout);
}

// The command line of `args` as 1 process on one core (ranks 0), 1 process, or `ranks` MPI ranks.
std::string commandFor(int ranks, const std::string& cli, const std::string& ranked,
                       const std::string& args) {
  if (ranks == 0) return "taskset -c 0 " + cli + " " + args;
  if (ranks == 1) return cli + " " + args;
  return ranked + std::to_string(ranks) + " " + cli + " " + args;
}

} // namespace

int main(int argc, char** argv) {
  fs::path dir = "bench-data/mpi", demo = "build/demo";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--dir") dir = argv[i + 1];
    if (std::string(argv[i]) == "--demo") demo = argv[i + 1];
  }
  const std::string cli = MERGANSER_CLI, mpirun = MG_MPIEXEC;
  const std::string ranked = mpirun + " --oversubscribe --bind-to none -np ";
  if (std::getenv("OMPI_ALLOW_RUN_AS_ROOT") == nullptr) {
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1); // CI-like containers run as root
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
  }
  fs::create_directories(dir);
  std::printf("generating the checkpoints in %s (once)...\n", dir.c_str());
  std::fflush(stdout);
  if (!fs::exists(dir / "b.safetensors")) {
    const auto base = baseValues();
    writeModel(dir / "base.safetensors", 1, nullptr);
    writeModel(dir / "a.safetensors", 2, &base);
    writeModel(dir / "b.safetensors", 3, &base);
  }
  std::printf("\n%-34s %9s  %9s  %30s  %30s\n", "", "1 core", "1 process", "2 ranks (speed-up: / 1 core)",
              "3 ranks (speed-up: / 1 core)");

  // Every row starts with an untimed run of its command: inputs in the page cache, as for every timed one.
  const auto measure = [&](const std::string& what, const std::string& args, const fs::path& out) {
    Row row{what, {}, true};
    std::string reference;
    timed(cli + " " + args + (out.empty() ? "" : " --out " + out.string() + "-warm"));
    fs::remove_all(out.string() + "-warm");
    for (int ranks = 0; ranks <= 3; ++ranks) {
      const fs::path target = out.string() + "-" + std::to_string(ranks);
      fs::remove_all(target);
      std::string command = commandFor(ranks, cli, ranked, args);
      if (!out.empty()) command += " --out " + target.string();
      row.seconds.push_back(timed(command));
      if (!out.empty()) {
        if (ranks == 1)
          reference = contents(target); // 1 core differs: OpenBLAS's threads (README)
        else if (ranks > 1)
          row.identical = row.identical && contents(target) == reference;
        fs::remove_all(target);
      }
    }
    print(row);
  };
  const std::string merge = "merge --method ties --base " + (dir / "base.safetensors").string() +
                            " --model " + (dir / "a.safetensors").string() + " --model " +
                            (dir / "b.safetensors").string() + " --param density=0.3";
  measure("merge ties, one file (1 GiB)", merge, dir / "merged.safetensors");
  measure("merge ties, 8 shards of 128 MiB", merge + " --shard-size 128MiB", dir / "merged");

  // eval and run print their results: compare what they print instead of files.
  const auto measurePrinted = [&](const std::string& what, const std::string& args) {
    Row row{what, {}, true};
    std::string reference;
    timed(cli + " " + args);
    for (int ranks = 0; ranks <= 3; ++ranks) {
      const fs::path printed = dir / ("printed-" + std::to_string(ranks));
      const std::string command = commandFor(ranks, cli, ranked, args) + " --json > " + printed.string();
      const auto start = std::chrono::steady_clock::now();
      if (std::system(command.c_str()) != 0) {
        std::fprintf(stderr, "bench_mpi: failed: %s\n", command.c_str());
        return;
      }
      row.seconds.push_back(secondsSince(start));
      if (ranks == 1)
        reference = readAll(printed);
      else if (ranks > 1)
        row.identical = row.identical && readAll(printed) == reference;
    }
    print(row);
  };
  if (!fs::exists(demo / "demo.mgproj")) {
    std::printf("(no demo zoo at %s: eval and run skipped; merganser-cli demo --out %s makes it)\n",
                demo.c_str(), demo.c_str());
    return 0;
  }
  std::string tasks;
  for (const char* t : {"original", "flip", "invert", "rotate", "flip+invert", "rotate+invert"})
    tasks += " --tasks " + (demo / "tasks" / (std::string(t) + ".h5")).string();
  measurePrinted("eval, 6 tasks × 2000 examples",
                 "eval --model " + (demo / "finetunes/invert").string() + tasks + " --batch 64");
  // The demo project's Sweep node, run in place (the results file beside it is rewritten with the same
  // scores). Its JSON carries each node's seconds: the test suite checks the results identical instead.
  int sweep = 0;
  const auto project = nlohmann::json::parse(readAll(demo / "demo.mgproj"));
  for (const auto& node : project.at("nodes"))
    if (node.at("type").get<std::string>() == "sink.sweep") sweep = node.at("id").get<int>();
  Row row{"run demo project, Sweep (5 points)", {}, true};
  timed(cli + " run " + (demo / "demo.mgproj").string() + " --node " + std::to_string(sweep));
  for (int ranks = 0; ranks <= 3; ++ranks)
    row.seconds.push_back(timed(commandFor(
        ranks, cli, ranked, "run " + (demo / "demo.mgproj").string() + " --node " + std::to_string(sweep))));
  print(row);
  return 0;
}
