// Language-model throughput of core/lm against the same model in PyTorch (Debian's python3-torch, run by
// tests/bench/bench_lm.py) in the same run and with the same intra-op threads:
//  - scoring: teacher-forced summed log-likelihood of every token of N sequences, batched (tokens/s);
//  - generation: greedy decoding of batch 1 with a KV cache (new tokens/s, prefill included);
//  - memory: peak RSS minus the RSS before loading (what the model and its runs add) against the weights'
//    size plus the KV cache, the libraries' baseline (the RSS before loading) shown apart;
//  - the per-sequence log-likelihoods of both sides, which must agree to 1e-4.
// Writes under --dir (git-ignored: bench-data/) a LlamaForCausalLM of about 100 M parameters with random
// weights (float32 safetensors) and the token sequences, once; later runs reuse them.
#include <ATen/ATen.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "io/safetensors_writer.h"
#include "lm/causal_lm.h"
#include "lm/generation.h"
#include "lm/scoring.h"
#include "support/memory.h"
#include "tensor/torch_convert.h"
#include "util/large_blocks.h"

namespace fs = std::filesystem;
using namespace mg;

namespace {

struct Options {
  std::string dir = "bench-data/lm";
  int threads = 2;
  std::size_t batch = 8;
  std::int64_t sequences = 16, length = 256, prompt = 32, newTokens = 64;
  int repeat = 2;
  bool bf16 = false; // Merganser computes in bf16 (the PyTorch side stays f32; log-likelihoods then differ)
  std::string python = fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
};

nlohmann::json modelConfig() {
  return {{"architectures", {"LlamaForCausalLM"}},
          {"model_type", "llama"},
          {"vocab_size", 32000},
          {"hidden_size", 768},
          {"intermediate_size", 2048},
          {"num_hidden_layers", 10},
          {"num_attention_heads", 12},
          {"num_key_value_heads", 4},
          {"rms_norm_eps", 1e-5},
          {"rope_theta", 10000.0},
          {"max_position_embeddings", 2048},
          {"tie_word_embeddings", false},
          {"bos_token_id", 1},
          {"eos_token_id", 2}};
}

// The model folder and tokens.json, unless a previous run wrote them.
void generate(const Options& o) {
  const auto folder = o.dir + "/model";
  if (fs::exists(folder + "/model.safetensors") && fs::exists(o.dir + "/tokens.json")) return;
  fs::create_directories(folder);
  const auto c = modelConfig();
  const std::int64_t V = c["vocab_size"], d = c["hidden_size"], ff = c["intermediate_size"],
                     H = c["num_attention_heads"], KV = c["num_key_value_heads"], L = c["num_hidden_layers"];
  const auto D = d / H;
  std::vector<std::pair<std::string, std::vector<std::int64_t>>> shapes = {
      {"model.embed_tokens.weight", {V, d}}, {"model.norm.weight", {d}}, {"lm_head.weight", {V, d}}};
  for (std::int64_t i = 0; i < L; ++i) {
    const auto p = "model.layers." + std::to_string(i) + ".";
    shapes.push_back({p + "input_layernorm.weight", {d}});
    shapes.push_back({p + "post_attention_layernorm.weight", {d}});
    shapes.push_back({p + "self_attn.q_proj.weight", {H * D, d}});
    shapes.push_back({p + "self_attn.k_proj.weight", {KV * D, d}});
    shapes.push_back({p + "self_attn.v_proj.weight", {KV * D, d}});
    shapes.push_back({p + "self_attn.o_proj.weight", {d, H * D}});
    shapes.push_back({p + "mlp.gate_proj.weight", {ff, d}});
    shapes.push_back({p + "mlp.up_proj.weight", {ff, d}});
    shapes.push_back({p + "mlp.down_proj.weight", {d, ff}});
  }
  at::manual_seed(1);
  std::vector<io::TensorData> tensors;
  for (const auto& [name, shape] : shapes) {
    // Norms near 1; matrices scaled so that activations neither vanish nor explode (logits spread out).
    const auto t =
        shape.size() == 1
            ? 1 + 0.1 * at::randn(shape)
            : at::randn(shape) / std::sqrt(double(name.find("embed") != std::string::npos ? 1 : shape[1]));
    tensors.push_back(tensor::fromTorch(t, name, io::DType::F32));
  }
  io::writeSafetensors(folder + "/model.safetensors", tensors);
  std::ofstream(folder + "/config.json") << c.dump(2);
  const auto ids = at::randint(3, V, {o.sequences, o.length}, at::kLong);
  nlohmann::json tokens = nlohmann::json::array();
  for (std::int64_t s = 0; s < o.sequences; ++s) {
    const auto row = ids[s];
    tokens.push_back(
        std::vector<std::int64_t>(row.data_ptr<std::int64_t>(), row.data_ptr<std::int64_t>() + o.length));
  }
  std::ofstream(o.dir + "/tokens.json") << tokens.dump();
}

std::optional<nlohmann::json> runPython(const Options& o) {
  if (o.python == "none") return std::nullopt; // Merganser's side only
  const std::string command =
      o.python + " " + BENCH_LM_SCRIPT + " --dir '" + o.dir + "' --threads " + std::to_string(o.threads) +
      " --batch " + std::to_string(o.batch) + " --prompt " + std::to_string(o.prompt) + " --new-tokens " +
      std::to_string(o.newTokens) + " --repeat " + std::to_string(o.repeat) + " 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::string output;
  char buffer[4096];
  while (pipe && fgets(buffer, sizeof buffer, pipe.get()))
    output += buffer;
  const auto line = output.rfind('{');
  if (line == std::string::npos) {
    std::fprintf(stderr, "the PyTorch side did not run (%s); install python3-torch\n", command.c_str());
    return std::nullopt;
  }
  return nlohmann::json::parse(output.substr(line));
}

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

} // namespace

int main(int argc, char** argv) {
  const auto rssAtStart = test::currentRssBytes();
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--dir")
      o.dir = v;
    else if (a == "--threads")
      o.threads = std::stoi(v);
    else if (a == "--batch")
      o.batch = std::stoul(v);
    else if (a == "--repeat")
      o.repeat = std::stoi(v);
    else if (a == "--new-tokens")
      o.newTokens = std::stoll(v);
    else if (a == "--bf16")
      o.bf16 = v == "1";
    else if (a == "--python")
      o.python = v;
    else {
      std::fprintf(
          stderr,
          "usage: bench_lm [--dir DIR] [--threads N] [--batch N] [--repeat R] [--new-tokens N] [--bf16 1] "
          "[--python PY]\n");
      return 2;
    }
  }
  generate(o);
  const auto tokens = nlohmann::json::parse(std::ifstream(o.dir + "/tokens.json"));
  const auto weightsBytes = fs::file_size(o.dir + "/model/model.safetensors");

  test::resetPeakRss();
  const auto rssBefore = test::currentRssBytes();
  lm::LoadOptions load;
  load.dtype = o.bf16 ? lm::ComputeDtype::BF16 : lm::ComputeDtype::F32;
  const auto model = lm::CausalLm::load(o.dir + "/model", load);
  const auto rssLoaded = test::currentRssBytes();
  const auto& c = model->config();
  std::printf("model: %s, %.1f M parameters, weights %.0f MB (f32), %d threads\n", c.describe().c_str(),
              double(weightsBytes) / 4e6, double(weightsBytes) / 1e6, o.threads);

  std::vector<lm::ScoringRequest> requests;
  std::int64_t scored = 0;
  for (const auto& s : tokens) {
    requests.push_back({s.get<std::vector<std::int64_t>>(), 1, {}});
    scored += static_cast<std::int64_t>(s.size()) - 1;
  }
  lm::RunOptions run{o.batch, o.threads, nullptr};
  double scoreRate = 0;
  std::vector<lm::SequenceScore> scores;
  for (int r = 0; r < o.repeat; ++r) {
    const auto t = std::chrono::steady_clock::now();
    scores = lm::scoreContinuations(*model, requests, run);
    scoreRate = std::max(scoreRate, double(scored) / seconds(t));
  }
  const auto peakScoring = test::peakRssBytes();

  lm::GenerationOptions gen;
  gen.maxNewTokens = o.newTokens;
  gen.eosIds = {c.vocabSize}; // never: every run makes newTokens tokens
  gen.run = run;
  const auto prompt = tokens[0].get<std::vector<std::int64_t>>();
  const std::vector<std::int64_t> promptTokens(prompt.begin(), prompt.begin() + o.prompt);
  double genRate = 0;
  lm::Generation generated;
  for (int r = 0; r < o.repeat; ++r) {
    const auto t = std::chrono::steady_clock::now();
    generated = lm::generateGreedy(*model, promptTokens, gen);
    genRate = std::max(genRate, double(o.newTokens) / seconds(t));
  }
  const auto peak = test::peakRssBytes();
  // The cache: layers x (K and V) x kv heads x positions x head dim, float32.
  const double kvBytes = 2.0 * c.layers * c.kvHeads * double(o.prompt + o.newTokens) * c.headDim * 4;

  const auto py = runPython(o);
  std::printf("\n%-28s %14s %14s %8s\n", "", "Merganser", "PyTorch", "ratio");
  const auto row = [&](const char* what, double ours, double theirs) {
    std::printf("%-28s %14.1f %14.1f %7.2fx\n", what, ours, theirs, theirs > 0 ? ours / theirs : 0.0);
  };
  row("scoring tokens/s (batch)", scoreRate, py ? (*py)["scoring_tokens_per_s"].get<double>() : 0);
  row("generation tokens/s (b=1)", genRate, py ? (*py)["generation_tokens_per_s"].get<double>() : 0);
  std::printf("%-28s %14.0f %14.0f\n", "peak RSS MB", peak / 1e6,
              py ? (*py)["peak_rss_bytes"].get<double>() / 1e6 : 0.0);
  // The goal (issue 15): peak RSS <= 1.2 x (weights + KV cache). Measured as what loading the model and
  // running it add to the process: peak RSS minus the RSS before loading. The RSS before loading is the
  // libraries' baseline (Debian's LibTorch maps a few hundred shared libraries and registers its operators
  // at start-up, about 160 MB before any tensor exists), shown apart and in the whole-process ratio.
  const double budget = double(weightsBytes) + kvBytes;
  const double added = peak - double(rssBefore);
  std::printf("\nmemory: weights %.0f MB + KV cache %.1f MB = %.0f MB\n", weightsBytes / 1e6, kvBytes / 1e6,
              budget / 1e6);
  std::printf("  RSS at start %.0f MB, before loading %.0f MB (libraries' baseline), after loading %.0f MB\n",
              rssAtStart / 1e6, rssBefore / 1e6, rssLoaded / 1e6);
  std::printf("  peak RSS %.0f MB (scoring %.0f MB); activations' peak (tensors of 1 MiB and more) %.0f MB\n",
              peak / 1e6, peakScoring / 1e6, double(util::largeBlockStats().peakBytes) / 1e6);
  std::printf("  peak RSS - RSS before loading = %.0f MB = %.2fx (weights + KV cache), goal <= 1.20x: %s\n",
              added / 1e6, added / budget, added <= 1.2 * budget ? "met" : "NOT MET");
  std::printf("  whole process, baseline included: %.2fx (weights + KV cache)\n", peak / budget);
  if (py) {
    double worst = 0;
    const auto& lls = (*py)["log_likelihoods"];
    for (std::size_t i = 0; i < scores.size(); ++i)
      worst = std::max(worst, std::abs(scores[i].logLikelihood - lls[i].get<double>()));
    const bool sameTokens = (*py)["generated"].get<std::vector<std::int64_t>>() == generated.tokens;
    std::printf(
        "log-likelihoods: largest difference %.2e over %zu sequences (goal 1e-4): %s; generated tokens %s\n",
        worst, scores.size(), worst <= 1e-4 ? "equal" : "DIFFERENT", sameTokens ? "equal" : "DIFFERENT");
  }
  return 0;
}
