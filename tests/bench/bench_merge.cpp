// Merge throughput and memory against the I/O floor.
//
// Generates (once) a base and N fine-tuned checkpoints of SIZE GB each (64 MiB float32 tensors), then,
// for each input count, measures in one run:
//   floor      every input tensor read once from the page cache (pread, like cat) and an output of the
//              same size written the way a merge writes it: temporary file, fsync, rename, folder fsync
//   METHOD     the real merge through the engine (MergedWeights + exportWeights)
//   cli:NAME   `merganser-cli merge` of the same recipe as a child process (--cli PATH, repeatable: give
//              an older build to compare before and after in the same run); includes the input hashes
//              the CLI writes into the provenance
// Each is timed warm (inputs in the page cache; median of --repeat runs, spread shown) and cold (the
// inputs evicted from the page cache with posix_fadvise(DONTNEED) first: disk-bound, one run). Ratios are
// to the floor measured the same way. Goals (issue 13): linear and task_arithmetic <= 1.5x the warm floor,
// ties / dare_ties / della <= 2.5x; peak RSS no higher than before. tsv, iso_c and wudi (issue 14) are
// bound by arithmetic, not by I/O: one exact SVD per 64 MiB matrix for iso_c, T + 2 for tsv (spec, "iso_c,
// iso_cts, tsv"), 300 Adam steps of one 4096³ product each for wudi (spec, "wudi"). s/GB: warm seconds per
// GB of one model's weights. The output's content hash (tensor bytes only, metadata aside) is printed so runs
// of different builds can be checked for identical results.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "weights/export.h"
#include "weights/merged_weights.h"
#include "weights/open_weights.h"
#include "io/atomic_file.h"
#include "io/content_hash.h"
#include "io/safetensors_file.h"
#include "io/safetensors_writer.h"
#include "support/memory.h"
#include "tensor/torch_convert.h"

namespace fs = std::filesystem;
using namespace mg;

namespace {

constexpr std::int64_t kRows = 4096, kCols = 4096; // 64 MiB float32 tensors, like a 7B model's projections
constexpr std::uint64_t kTensorBytes = kRows * kCols * 4;

std::vector<std::string> splitList(const std::string& v) {
  std::vector<std::string> out;
  std::size_t s = 0;
  while (s <= v.size()) {
    const auto e = std::min(v.find(',', s), v.size());
    if (e > s) out.push_back(v.substr(s, e - s));
    s = e + 1;
  }
  return out;
}

struct Options {
  std::string dir = "bench-data";
  double sizeGb = 0.5;
  std::vector<int> inputs = {2, 4};
  // tsv, iso_c and wudi run only when named (--methods tsv,iso_c,wudi): at 15-100 s per matrix (wudi:
  // minutes) they would turn a one-minute run into half an hour or more.
  std::vector<std::string> methods = {"linear", "task_arithmetic", "ties", "dare_ties", "della"};
  std::vector<std::string> clis;
  int threads = 0;
  int repeat = 3;
  bool cold = true;
  bool engine = true; // in-process rows (--engine 0: only the --cli rows, e.g. for an older build)
};

std::string checkpointPath(const Options& o, int index) {
  return o.dir + "/" + (index < 0 ? std::string("base") : "ft" + std::to_string(index)) + ".safetensors";
}

int tensorCount(const Options& o) {
  return static_cast<int>(o.sizeGb * 1e9 / double(kTensorBytes) + 0.999);
}

void generate(const Options& o, int inputs) {
  fs::create_directories(o.dir);
  const int n = tensorCount(o);
  std::vector<io::TensorInfo> infos;
  for (int t = 0; t < n; ++t)
    infos.push_back({"model.layers." + std::to_string(t) + ".proj.weight", io::DType::F32, {kRows, kCols}});
  for (int i = -1; i < inputs; ++i) {
    const std::string path = checkpointPath(o, i);
    if (fs::exists(path) && fs::file_size(path) > std::uint64_t(n) * kTensorBytes) continue;
    std::printf("generating %s (%d tensors of 64 MiB)\n", path.c_str(), n);
    std::fflush(stdout);
    io::writeSafetensors(path, infos, [&](const io::TensorInfo& info) {
      const int t = static_cast<int>(&info - infos.data());
      at::manual_seed(static_cast<std::uint64_t>(t)); // the same base tensor in every file...
      at::Tensor w = at::randn({kRows, kCols}) * 0.02;
      if (i >= 0) {
        at::manual_seed(static_cast<std::uint64_t>(1000 * (i + 1) + t)); // ...plus a task-specific delta
        w += at::randn({kRows, kCols}) * 0.002;
      }
      return tensor::fromTorch(w, info.name, io::DType::F32);
    });
  }
}

double secondsSince(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

struct Measure {
  double seconds = 0;
  std::uint64_t peakRss = 0;
};

// Drops the files' pages from the page cache (clean pages only: the inputs are never written here).
void evict(const std::vector<std::string>& paths) {
  for (const auto& p : paths) {
    const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ::fdatasync(fd);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
  }
}

void readFully(int fd, char* dst, std::uint64_t size, std::uint64_t offset) {
  while (size > 0) {
    const ssize_t n = ::pread(fd, dst, size, static_cast<off_t>(offset));
    if (n <= 0) throw std::runtime_error("floor: short read");
    dst += n, offset += std::uint64_t(n), size -= std::uint64_t(n);
  }
}

// The I/O floor: every input tensor read once (in the order a merge reads them), an output of the
// merge's size written through io::AtomicFile as the safetensors writer does (write, fsync, rename).
Measure ioFloor(const std::vector<std::string>& paths, const std::string& out) {
  struct Input {
    int fd;
    std::uint64_t dataStart;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> extents; // file order
  };
  std::vector<Input> inputs;
  for (const auto& p : paths) {
    const io::SafetensorsFile file(p);
    Input in{::open(p.c_str(), O_RDONLY | O_CLOEXEC), 0, {}};
    std::uint64_t headerBytes = 0;
    readFully(in.fd, reinterpret_cast<char*>(&headerBytes), 8, 0);
    in.dataStart = 8 + headerBytes;
    std::uint64_t offset = 0;
    for (const auto& t : file.tensors()) { // the bench's checkpoints store tensors in name order
      in.extents.emplace_back(offset, t.nbytes());
      offset += t.nbytes();
    }
    inputs.push_back(std::move(in));
  }
  // Buffers allocated and touched before the clock starts: the floor measures I/O, not page faults.
  std::vector<std::vector<char>> buffers(inputs.size(), std::vector<char>(kTensorBytes, 1));
  test::resetPeakRss();
  const auto start = std::chrono::steady_clock::now();
  {
    io::AtomicFile file(out);
    std::vector<char> header(inputs[0].dataStart);
    readFully(inputs[0].fd, header.data(), header.size(), 0);
    file.write(header.data(), header.size());
    for (std::size_t t = 0; t < inputs[0].extents.size(); ++t) {
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        const auto [offset, size] = inputs[i].extents[t];
        if (buffers[i].size() < size) buffers[i].resize(size);
        readFully(inputs[i].fd, buffers[i].data(), size, inputs[i].dataStart + offset);
      }
      file.write(buffers[0].data(), inputs[0].extents[t].second);
    }
    file.commit();
  }
  const Measure m{secondsSince(start), test::peakRssBytes()};
  for (const auto& in : inputs)
    ::close(in.fd);
  return m;
}

bool usesBase(const std::string& method) {
  return method != "linear";
}

std::vector<std::string> recipeParams(const std::string& method) {
  if (method == "ties" || method == "dare_ties" || method == "della") return {"density=0.5"};
  return {};
}

Measure mergeRun(const Options& o, int inputs, const std::string& method, const std::string& out) {
  engine::MergeRecipe recipe;
  recipe.method = method;
  if (usesBase(method)) {
    recipe.base = engine::openWeights(checkpointPath(o, -1), nullptr).weights;
    recipe.baseLabel = "base";
  }
  for (int i = 0; i < inputs; ++i) {
    engine::MergeInput input;
    input.weights = engine::openWeights(checkpointPath(o, i), nullptr).weights;
    input.label = checkpointPath(o, i);
    recipe.inputs.push_back(std::move(input));
  }
  for (const auto& p : recipeParams(method))
    recipe.params.push_back(engine::parseParamRule(p));
  recipe.seed = 1;
  engine::ExportOptions options;
  options.workers = o.threads;
  test::resetPeakRss();
  const auto start = std::chrono::steady_clock::now();
  engine::exportWeights(engine::MergedWeights(recipe), out, options);
  return {secondsSince(start), test::peakRssBytes()};
}

// `cli merge` of the same recipe as a child process: wall time and the child's peak RSS.
Measure cliRun(const Options& o, const std::string& cli, int inputs, const std::string& method,
               const std::string& out) {
  std::vector<std::string> args = {cli, "merge", "--method", method, "--seed", "1", "--out", out};
  if (usesBase(method)) args.insert(args.end(), {"--base", checkpointPath(o, -1)});
  for (int i = 0; i < inputs; ++i)
    args.insert(args.end(), {"--model", checkpointPath(o, i)});
  for (const auto& p : recipeParams(method))
    args.insert(args.end(), {"--param", p});
  if (o.threads > 0) args.insert(args.end(), {"--threads", std::to_string(o.threads)});
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO); // progress lines
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  const double s = secondsSince(start);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(cli + " merge --method " + method + " failed");
  return {s, std::uint64_t(usage.ru_maxrss) * 1024};
}

std::string outputHash(const std::string& out) {
  return io::contentHash(io::SafetensorsFile(out)).substr(0, 12);
}

struct Row {
  std::string name;
  std::vector<Measure> warm;
  std::optional<Measure> cold;
  std::string hash;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

void printRow(const Row& r, const Row& floor, double modelGb) {
  std::vector<double> s;
  std::uint64_t rss = 0;
  for (const auto& m : r.warm)
    s.push_back(m.seconds), rss = std::max(rss, m.peakRss);
  std::vector<double> fs;
  for (const auto& m : floor.warm)
    fs.push_back(m.seconds);
  const double warm = median(s);
  std::printf("%-20s %8.2f %7.2f %7.2f %6.2f-%-6.2f", r.name.c_str(), warm, warm / median(fs), warm / modelGb,
              *std::min_element(s.begin(), s.end()), *std::max_element(s.begin(), s.end()));
  if (r.cold && floor.cold)
    std::printf(" %8.2f %7.2f", r.cold->seconds, r.cold->seconds / floor.cold->seconds);
  else
    std::printf(" %8s %7s", "-", "-");
  std::printf(" %9.0f  %s\n", double(rss) / 1048576.0, r.hash.c_str());
  std::fflush(stdout);
}

template <typename Run>
Row measure(const Options& o, std::string name, const std::vector<std::string>& inputs,
            const std::string& out, Run run) {
  Row row{std::move(name), {}, std::nullopt, {}};
  std::error_code ec;
  for (int r = 0; r < o.repeat; ++r) {
    fs::remove(out, ec);
    row.warm.push_back(run());
  }
  if (o.cold) {
    fs::remove(out, ec);
    evict(inputs);
    row.cold = run();
  }
  if (fs::exists(out) && row.name.rfind("floor", 0) != 0) row.hash = outputHash(out);
  fs::remove(out, ec); // keeps the next run's writes from competing with this output's dirty pages
  return row;
}

int usage() {
  std::fprintf(stderr, "usage: bench_merge [--dir D] [--size-gb G] [--inputs 2,4] [--methods a,b] "
                       "[--repeat R] [--cold 0|1] [--engine 0|1] [--cli PATH]... [--threads T]\n");
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  Options o;
  if (argc % 2 == 0) return usage(); // a flag without its value (--help among them) runs nothing
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--dir")
      o.dir = v;
    else if (k == "--size-gb")
      o.sizeGb = std::stod(v);
    else if (k == "--inputs") {
      o.inputs.clear();
      for (const auto& n : splitList(v))
        o.inputs.push_back(std::stoi(n));
    } else if (k == "--threads")
      o.threads = std::stoi(v);
    else if (k == "--repeat")
      o.repeat = std::max(1, std::stoi(v));
    else if (k == "--cold")
      o.cold = v != "0";
    else if (k == "--engine")
      o.engine = v != "0";
    else if (k == "--cli")
      o.clis.push_back(v);
    else if (k == "--methods")
      o.methods = splitList(v);
    else {
      return usage();
    }
  }
  generate(o, *std::max_element(o.inputs.begin(), o.inputs.end()));
  const int n = tensorCount(o);
  const std::string out = o.dir + "/out.safetensors";
  for (const int inputs : o.inputs) {
    std::vector<std::string> withBase = {checkpointPath(o, -1)};
    for (int i = 0; i < inputs; ++i)
      withBase.push_back(checkpointPath(o, i));
    const std::vector<std::string> withoutBase(withBase.begin() + 1, withBase.end());
    std::printf("\nbase + %d inputs, %.2f GB each (%d tensors of %.0f MiB), %u cores, torch threads %d; "
                "warm: median of %d\n",
                inputs, double(n) * double(kTensorBytes) / 1e9, n, double(kTensorBytes) / 1048576.0,
                std::thread::hardware_concurrency(), at::get_num_threads(), o.repeat);
    ioFloor(withBase, out); // warms the page cache so every run below reads alike
    std::printf("%-20s %8s %7s %7s %13s %8s %7s %9s  %s\n", "run", "warm s", "x floor", "s/GB", "warm spread",
                "cold s", "x cold", "peak MB", "output hash");
    const double modelGb = double(n) * double(kTensorBytes) / 1e9;
    // The floor reads what the method reads (linear reads no base).
    const Row floor = measure(o, "floor", withBase, out, [&] { return ioFloor(withBase, out); });
    const Row floorNoBase =
        measure(o, "floor (no base)", withoutBase, out, [&] { return ioFloor(withoutBase, out); });
    printRow(floor, floor, modelGb);
    printRow(floorNoBase, floorNoBase, modelGb);
    for (const auto& method : o.methods) {
      const Row& f = usesBase(method) ? floor : floorNoBase;
      const auto& read = usesBase(method) ? withBase : withoutBase;
      if (o.engine)
        printRow(measure(o, method, read, out, [&] { return mergeRun(o, inputs, method, out); }), f, modelGb);
      for (const auto& cli : o.clis)
        printRow(measure(o, "cli:" + fs::path(cli).parent_path().filename().string() + ":" + method, read,
                         out, [&] { return cliRun(o, cli, inputs, method, out); }),
                 f, modelGb);
    }
  }
  std::printf("\nx floor: warm median / warm floor median (the floor that reads the same inputs); s/GB: warm "
              "median per GB of one model; x cold: cold run / cold floor. Peak MB: the highest VmHWM of the "
              "runs (the child's for cli rows).\n");
  return 0;
}
