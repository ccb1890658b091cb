// Writes the seed corpora of the fuzz targets, one folder per target under the folder given, from the
// project's own writers (every format as Merganser writes it) and the test suite's data files
// (tests/data/tokenizers, tests/data/mergekit, passed as the second and third arguments). Generated, never
// committed: packaging/dev.sh fuzz runs it before fuzzing.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "graph/document.h"
#include "graph/project_file.h"
#include "io/hdf5_checkpoint.h"
#include "io/safetensors_writer.h"
#include "io/task_file.h"
#include "io/text_task_file.h"
#include "theta_fixture.h"

namespace fs = std::filesystem;
using namespace mg;

namespace {

void writeText(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<io::TensorData> someTensors() {
  return {
      io::TensorData::fromFloat32("model.layers.0.self_attn.q_proj.weight", {2, 3}, {1, 2, 3, 4, 5, 6}),
      io::TensorData::fromFloat32("model.norm.weight", {3}, {1, 1, 1}, io::DType::BF16),
      io::TensorData::fromFloat32("lm_head.weight", {4, 3}, std::vector<float>(12, 0.5f), io::DType::F16)};
}

void safetensorsSeeds(const fs::path& out) {
  fs::create_directories(out);
  io::writeSafetensors((out / "three_dtypes.safetensors").string(), someTensors(), {{"origin", "seed"}});
  io::writeSafetensors((out / "empty.safetensors").string(), std::vector<io::TensorData>{});
}

void shardedSeeds(const fs::path& out, const fs::path& scratch) {
  // Indexes naming the shard fuzz_sharded_index writes (model-00001-of-00001.safetensors with a.weight and
  // b.weight), and one written by the project's sharded writer.
  writeText(
      out / "one_shard.json",
      R"({"metadata": {"total_size": 48}, "weight_map": {"a.weight": "model-00001-of-00001.safetensors", )"
      R"("b.weight": "model-00001-of-00001.safetensors"}})");
  const auto tensors = someTensors();
  std::vector<io::TensorInfo> infos;
  for (const auto& t : tensors)
    infos.push_back(t.info);
  const auto folder = scratch / "sharded";
  io::writeShardedSafetensors(
      folder.string(), infos,
      [&](const io::TensorInfo& info) {
        for (const auto& t : tensors)
          if (t.info.name == info.name) return t;
        return tensors.front();
      },
      {}, 16);
  fs::copy_file(folder / "model.safetensors.index.json", out / "written.json",
                fs::copy_options::overwrite_existing);
}

const char* kLlamaConfig =
    R"({"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 211,
 "hidden_size": 64, "intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 8,
 "num_key_value_heads": 2, "rms_norm_eps": 1e-6, "rope_theta": 500000.0, "max_position_embeddings": 256,
 "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
 "original_max_position_embeddings": 64}, "tie_word_embeddings": false, "eos_token_id": [1, 2]})";
const char* kQwenConfig = R"({"architectures": ["Qwen2ForCausalLM"], "vocab_size": 100, "hidden_size": 32,
 "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
 "use_sliding_window": true, "sliding_window": 16, "max_window_layers": 1, "tie_word_embeddings": true})";
const char* kGpt2Config = R"({"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": 170,
 "n_embd": 48, "n_head": 4, "n_layer": 2, "n_positions": 64, "activation_function": "gelu_new",
 "layer_norm_epsilon": 1e-5, "scale_attn_by_inverse_layer_idx": true})";
const char* kAdapterConfig = R"({"peft_type": "LORA", "r": 8, "lora_alpha": 16, "use_rslora": false,
 "target_modules": ["q_proj", "v_proj"], "rank_pattern": {"q_proj": 4}, "alpha_pattern": {}, "fan_in_fan_out": false,
 "base_model_name_or_path": "base", "bias": "none", "task_type": "CAUSAL_LM"})";

void configSeeds(const fs::path& out) {
  writeText(out / "llama.json", kLlamaConfig);
  writeText(out / "qwen2.json", kQwenConfig);
  writeText(out / "gpt2.json", kGpt2Config);
  writeText(out / "adapter.json", kAdapterConfig);
  writeText(out / "adapter_regex.json",
            R"({"peft_type": "LORA", "r": 4, "lora_alpha": 4, "target_modules": ".*proj"})");
}

void jsonSeeds(const fs::path& out) {
  configSeeds(out);
  writeText(out / "nested.json", R"({"a": [1, -2.5e3, true, null, "é\u00e9\ud83d\ude00"], "b": {"c": {}}})");
}

void projectSeeds(const fs::path& out) {
  graph::Document doc;
  const auto base = doc.addNode("source.model", {0, 100});
  doc.setParam(base, "path", "/work/base.safetensors");
  const auto adapter = doc.addNode("source.adapter", {0, 0});
  doc.setParam(adapter, "path", "adapters/math");
  const auto ties = doc.addNode("merge.ties", {300, 50});
  doc.setParam(ties, "density", 0.3);
  doc.connect({base, 0}, {ties, 0});
  doc.connect({adapter, 0}, {ties, 1}, 0.5);
  const auto exporter = doc.addNode("sink.export", {600, 50});
  doc.connect({ties, 0}, {exporter, 0});
  const auto tasks = doc.addNode("source.tasks", {0, 200});
  const auto evaluate = doc.addNode("sink.evaluate", {600, 200});
  doc.connect({ties, 0}, {evaluate, 0});
  doc.connect({tasks, 0}, {evaluate, 1});
  const auto router = doc.addNode("route.router", {600, 300});
  doc.connect({base, 0}, {router, 0});
  writeText(out / "merge.mgproj", graph::projectText(doc, "/work"));
  writeText(out / "empty.mgproj", graph::projectText(graph::Document(), "/work"));
}

void taskSeeds(const fs::path& out) {
  fs::create_directories(out);
  io::TaskData task;
  task.name = "rotate";
  task.skills = {"rotate"};
  task.labelNames = {"a", "b", "c"};
  task.split = "test";
  task.inputShape = {4, 2, 2};
  task.inputs = std::vector<float>(16, 0.25f);
  task.labels = {0, 1, 2, 1};
  io::writeTaskFile((out / "task.h5").string(), task);
}

void checkpointSeeds(const fs::path& out) {
  fs::create_directories(out);
  const auto tensors = someTensors();
  std::vector<io::TensorInfo> infos;
  for (const auto& t : tensors)
    infos.push_back(t.info);
  io::writeHdf5Checkpoint((out / "checkpoint.h5").string(), infos,
                          [&](const io::TensorInfo& info) {
                            for (const auto& t : tensors)
                              if (t.info.name == info.name) return t;
                            return tensors.front();
                          },
                          {{"origin", "seed"}});
}

void idxSeeds(const fs::path& out) {
  std::string images = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2};
  images += std::string(8, '\x7f');
  writeText(out / "images-idx3-ubyte", images);
  writeText(out / "labels-idx1-ubyte", std::string({0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3}));
}

void textTaskSeeds(const fs::path& out) {
  fs::create_directories(out);
  io::TextTask choice;
  choice.name = "reverse";
  choice.kind = io::TextTaskKind::MultipleChoice;
  choice.skills = {"reverse"};
  io::TextExample e;
  e.context = "reverse: abc =";
  e.choices = {" cba", " abc"};
  e.label = 0;
  choice.examples = {e};
  io::writeTextTaskFile((out / "choice.jsonl").string(), choice);
  io::TextTask generation;
  generation.name = "upper";
  generation.kind = io::TextTaskKind::Generation;
  generation.maxNewTokens = 8;
  io::TextExample g;
  g.prompt = "upper: ab =";
  g.answer = " AB";
  generation.examples = {g};
  io::writeTextTaskFile((out / "generation.jsonl").string(), generation);
  io::TextTask text;
  text.name = "wiki";
  text.kind = io::TextTaskKind::Perplexity;
  io::TextExample t;
  t.text = "A text of a few words.\nAnd a second line, ünïcödé.";
  text.examples = {t};
  io::writeTextTaskFile((out / "perplexity.jsonl").string(), text);
}

// Mode byte 'M' then a manifest; 'S' then a sparse object (fuzz_theta.cpp).
void thetaSeeds(const fs::path& out, const fs::path& scratch) {
  fs::create_directories(out);
  theta::ObjectStore store((scratch / "theta").string());
  const auto fixture = fuzz::makeThetaStore(scratch / "theta-checkout", store);
  for (std::size_t i = 0; i < fixture.manifests.size(); ++i)
    std::ofstream(out / ("manifest" + std::to_string(i)), std::ios::binary) << 'M' << fixture.manifests[i];
  std::ifstream sparse(fixture.sparseObject, std::ios::binary);
  std::ofstream(out / "sparse", std::ios::binary) << 'S' << sparse.rdbuf();
}

void copyFiles(const fs::path& from, const std::string& fileName, const std::string& extension,
               const fs::path& out) {
  fs::create_directories(out);
  for (const auto& entry : fs::recursive_directory_iterator(from)) {
    if (!entry.is_regular_file()) continue;
    const auto name = entry.path().filename().string();
    if ((!fileName.empty() && name == fileName) ||
        (!extension.empty() && entry.path().extension() == extension))
      fs::copy_file(entry.path(), out / (entry.path().parent_path().filename().string() + "_" + name),
                    fs::copy_options::overwrite_existing);
  }
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: fuzz_make_seeds OUT_FOLDER TOKENIZER_DATA MERGEKIT_DATA\n");
    return 2;
  }
  const fs::path out = argv[1];
  const auto scratch = fs::temp_directory_path() / ("merganser-seeds-" + std::to_string(::getpid()));
  try {
    safetensorsSeeds(out / "safetensors");
    shardedSeeds(out / "sharded_index", scratch);
    jsonSeeds(out / "strict_json");
    configSeeds(out / "model_config");
    projectSeeds(out / "project");
    taskSeeds(out / "task_file");
    checkpointSeeds(out / "hdf5_checkpoint");
    idxSeeds(out / "idx");
    copyFiles(argv[2], "tokenizer.json", "", out / "tokenizer");
    textTaskSeeds(out / "text_tasks");
    copyFiles(argv[3], "", ".yml", out / "mergekit");
    thetaSeeds(out / "theta", scratch);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz_make_seeds: %s\n", e.what());
    fs::remove_all(scratch);
    return 1;
  }
  fs::remove_all(scratch);
  std::printf("seed corpora written to %s\n", out.string().c_str());
  return 0;
}
