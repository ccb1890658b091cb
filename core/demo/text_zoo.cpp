#include "demo/text_zoo.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "demo/demo_files.h"
#include "demo/lm_training.h"
#include "demo/text_skills.h"
#include "demo/text_zoo_project.h"
#include "graph/project_file.h"
#include "io/atomic_file.h"
#include "io/atomic_folder.h"
#include "io/peft_adapter.h"
#include "io/text_task_file.h"
#include "lm/adapter_factors.h"
#include "lm/causal_lm.h"
#include "lm_eval/causal_lm_scorer.h"
#include "lm_eval/text_evaluation.h"
#include "text/bpe_trainer.h"
#include "text/tokenizer.h"
#include "train/lm_outputs.h"

namespace fs = std::filesystem;

namespace mg::demo {

namespace {

// How much is trained: the full zoo takes a few minutes on two cores, the quick one well under a minute. The
// base is pre-trained short of mastering the skills (1200 steps of the full model make it perfect at all but
// add), so that each specialist has something to add.
struct TextBudget {
  std::int64_t hidden, intermediate, layers, heads, kvHeads;
  std::size_t vocabulary, tokenizerTexts;
  std::int64_t baseSteps, specialistSteps, batchSize;
  double baseRate, specialistRate;
  int rank;
  double alpha;
  std::size_t testExamples, validationExamples, trainExamples;
};

TextBudget textBudgetFor(bool quick) {
  if (quick) return {64, 176, 2, 4, 2, 320, 1000, 400, 80, 32, 3e-3, 3e-3, 8, 16, 16, 16, 64};
  return {128, 352, 4, 4, 2, 384, 4000, 500, 200, 32, 2e-3, 2e-3, 8, 16, 50, 40, 256};
}

constexpr const char* kBos = "<s>";
constexpr const char* kEos = "</s>";
constexpr std::int64_t kContext = 64;     // tokens: the longest prompt and answer take about 20
constexpr std::int64_t kMaxNewTokens = 8; // the longest answer (6 letters) and its newline

// Seeds of the zoo's separate random streams, so a change to one (more pre-training steps) leaves the
// others (the tasks) as they were.
enum class Stream : std::uint64_t { Tokenizer = 1, Tasks, Pretraining, Weights, Specialist };
std::uint64_t streamSeed(std::uint64_t seed, Stream stream, std::uint64_t index = 0) {
  return seed * 1000003ull + static_cast<std::uint64_t>(stream) * 7919ull + index;
}

std::string secondsText(double s) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << s << " s";
  return out.str();
}

void writeJson(const fs::path& path, const nlohmann::ordered_json& json) {
  io::writeFileAtomically(path.string(), json.dump(2) + "\n");
}

// config.json of a Llama with the budget's shape and the tokenizer's vocabulary, and generation_config.json.
void writeLlamaConfig(const fs::path& folder, const TextBudget& budget, const text::Tokenizer& tokenizer) {
  nlohmann::ordered_json config;
  config["architectures"] = {"LlamaForCausalLM"};
  config["model_type"] = "llama";
  config["vocab_size"] = tokenizer.vocabSize();
  config["hidden_size"] = budget.hidden;
  config["intermediate_size"] = budget.intermediate;
  config["num_hidden_layers"] = budget.layers;
  config["num_attention_heads"] = budget.heads;
  config["num_key_value_heads"] = budget.kvHeads;
  config["max_position_embeddings"] = kContext;
  config["rms_norm_eps"] = 1e-5;
  config["rope_theta"] = 10000.0;
  config["hidden_act"] = "silu";
  config["tie_word_embeddings"] = true;
  config["attention_bias"] = false;
  config["mlp_bias"] = false;
  config["bos_token_id"] = *tokenizer.bosId();
  config["eos_token_id"] = *tokenizer.eosId();
  config["torch_dtype"] = "float32";
  writeJson(folder / "config.json", config);
  nlohmann::ordered_json generation;
  generation["bos_token_id"] = *tokenizer.bosId();
  generation["eos_token_id"] = *tokenizer.eosId();
  generation["max_new_tokens"] = kMaxNewTokens;
  writeJson(folder / "generation_config.json", generation);
}

// The generation task and the multiple-choice task of the same examples.
std::pair<io::TextTask, io::TextTask> textTasks(const std::vector<std::string>& skills,
                                                const std::vector<TextSkillExample>& examples) {
  io::TextTask generation, choice;
  generation.name = textTaskName(skills);
  generation.kind = io::TextTaskKind::Generation;
  generation.skills = skills;
  generation.maxNewTokens = kMaxNewTokens;
  generation.stop = {"\n"};
  choice.name = generation.name + "-choice";
  choice.kind = io::TextTaskKind::MultipleChoice;
  choice.skills = skills;
  for (const auto& example : examples) {
    io::TextExample g;
    g.prompt = example.prompt;
    g.answer = example.answer;
    generation.examples.push_back(g);
    io::TextExample c;
    c.context = example.prompt;
    c.choices = example.choices;
    c.label = example.label;
    choice.examples.push_back(c);
  }
  return {generation, choice};
}

double scoreTask(const lm::CausalLm& model, const text::Tokenizer& tokenizer, const io::TextTask& task,
                 const engine::CancelToken* cancel) {
  lm::RunOptions run;
  run.cancel = cancel;
  lm_eval::CausalLmScorer scorer(model, run);
  lm_eval::TextEvaluationOptions options;
  options.cancel = cancel;
  return lm_eval::evaluateTextTask(scorer, tokenizer, task, options).accuracy;
}

// The specialists' adapter_config.json: a LoRA of every linear module of every layer (not the LM head).
io::LoraConfig specialistLoraConfig(const std::vector<std::string>& modules, int rank, double alpha) {
  io::LoraConfig config;
  config.r = rank;
  config.loraAlpha = alpha;
  config.baseModelNameOrPath = "../../base";
  config.targetModules = modules;
  return config;
}

} // namespace

TextZooReport buildTextZoo(const DemoOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [](auto since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
  };
  const auto progress = [&](const std::string& step, double fraction) {
    if (options.progress) options.progress(step, fraction);
  };
  const auto checkCancel = [&] {
    if (options.cancel) options.cancel->throwIfCancelled();
  };
  checkZooOutputFolder(options.outFolder, kTextProjectFile);
  const TextBudget budget = textBudgetFor(options.quick);
  const auto& skills = textSkills();
  TextZooReport report;

  io::AtomicFolder staging(options.outFolder);
  const fs::path root = staging.stagingPath();
  const fs::path baseFolder = root / "base";
  fs::create_directories(baseFolder);

  // The test and validation examples first: every training example is drawn anew until its prompt is none
  // of theirs.
  std::set<std::string> heldOut;
  TextSkillSampler taskSampler(streamSeed(options.seed, Stream::Tasks));
  std::vector<std::pair<std::vector<std::string>, std::vector<TextSkillExample>>> testSets, validationSets;
  for (const auto& skill : skills) {
    testSets.push_back({{skill}, distinctExamples(taskSampler, {skill}, budget.testExamples, heldOut)});
    validationSets.push_back(
        {{skill}, distinctExamples(taskSampler, {skill}, budget.validationExamples, heldOut)});
  }
  for (const auto& composition : heldOutCompositions())
    testSets.push_back(
        {composition, distinctExamples(taskSampler, composition, budget.testExamples, heldOut)});
  // Training tasks for a user's fine-tunes (merganser-cli train): drawn last, so the splits above and the
  // pre-training stay as they were, and apart from test and validation (not from pre-training, which they
  // resemble as the specialists' training does).
  std::vector<std::pair<std::vector<std::string>, std::vector<TextSkillExample>>> trainingSets;
  {
    std::set<std::string> drawn = heldOut;
    for (const auto& skill : skills)
      trainingSets.push_back({{skill}, distinctExamples(taskSampler, {skill}, budget.trainExamples, drawn)});
  }
  const auto unseen = [&heldOut](const std::function<TextSkillExample()>& draw) {
    for (;;) {
      auto example = draw();
      if (!heldOut.count(example.prompt)) return std::pair{example.prompt, example.answer};
    }
  };

  // The tokenizer, trained on texts of the pre-training mixture.
  progress("training the tokenizer", 0.0);
  {
    const auto begin = std::chrono::steady_clock::now();
    TextSkillSampler sampler(streamSeed(options.seed, Stream::Tokenizer));
    std::vector<std::string> texts;
    for (std::size_t i = 0; i < budget.tokenizerTexts; ++i) {
      const auto example = sampler.pretrainingExample();
      texts.push_back(example.prompt + example.answer + "\n");
    }
    text::TokenizerFileOptions files;
    files.bos = kBos;
    files.eos = kEos;
    files.modelMaxLength = kContext;
    text::writeTokenizerJson(baseFolder.string(),
                             text::trainByteLevelBpe(texts, budget.vocabulary, {kBos, kEos}), files);
    report.tokenizerSeconds = elapsed(begin);
  }
  const auto tokenizer = text::loadTokenizer(baseFolder.string());
  report.vocabulary = static_cast<std::int64_t>(tokenizer->vocabSize());
  writeLlamaConfig(baseFolder, budget, *tokenizer);
  checkCancel();

  // Pre-training: the whole model from fresh weights on the mixture.
  const double baseShare = 0.5, specialistShare = 0.4 / double(skills.size());
  {
    const auto begin = std::chrono::steady_clock::now();
    lm::LoadOptions load;
    load.freshWeightsSeed = streamSeed(options.seed, Stream::Weights);
    const auto model = lm::CausalLm::load(baseFolder.string(), load);
    std::vector<at::Tensor> trainable;
    Parameters parameters;
    for (const auto& parameter : model->parameters()) {
      trainable.push_back(parameter.tensor);
      parameters[parameter.name] = parameter.tensor;
      report.parameters += parameter.tensor.numel();
    }
    TextSkillSampler sampler(streamSeed(options.seed, Stream::Pretraining));
    LmTrainOptions train;
    train.steps = budget.baseSteps;
    train.batchSize = budget.batchSize;
    train.learningRate = budget.baseRate;
    train.weightDecay = 0.01;
    train.warmupSteps = budget.baseSteps / 20;
    train.cancel = options.cancel;
    train.progress = [&](double f) { progress("pre-training the base model", 0.02 + baseShare * f); };
    report.baseLoss = trainOnAnswers(
        *model, trainable, *tokenizer, [&] { return unseen([&] { return sampler.pretrainingExample(); }); },
        train);
    writeModelSafetensors(baseFolder.string(), parameters,
                          "Merganser text zoo base: a small Llama pre-trained on string skills");
    report.baseTrainSeconds = elapsed(begin);
  }

  // The task files.
  progress("writing the tasks", 0.02 + baseShare);
  std::vector<std::pair<io::TextTask, io::TextTask>> testTasks;
  for (const auto& [taskSkills, examples] : testSets)
    testTasks.push_back(textTasks(taskSkills, examples));
  for (const auto& [split, sets] :
       {std::pair{"test", &testSets}, std::pair{"val", &validationSets}, std::pair{"train", &trainingSets}}) {
    const auto folder = root / "tasks" / split;
    fs::create_directories(folder);
    for (const auto& [taskSkills, examples] : *sets) {
      const auto [generation, choice] = textTasks(taskSkills, examples);
      io::writeTextTaskFile((folder / (generation.name + ".jsonl")).string(), generation);
      io::writeTextTaskFile((folder / (choice.name + ".jsonl")).string(), choice);
    }
  }

  // A LoRA specialist per skill, trained through the base written above, scored with and without it.
  const auto base = lm::CausalLm::load(baseFolder.string());
  TextZooProjectInputs project;
  project.baseFolder = baseFolder.string();
  project.testTasksFolder = (root / "tasks" / "test").string();
  project.validationTasksFolder = (root / "tasks" / "val").string();
  project.quick = options.quick;
  for (std::size_t s = 0; s < skills.size(); ++s) {
    const auto begin = std::chrono::steady_clock::now();
    const double from = 0.02 + baseShare + 0.05 + specialistShare * double(s);
    const std::string what = "training the " + skills[s] + " specialist";
    progress(what, from);
    TextSpecialistReport specialist;
    specialist.skill = skills[s];
    specialist.folder = (root / "adapters" / skills[s]).string();
    const auto& [generationTask, choiceTask] = testTasks[s];
    specialist.baseExactMatch = scoreTask(*base, *tokenizer, generationTask, options.cancel);
    specialist.baseChoice = scoreTask(*base, *tokenizer, choiceTask, options.cancel);

    const std::string description = "LoRA specialist for '" + skills[s] + "' on the Merganser text zoo base";
    // Fresh as PEFT makes it (train/lm_outputs.h): the adapted model starts as the base.
    std::vector<std::string> modules = base->linearModules();
    modules.erase(std::remove(modules.begin(), modules.end(), "lm_head"), modules.end());
    const auto loraConfig = specialistLoraConfig(modules, budget.rank, budget.alpha);
    io::writePeftAdapter(specialist.folder, loraConfig,
                         train::freshLmLoraFactors(*base, modules, budget.rank,
                                                   streamSeed(options.seed, Stream::Specialist, s)),
                         {{"format", "pt"}, {"merganser.description", description}});
    lm::LoadOptions load;
    load.adapters = {specialist.folder};
    const auto adapted = lm::CausalLm::load(baseFolder.string(), load);
    std::vector<at::Tensor> trainable;
    for (const auto& factors : adapted->adapterFactors()) {
      trainable.push_back(factors.a);
      trainable.push_back(factors.b);
    }
    TextSkillSampler sampler(streamSeed(options.seed, Stream::Specialist, 100 + s));
    LmTrainOptions train;
    train.steps = budget.specialistSteps;
    train.batchSize = budget.batchSize;
    train.learningRate = budget.specialistRate;
    train.warmupSteps = budget.specialistSteps / 10;
    train.cancel = options.cancel;
    train.progress = [&](double f) { progress(what, from + specialistShare * 0.8 * f); };
    trainOnAnswers(
        *adapted, trainable, *tokenizer, [&] { return unseen([&] { return sampler.example({skills[s]}); }); },
        train);
    train::writeLmLoraAdapter(specialist.folder, *adapted, loraConfig, description);
    specialist.exactMatch = scoreTask(*adapted, *tokenizer, generationTask, options.cancel);
    specialist.choice = scoreTask(*adapted, *tokenizer, choiceTask, options.cancel);
    specialist.trainSeconds = elapsed(begin);
    project.adapters.emplace_back(skills[s], specialist.folder);
    report.specialists.push_back(specialist);
  }

  progress("writing the project", 0.98);
  graph::saveProject(makeTextZooProject(project), (root / kTextProjectFile).string());

  checkCancel();
  staging.commit();
  for (auto& specialist : report.specialists)
    specialist.folder = (fs::path(options.outFolder) / fs::relative(specialist.folder, root)).string();
  report.projectPath = (fs::path(options.outFolder) / kTextProjectFile).string();
  report.seconds = elapsed(start);
  progress("done in " + secondsText(report.seconds), 1.0);
  return report;
}

} // namespace mg::demo
