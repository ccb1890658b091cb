// Checkpoints versioned with git: repository size and speed of the theta filter against plain git and
// against whole-file storage (what git-lfs keeps: every distinct file once), in one run.
//
// Generates (once) in DIR a base of SIZE GB (64 MiB float32 tensors) and three later checkpoints of it:
//   v2        the base with 2 tensors changed in every value (a new version of the model)
//   partial   a specialist that changed a quarter of the tensors (the others are the base's)
//   full      a full fine-tune: every tensor changed a little
//   lora      full with a LoRA adapter of rank 16 merged into every tensor (W + 2·B·A in float32, as PEFT)
// then commits base, v2, partial, full and lora, one commit each, into two fresh repositories: one with
// `merganser-cli theta install`, one plain. Prints each commit's time and the repository's size after it,
// beside the floor (the checkpoint read from the page cache and written once to a new file with fsync: what
// storing it can cost at least) and the whole-file store's size. Then checks out each revision in both
// repositories (smudge vs plain git) and checks the files byte-identical. Last, pushes each repository to a
// bare remote through file:// and clones it back (the theta clone fetching its objects), beside the floor
// of copying the theta store once.
//   ninja -C build bench_theta && build/tests/bench/bench_theta --dir bench-data/theta [--size 0.5]
//       [--transport-only] [--plain-default]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "io/safetensors_writer.h"
#include "io/tensor.h"

namespace fs = std::filesystem;
using namespace mg;

namespace {

constexpr std::int64_t kRows = 4096, kCols = 4096; // 64 MiB of float32

double secondsSince(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::uint64_t folderBytes(const fs::path& folder) {
  std::uint64_t total = 0;
  for (const auto& entry : fs::recursive_directory_iterator(folder))
    if (entry.is_regular_file()) total += entry.file_size();
  return total;
}

int run(const std::string& command) {
  const int status = std::system(command.c_str());
  if (status != 0) {
    std::fprintf(stderr, "bench_theta: failed (%d): %s\n", status, command.c_str());
    std::exit(1);
  }
  return 0;
}

// W += 2·B·A for a random adapter of rank 16 (B: kRows × 16, A: 16 × kCols), the product summed in float32.
void mergeLora(std::vector<float>& weights, unsigned seed) {
  constexpr std::int64_t rank = 16;
  std::mt19937 random(seed + 77);
  std::normal_distribution<float> normal(0.0f, 0.005f);
  std::vector<float> b(std::size_t(kRows * rank)), a(std::size_t(rank * kCols)),
      product(static_cast<std::size_t>(kCols));
  for (float& v : b)
    v = normal(random);
  for (float& v : a)
    v = normal(random);
  for (std::int64_t i = 0; i < kRows; ++i) {
    std::fill(product.begin(), product.end(), 0.0f);
    for (std::int64_t k = 0; k < rank; ++k)
      for (std::int64_t j = 0; j < kCols; ++j)
        product[std::size_t(j)] += b[std::size_t(i * rank + k)] * a[std::size_t(k * kCols + j)];
    for (std::int64_t j = 0; j < kCols; ++j)
      weights[std::size_t(i * kCols + j)] += 2.0f * product[std::size_t(j)];
  }
}

// The tensor `t` of checkpoint `kind`: the base's, or changed where that checkpoint changes it.
std::vector<float> tensorValues(int t, const std::string& kind, int count) {
  std::vector<float> values(std::size_t(kRows * kCols));
  std::mt19937 base(unsigned(t + 1));
  std::normal_distribution<float> normal(0.0f, 0.02f);
  for (float& v : values)
    v = normal(base);
  const bool changed = (kind == "v2" && (t == 0 || t == count - 1)) || (kind == "partial" && t % 4 == 1) ||
                       kind == "full" || kind == "lora";
  if (changed) {
    std::mt19937 delta(unsigned(1000 * (t + 1) + (kind == "lora" ? 4 : kind.size()))); // lora: full's
    std::normal_distribution<float> small(0.0f, 0.002f);
    for (float& v : values)
      v += small(delta);
  }
  if (kind == "lora") mergeLora(values, unsigned(t));
  return values;
}

void generate(const fs::path& file, const std::string& kind, int count) {
  if (fs::exists(file) && fs::file_size(file) > std::uint64_t(count) * kRows * kCols * 4) return;
  std::printf("generating %s (%d tensors of 64 MiB)\n", file.c_str(), count);
  std::fflush(stdout);
  std::vector<io::TensorInfo> infos;
  for (int t = 0; t < count; ++t)
    infos.push_back({"model.layers." + std::to_string(t) + ".proj.weight", io::DType::F32, {kRows, kCols}});
  io::writeSafetensors(file.string(), infos, [&](const io::TensorInfo& info) {
    const int t = int(&info - infos.data());
    return io::TensorData::fromFloat32(info.name, info.shape, tensorValues(t, kind, count));
  });
}

// Reads `file` (from the page cache after a first read) and writes it once to a new file, fsynced.
double floorSeconds(const fs::path& file, const fs::path& scratch) {
  std::vector<char> buffer(8 << 20);
  {
    std::ifstream warm(file, std::ios::binary);
    while (warm.read(buffer.data(), std::streamsize(buffer.size()))) {
    }
  }
  const auto start = std::chrono::steady_clock::now();
  std::ifstream in(file, std::ios::binary);
  const int out = ::open(scratch.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  while (in.read(buffer.data(), std::streamsize(buffer.size())) || in.gcount() > 0)
    if (::write(out, buffer.data(), std::size_t(in.gcount())) < 0) break;
  ::fsync(out);
  ::close(out);
  const double seconds = secondsSince(start);
  fs::remove(scratch);
  return seconds;
}

std::string gitIn(const fs::path& repo) {
  return "cd '" + repo.string() +
         "' && GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=b " +
         "GIT_AUTHOR_EMAIL=b@b GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@b git ";
}

double timed(const std::string& command) {
  const auto start = std::chrono::steady_clock::now();
  run(command);
  return secondsSince(start);
}

// A repository pushed to a bare remote of its own through file:// (git's real transport: a pack made,
// sent and received), then cloned from it and checked out; the theta clone fetches its objects on `theta
// install`. A "tuned" remote keeps pushed packs whole and never searches big blobs for deltas
// (receive.unpackLimit=1, core.bigFileThreshold=1m: README); a default one unpacks a push of fewer than 100
// objects into zlib-compressed loose objects and delta-searches every blob it serves.
struct TransportRun {
  double pushSeconds, cloneSeconds;
  std::uint64_t remoteBytes, cloneBytes;
};

TransportRun transport(const fs::path& data, const fs::path& repo, bool thetaRepo, bool tuned) {
  const std::string name = repo.filename().string() + (tuned ? "-tuned" : "-default");
  const fs::path remote = data / (name + "-remote.git"), clone = data / (name + "-clone");
  fs::remove_all(remote);
  fs::remove_all(clone);
  run("git init -q --bare -b main '" + remote.string() + "'");
  if (tuned)
    run("git -C '" + remote.string() + "' config receive.unpackLimit 1 && git -C '" + remote.string() +
        "' config core.bigFileThreshold 1m");
  run(gitIn(repo) + "remote remove bench 2>/dev/null; " + gitIn(repo) + "remote add bench 'file://" +
      remote.string() + "'");
  TransportRun measured{};
  measured.pushSeconds = timed(gitIn(repo) + "push -q bench main 2>/dev/null");
  measured.remoteBytes = folderBytes(remote);
  const std::string cloneCommand = "GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 git clone -q 'file://" +
                                   remote.string() + "' '" + clone.string() + "'";
  measured.cloneSeconds = thetaRepo ? timed(cloneCommand + " && '" + std::string(MERGANSER_CLI) +
                                            "' theta install '" + clone.string() + "' > /dev/null")
                                    : timed(cloneCommand);
  run("cmp -s '" + (clone / "model.safetensors").string() + "' '" + (data / "lora.safetensors").string() +
      "'");
  measured.cloneBytes = folderBytes(clone / ".git");
  fs::remove_all(remote);
  fs::remove_all(clone);
  return measured;
}

void transports(const fs::path& data, const fs::path& theta, const fs::path& plain, std::size_t versions,
                bool plainDefault) {
  std::printf("\npush of all %zu versions to a bare remote (file://), then clone + checkout of the latest "
              "(identical):\n",
              versions);
  std::printf("%-15s | %9s %10s | %9s %10s\n", "repo, remote", "push s", "remote GB", "clone s", "clone GB");
  struct Case {
    const char* label;
    fs::path repo;
    bool thetaRepo, tuned;
  };
  std::vector<Case> cases = {{"theta, default", theta, true, false},
                             {"theta, tuned", theta, true, true},
                             {"plain, tuned", plain, false, true}};
  if (plainDefault) cases.push_back({"plain, default", plain, false, false});
  for (const Case& c : cases) {
    const TransportRun measured = transport(data, c.repo, c.thetaRepo, c.tuned);
    std::printf("%-15s | %9.2f %10.2f | %9.2f %10.2f\n", c.label, measured.pushSeconds,
                double(measured.remoteBytes) / 1e9, measured.cloneSeconds, double(measured.cloneBytes) / 1e9);
    std::fflush(stdout);
  }
  const fs::path copy = data / "floor-copy";
  fs::remove_all(copy);
  const double floor = timed("cp -r '" + (theta / ".git/theta/objects").string() + "' '" + copy.string() +
                             "' && sync -f '" + copy.string() + "'");
  fs::remove_all(copy);
  std::printf("floor           | %9.2f (the theta store copied once, synced)\n", floor);
}

} // namespace

int main(int argc, char** argv) {
  std::string dir = "bench-data/theta";
  double sizeGb = 0.5;
  bool transportOnly = false, plainDefault = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
    if (!std::strcmp(argv[i], "--size") && i + 1 < argc) sizeGb = std::atof(argv[++i]);
    if (!std::strcmp(argv[i], "--transport-only")) transportOnly = true; // the repositories of a previous run
    if (!std::strcmp(argv[i], "--plain-default")) plainDefault = true;   // adds ~20 minutes
  }
  const int count = std::max(4, int(sizeGb * 1e9 / double(kRows * kCols * 4) + 0.5));
  const fs::path data = fs::absolute(dir);
  fs::create_directories(data);
  const std::vector<std::string> kinds = {"base", "v2", "partial", "full", "lora"};
  for (const auto& kind : kinds)
    generate(data / (kind + ".safetensors"), kind, count);
  const std::uint64_t fileBytes = fs::file_size(data / "base.safetensors");

  const fs::path theta = data / "repo-theta", plain = data / "repo-plain";
  if (transportOnly) {
    transports(data, theta, plain, kinds.size(), plainDefault);
    return 0;
  }
  for (const fs::path& repo : {theta, plain}) {
    fs::remove_all(repo);
    fs::create_directories(repo);
    run(gitIn(repo) + "init -q -b main");
  }
  run("'" + std::string(MERGANSER_CLI) + "' theta install '" + theta.string() + "' > /dev/null");
  run(gitIn(theta) + "add .gitattributes && " + gitIn(theta) + "commit -qm attributes");

  std::printf(
      "\n%d tensors of 64 MiB, %.2f GB per checkpoint; each checkpoint committed as model.safetensors\n",
      count, double(fileBytes) / 1e9);
  std::printf("%-8s | %9s %9s %9s | %9s %10s %10s %10s %11s\n", "commit", "floor s", "theta s", "plain s",
              "whole GB", "theta GB", "plain GB", "theta/whole", "theta +MB");
  std::uint64_t whole = 0, thetaBefore = folderBytes(theta / ".git");
  for (const auto& kind : kinds) {
    const fs::path file = data / (kind + ".safetensors");
    const double floor = floorSeconds(file, data / "floor.tmp");
    double seconds[2];
    int r = 0;
    for (const fs::path& repo : {theta, plain}) {
      fs::copy_file(file, repo / "model.safetensors", fs::copy_options::overwrite_existing);
      const auto start = std::chrono::steady_clock::now();
      run(gitIn(repo) + "add model.safetensors && " + gitIn(repo) + "commit -qm " + kind);
      seconds[r++] = secondsSince(start);
    }
    whole += fileBytes;
    const double thetaGb = double(folderBytes(theta / ".git")) / 1e9,
                 plainGb = double(folderBytes(plain / ".git")) / 1e9;
    const std::uint64_t thetaBytes = folderBytes(theta / ".git");
    std::printf("%-8s | %9.2f %9.2f %9.2f | %9.2f %10.2f %10.2f %10.2f %11.1f\n", kind.c_str(), floor,
                seconds[0], seconds[1], double(whole) / 1e9, thetaGb, plainGb,
                thetaGb / (double(whole) / 1e9), double(thetaBytes - thetaBefore) / 1e6);
    thetaBefore = thetaBytes;
  }

  std::printf(
      "\ncheckout of each revision (the file rebuilt from the store vs git's own blob), byte-identical:\n");
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    const std::string revision = "main~" + std::to_string(kinds.size() - 1 - k);
    double seconds[2];
    int r = 0;
    for (const fs::path& repo : {theta, plain}) {
      fs::remove(repo / "model.safetensors");
      const auto start = std::chrono::steady_clock::now();
      run(gitIn(repo) + "checkout -q " + revision + " -- model.safetensors");
      seconds[r++] = secondsSince(start);
      run("cmp -s '" + (repo / "model.safetensors").string() + "' '" +
          (data / (kinds[k] + ".safetensors")).string() + "'");
    }
    std::printf("  %-8s theta %6.2f s   plain %6.2f s   identical\n", kinds[k].c_str(), seconds[0],
                seconds[1]);
  }
  transports(data, theta, plain, kinds.size(), plainDefault);
  return 0;
}
