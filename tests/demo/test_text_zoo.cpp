// The quick text zoo as a user gets it from `merganser-cli demo --zoo text --quick`: a Hugging Face folder
// whose Llama, tokenizer and LoRA adapters load, text tasks whose answers are the skills' (held-out
// compositions never in training), specialists better than the base on their own skill, a project that
// validates and runs end to end, and nothing half-written when it cannot finish. One zoo is built for all
// the checks.
#include "support/test_registry.h"
#include <QtTest>

#include <algorithm>
#include <filesystem>
#include <set>

#include <ATen/ATen.h>

#include "demo/text_skills.h"
#include "demo/text_zoo.h"
#include "embed/embedding_map.h"
#include "engine/graph_executor.h"
#include "eval/evaluation.h"
#include "graph/builtin_node_types.h"
#include "graph/project_file.h"
#include "graph/validation.h"
#include "io/hf_model_folder.h"
#include "io/peft_adapter.h"
#include "io/text_task_file.h"
#include "lm/adapter_factors.h"
#include "lm/causal_lm.h"
#include "lm_eval/causal_lm_scorer.h"
#include "lm_eval/text_evaluation.h"
#include "support/temp_dir.h"
#include "text/tokenizer.h"

using namespace mg;
namespace fs = std::filesystem;
namespace nt = graph::node_types;

class TextZooTest : public QObject {
  Q_OBJECT
  test::TempDir dir_;
  std::string out_;
  demo::TextZooReport report_;

  std::string at(const std::string& relative) const { return (fs::path(out_) / relative).string(); }

private Q_SLOTS:
  void initTestCase() {
    out_ = dir_.file("zoo");
    demo::DemoOptions options;
    options.outFolder = out_;
    options.quick = true;
    report_ = demo::buildTextZoo(options);
  }

  // The skills do what their names say, on examples drawn from one seed (the same every time).
  void skillsAnswerAsTheirNamesSay() {
    demo::TextSkillSampler sampler(3), again(3);
    for (int i = 0; i < 20; ++i) {
      const auto example = sampler.example({"reverse", "upper"});
      QCOMPARE(again.example({"reverse", "upper"}).prompt, example.prompt);
      // "reverse upper: c a d =" -> " D A C"
      std::string letters = example.prompt.substr(std::string("reverse upper:").size());
      letters = letters.substr(0, letters.size() - 2);
      std::string expected(letters.rbegin(), letters.rend());
      std::transform(expected.begin(), expected.end(), expected.begin(), ::toupper);
      QCOMPARE(" " + expected.substr(0, expected.size() - 1), example.answer);
      QCOMPARE(example.choices.at(example.label), example.answer);
      QCOMPARE(std::set<std::string>(example.choices.begin(), example.choices.end()).size(),
               example.choices.size());
    }
    const auto shifted = sampler.example({"shift"});
    for (std::size_t i = 1; i < shifted.answer.size(); i += 2) {
      const char from = shifted.prompt[std::string("shift:").size() + i];
      QCOMPARE(shifted.answer[i], from == 'j' ? 'a' : char(from + 1));
    }
    const auto sum = sampler.example({"add"});
    int expected = 0;
    for (const char c : sum.prompt)
      if (std::isdigit(static_cast<unsigned char>(c))) expected += c - '0';
    QCOMPARE(sum.answer, " " + std::to_string(expected));
  }

  void writesTheDocumentedLayout() {
    QCOMPARE(report_.projectPath, at(demo::kTextProjectFile));
    for (const char* entry : {"base/config.json", "base/generation_config.json", "base/model.safetensors",
                              "base/tokenizer.json", "base/tokenizer_config.json", "text.mgproj"})
      QVERIFY2(fs::exists(at(entry)), entry);
    QCOMPARE(test::listFolder(dir_.path()), std::vector<std::string>{"zoo"}); // no staging folder left
    QCOMPARE(test::listFolder(at("adapters")),
             (std::vector<std::string>{"add", "reverse", "shift", "sort", "upper"}));
  }

  // The base is a Llama of the tokenizer's vocabulary; the tokenizer round-trips and gives each letter of a
  // prompt its own token.
  void theBaseAndItsTokenizerLoad() {
    const auto model = lm::CausalLm::load(at("base"));
    QCOMPARE(model->config().architectureName, std::string("LlamaForCausalLM"));
    QVERIFY(model->config().kvHeads < model->config().heads); // grouped-query attention
    const auto tokenizer = text::loadTokenizer(at("base"));
    QCOMPARE(static_cast<std::int64_t>(tokenizer->vocabSize()), model->config().vocabSize);
    QCOMPARE(report_.vocabulary, model->config().vocabSize);
    QVERIFY(tokenizer->bosId() && tokenizer->eosId() && *tokenizer->bosId() != *tokenizer->eosId());
    const std::string text = "reverse upper: c a j = J A C\n";
    const auto ids = tokenizer->encode(text, false);
    QCOMPARE(tokenizer->decode(ids), text);
    for (const char* letter : {" c", " a", " j", " J", " A", " C"})
      QVERIFY2(std::count(ids.begin(), ids.end(),
                          *tokenizer->tokenToId(std::string("\xC4\xA0") + (letter + 1))) >= 1,
               letter);                // "Ġc": GPT-2's byte-level spelling of " c"
    QVERIFY(ids.size() < text.size()); // merges were learned
    std::int64_t parameters = 0;
    for (const auto& p : model->parameters())
      parameters += p.tensor.numel();
    QCOMPARE(parameters, report_.parameters);
  }

  void adaptersLoadAsPeftAdaptersOfTheBase() {
    const io::HfModelFolder base(at("base"));
    lm::LoadOptions options;
    for (const auto& skill : demo::textSkills()) {
      const io::PeftAdapter adapter(at("adapters/" + skill));
      adapter.validateAgainst(base);
      QCOMPARE(adapter.config().baseModelNameOrPath, std::string("../../base"));
      options.adapters.push_back(at("adapters/" + skill));
    }
    const auto model = lm::CausalLm::load(at("base"), options);
    QCOMPARE(model->adapterCount(), demo::textSkills().size());
    // Every linear module of every layer is adapted, and training moved B away from zero.
    const auto factors = model->adapterFactors();
    QCOMPARE(factors.size(), std::size_t(7 * model->config().layers) * demo::textSkills().size());
    for (const auto& f : factors)
      QVERIFY2(f.b.abs().max().item<double>() > 0, f.module.c_str());
  }

  // Test tasks of every skill and held-out composition, in both kinds; validation and training tasks of the
  // skills only; no prompt in two splits.
  void tasksCoverSkillsAndHeldOutCompositions() {
    const auto test = io::readTextTaskSet(at("tasks/test"));
    const auto validation = io::readTextTaskSet(at("tasks/val"));
    const auto training = io::readTextTaskSet(at("tasks/train"));
    const std::size_t skills = demo::textSkills().size(), held = demo::heldOutCompositions().size();
    QCOMPARE(test.size(), 2 * (skills + held));
    QCOMPARE(validation.size(), 2 * skills);
    QCOMPARE(training.size(), 2 * skills);
    std::set<std::string> testPrompts;
    for (const auto& task : test) {
      for (const auto& example : task.examples)
        testPrompts.insert(task.kind == io::TextTaskKind::Generation ? example.prompt : example.context);
      QVERIFY(task.kind == io::TextTaskKind::Generation || task.name.size() > 7);
    }
    std::set<std::string> validationPrompts;
    for (const auto& task : validation)
      for (const auto& example : task.examples) {
        const auto& prompt = task.kind == io::TextTaskKind::Generation ? example.prompt : example.context;
        QVERIFY(!testPrompts.count(prompt));
        validationPrompts.insert(prompt);
      }
    for (const auto& task : training) {
      QVERIFY(task.examples.size() > validation.front().examples.size());
      for (const auto& example : task.examples) {
        const auto& prompt = task.kind == io::TextTaskKind::Generation ? example.prompt : example.context;
        QVERIFY(!testPrompts.count(prompt) && !validationPrompts.count(prompt));
      }
    }
    const auto composition = std::find_if(test.begin(), test.end(), [](const io::TextTask& task) {
      return task.name == demo::textTaskName(demo::heldOutCompositions().front());
    });
    QVERIFY(composition != test.end());
    QCOMPARE(composition->kind, io::TextTaskKind::Generation);
    QCOMPARE(composition->skills, demo::heldOutCompositions().front());
    QCOMPARE(composition->stop, std::vector<std::string>{"\n"});
    // Held out of pre-training: no held-out pair of skills is among the pre-trained compositions.
    for (const auto& pair : demo::heldOutCompositions())
      for (const auto& seen : demo::pretrainedCompositions())
        QVERIFY(std::set<std::string>(pair.begin(), pair.end()) !=
                std::set<std::string>(seen.begin(), seen.end()));
  }

  // Each specialist is better than the base on its own skill: its multiple-choice accuracy plus its exact
  // match is higher, and its choice accuracy is not lower (the quick zoo's exact match is near 0, too coarse
  // alone); the reported numbers are those the saved files give.
  void specialistsBeatTheBaseOnTheirOwnSkill() {
    QCOMPARE(report_.specialists.size(), demo::textSkills().size());
    for (const auto& s : report_.specialists) {
      const auto message = s.skill + ": choice " + std::to_string(s.choice) + " vs base " +
                           std::to_string(s.baseChoice) + ", exact " + std::to_string(s.exactMatch) +
                           " vs base " + std::to_string(s.baseExactMatch);
      QVERIFY2(s.choice >= s.baseChoice && s.choice + s.exactMatch > s.baseChoice + s.baseExactMatch,
               message.c_str());
      QCOMPARE(s.folder, at("adapters/" + s.skill));
    }
    const auto& first = report_.specialists.front();
    lm::LoadOptions options;
    options.adapters = {first.folder};
    const auto model = lm::CausalLm::load(at("base"), options);
    const auto tokenizer = text::loadTokenizer(at("base"));
    lm_eval::CausalLmScorer scorer(*model, {});
    const auto task = io::readTextTaskFile(at("tasks/test/" + first.skill + "-choice.jsonl"));
    QCOMPARE(lm_eval::evaluateTextTask(scorer, *tokenizer, task).accuracy, first.choice);
  }

  void theProjectValidatesAndRuns() {
    const auto document = graph::loadProject(report_.projectPath);
    for (const auto& issue : graph::validate(document))
      QVERIFY2(issue.severity != graph::Severity::Error, issue.message.c_str());
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto summary = executor.run(document, {}, {}, cancel);
    for (const auto& [id, status] : summary.nodes)
      QVERIFY2(status.state != engine::NodeState::Failed,
               (document.at(id).title + ": " + status.message).c_str());
    QVERIFY(summary.ok());
    const auto nodeOf = [&](const std::string& type) {
      const auto found = std::find_if(summary.nodes.begin(), summary.nodes.end(), [&](const auto& entry) {
        return document.at(entry.first).type == type;
      });
      return found == summary.nodes.end() ? nullptr : &found->second;
    };
    const std::size_t tasks = 2 * (demo::textSkills().size() + demo::heldOutCompositions().size());
    // Base, 5 specialists, 3 merges, and the nearest, trained and SMEAR routers, each on every test task.
    const auto* compare = nodeOf(nt::kCompare);
    QVERIFY(compare);
    QCOMPARE(compare->results.size(), std::size_t(12));
    for (const auto& model : compare->results)
      QCOMPARE(model.scores->size(), tasks);
    // The prompt names its skill, so the base's hidden state tells the skills apart: the trained router sends
    // most of each skill's prompts to its specialist (chance: 1 in 5).
    const auto router = std::find_if(compare->results.begin(), compare->results.end(), [](const auto& model) {
      return model.model == "Router (trained, top-1)";
    });
    QVERIFY(router != compare->results.end());
    double routed = 0;
    int routedTasks = 0;
    for (const auto& score : *router->scores)
      if (score.routingAccuracy) {
        routed += *score.routingAccuracy;
        ++routedTasks;
      }
    QCOMPARE(routedTasks, int(demo::textSkills().size()));
    QVERIFY2(routed / routedTasks >= 0.6, std::to_string(routed / routedTasks).c_str());
    // The specialists' task vectors, and the tasks' data embeddings with the base.
    const auto* map = nodeOf(nt::kEmbeddingMap);
    QVERIFY(map);
    QCOMPARE(map->embeddings.front().map->kind, embed::EmbeddingKind::Parameter);
    QCOMPARE(map->embeddings.front().nodes.size(), demo::textSkills().size());
    const auto data = std::find_if(map->embeddings.begin(), map->embeddings.end(), [](const auto& embedding) {
      return embedding.map->kind == embed::EmbeddingKind::Data;
    });
    QVERIFY(data != map->embeddings.end());
    QCOMPARE(data->map->size(), tasks);
    // Merge gain: every pair of the five specialists.
    const auto* gain = nodeOf(nt::kMergeGain);
    QVERIFY(gain);
    QCOMPARE(gain->scatters.front().points.size(), std::size_t(10));
  }

  void refusesAFolderThatIsNotAZoo() {
    test::TempDir other;
    test::writeBytes(other.file("notes.txt"), "mine");
    demo::DemoOptions options;
    options.outFolder = other.path();
    options.quick = true;
    try {
      demo::buildTextZoo(options);
      QFAIL("expected an error");
    } catch (const std::runtime_error& e) {
      QVERIFY2(std::string(e.what()).find("not a Merganser demo zoo") != std::string::npos, e.what());
    }
    QCOMPARE(test::listFolder(other.path()), std::vector<std::string>{"notes.txt"});
  }

  void aCancelledZooLeavesNothing() {
    test::TempDir other;
    engine::CancelToken cancel;
    demo::DemoOptions options;
    options.outFolder = other.file("zoo");
    options.quick = true;
    options.cancel = &cancel;
    options.progress = [&](const std::string&, double fraction) {
      if (fraction > 0.1) cancel.cancel();
    };
    QVERIFY_THROWS_EXCEPTION(engine::Cancelled, demo::buildTextZoo(options));
    QVERIFY(test::listFolder(other.path()).empty());
  }
};

MG_TEST_APPLESS_MAIN(TextZooTest)
#include "test_text_zoo.moc"
