// Tensors some inputs lack, tied LM heads, vocabularies of different sizes and tokenizer_source /
// chat_template, each as mergekit does it (docs/spec/merge-methods.md, "Tensors, vocabularies and
// tokenizers"). The expected values are worked out from mergekit's code (plan.py, io/tasks.py,
// generalized_task_arithmetic.py, rectify_embed.py, tokenizer/build.py, tokenizer/embed.py, merge.py) and,
// for the permuted embeddings, from the independent reading in tests/reference/tokenizer_reference.py.
#include "support/test_registry.h"
#include <QProcess>
#include <QtTest>
#include <ATen/ATen.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "weights/export.h"
#include "weights/merged_weights.h"
#include "weights/open_weights.h"
#include "io/hf_model_folder.h"
#include "io/safetensors_file.h"
#include "io/safetensors_writer.h"
#include "io/text_file.h"
#include "support/temp_dir.h"
#include "support/tokenizer_fixtures.h"
#include "tensor/torch_convert.h"

#include "support/reference_python.h"

using namespace mg;
using namespace mg::test;

namespace {

engine::WeightSetPtr openW(const std::string& path) {
  return engine::openWeights(path, nullptr).weights;
}

engine::MergeInput plainInput(const std::string& path, double weight, const std::string& label) {
  engine::MergeInput in;
  in.weights = openW(path);
  in.weight = weight;
  in.label = label;
  return in;
}

engine::MergeInput inputOf(const std::string& folder, double weight = 1.0) {
  engine::MergeInput in = plainInput(folder, weight, folder);
  in.folder = folder;
  return in;
}

// A recipe of `method` on the base checkpoint at `path` (no folder: no tokenizer).
engine::MergeRecipe recipeWithBase(const std::string& method, const std::string& path) {
  engine::MergeRecipe r;
  r.method = method;
  r.base = openW(path);
  r.baseLabel = "base";
  return r;
}

void setBase(engine::MergeRecipe& r, const std::string& folder) {
  r.base = openW(folder);
  r.baseLabel = folder;
  r.baseFolder = folder;
}

bool anyWarning(const engine::MergedWeights& m, const std::vector<std::string>& needles) {
  for (const auto& w : m.warnings()) {
    bool all = true;
    for (const auto& n : needles)
      all = all && w.find(n) != std::string::npos;
    if (all) return true;
  }
  for (const auto& w : m.warnings())
    qWarning("warning: %s", w.c_str());
  return false;
}

// Exports `merged` as a Hugging Face folder with the config of `configFrom`, as the CLI does.
std::string exportFolder(const engine::MergedWeights& merged, const std::string& configFrom,
                         const std::string& out) {
  const io::HfModelFolder hf(configFrom);
  engine::ExportOptions o;
  o.workers = 1;
  o.hfConfigFrom = &hf;
  o.tokenizer = &merged.tokenizerFiles();
  engine::exportWeights(merged, out, o);
  return out;
}

// Two models whose vocabularies overlap: the base has A B C D, the other A C E F and a special <x>.
struct UnionFixture {
  test::TempDir dir;
  std::string base, other;
  UnionFixture() {
    base = writeTinyModel(dir, "base", {1, {"A", "B", "C", "D"}});
    other = writeTinyModel(dir, "other", {2, {"A", "C", "E", "F"}, {{"<x>", true}}});
  }
};

// The rows mergekit gives each model for the union vocabulary A B C D E F <x> (ids 0..6): its own row for
// a token it has; a token only one model has takes that model's row.
at::Tensor unionRowsOf(int model) {
  const auto base = embeddingRows(1, 4), other = embeddingRows(2, 5);
  // other's ids: A0 C1 E2 F3 <x>4
  if (model == 1) return at::cat({base, other.narrow(0, 2, 3)}, 0);
  return at::stack({other[0], base[1], other[1], base[3], other[2], other[3], other[4]});
}

} // namespace

class VocabularyMergeTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  // mergekit: a tensor an input lacks is optional; the input is left out of that tensor's merge.
  void missingTensorIsMergedFromTheOthers() {
    test::TempDir dir;
    io::writeSafetensors(dir.file("a.safetensors"),
                         {vtd("w", at::full({2, 2}, 1.0f)), vtd("v", at::full({2}, 1.0f))});
    io::writeSafetensors(dir.file("b.safetensors"), {vtd("w", at::full({2, 2}, 4.0f))});
    engine::MergeRecipe r;
    r.method = "linear";
    r.inputs = {plainInput(dir.file("a.safetensors"), 1, "a"), plainInput(dir.file("b.safetensors"), 3, "b")};
    const engine::MergedWeights merged(r);
    QVERIFY(at::allclose(merged.load("w"), at::full({2, 2}, 13.0f / 4)));
    QVERIFY(at::allclose(merged.load("v"), at::full({2}, 1.0f))); // a alone: its weight normalized away
    QVERIFY(anyWarning(merged, {"'v'", "input 2 (b)"}));
  }

  void missingTensorInTaskArithmeticKeepsTheBase() {
    test::TempDir dir;
    io::writeSafetensors(dir.file("base.safetensors"),
                         {vtd("w", at::zeros({2})), vtd("only_base", at::full({2}, 7.0f))});
    io::writeSafetensors(dir.file("a.safetensors"), {vtd("w", at::full({2}, 2.0f))});
    io::writeSafetensors(dir.file("b.safetensors"),
                         {vtd("w", at::full({2}, 10.0f)), vtd("only_base", at::full({2}, 9.0f))});
    engine::MergeRecipe r = recipeWithBase("task_arithmetic", dir.file("base.safetensors"));
    r.inputs = {plainInput(dir.file("a.safetensors"), 1, "a"),
                plainInput(dir.file("b.safetensors"), 0.5, "b")};
    const engine::MergedWeights merged(r);
    QVERIFY(at::allclose(merged.load("w"), at::full({2}, 7.0f)));
    QVERIFY(at::allclose(merged.load("only_base"), at::full({2}, 7.0f + 0.5f * 2.0f))); // a left out
    io::writeSafetensors(dir.file("c.safetensors"), {vtd("w", at::full({2}, 1.0f))});
    r.inputs = {plainInput(dir.file("a.safetensors"), 1, "a"), plainInput(dir.file("c.safetensors"), 1, "c")};
    const engine::MergedWeights none(r); // no input has it: no task vector, the base's tensor
    QVERIFY(at::equal(none.load("only_base"), at::full({2}, 7.0f)));
  }

  void modelStockDropsATensorTooFewModelsHave() {
    test::TempDir dir;
    io::writeSafetensors(dir.file("base.safetensors"), {vtd("w", at::zeros({4})), vtd("v", at::zeros({4}))});
    io::writeSafetensors(dir.file("a.safetensors"), {vtd("w", at::ones({4})), vtd("v", at::ones({4}))});
    io::writeSafetensors(dir.file("b.safetensors"), {vtd("w", at::arange(4, at::kFloat))});
    engine::MergeRecipe r = recipeWithBase("model_stock", dir.file("base.safetensors"));
    r.inputs = {plainInput(dir.file("a.safetensors"), 1, "a"), plainInput(dir.file("b.safetensors"), 1, "b")};
    const engine::MergedWeights merged(r);
    QVERIFY(merged.find("w") != nullptr);
    QVERIFY(merged.find("v") == nullptr);
    QVERIFY(anyWarning(merged, {"'v'", "model_stock", "left out"}));
  }

  void nuslerpWithABaseRefusesAMissingTensor() {
    test::TempDir dir;
    io::writeSafetensors(dir.file("base.safetensors"), {vtd("w", at::zeros({4})), vtd("v", at::zeros({4}))});
    io::writeSafetensors(dir.file("a.safetensors"), {vtd("w", at::ones({4})), vtd("v", at::ones({4}))});
    io::writeSafetensors(dir.file("b.safetensors"), {vtd("w", at::ones({4}))});
    engine::MergeRecipe r = recipeWithBase("nuslerp", dir.file("base.safetensors"));
    r.inputs = {plainInput(dir.file("a.safetensors"), 1, "a"), plainInput(dir.file("b.safetensors"), 1, "b")};
    try {
      engine::MergedWeights merged(r);
      QFAIL("accepted");
    } catch (const std::runtime_error& e) {
      QVERIFY2(std::string(e.what()).find("'v' is missing from input 2 (b)") != std::string::npos, e.what());
    }
  }

  // Older spellings (mergekit's aliases) are the same tensor.
  void aliasesAreResolved() {
    test::TempDir dir;
    io::writeSafetensors(dir.file("a.safetensors"), {vtd("bert.embeddings.LayerNorm.weight", at::ones({2}))});
    io::writeSafetensors(dir.file("b.safetensors"), {vtd("embeddings.LayerNorm.gamma", at::full({2}, 3.0f))});
    engine::MergeRecipe r;
    r.method = "linear";
    r.inputs = {plainInput(dir.file("a.safetensors"), 1, "a"), plainInput(dir.file("b.safetensors"), 1, "b")};
    const engine::MergedWeights merged(r);
    QVERIFY(at::allclose(merged.load("bert.embeddings.LayerNorm.weight"), at::full({2}, 2.0f)));
    QVERIFY(merged.warnings().empty());
  }

  // A tied checkpoint stores no lm_head: mergekit reads its embedding in its place (tied_names), and
  // outputs a head only when some model stores one.
  void tiedHeadIsReadFromTheEmbedding() {
    test::TempDir dir;
    const auto base = writeTinyModel(dir, "base", {1, {"A", "B"}, {}, -1, true});
    const auto other = writeTinyModel(dir, "other", {2, {"A", "B"}});
    engine::MergeRecipe r;
    r.method = "task_arithmetic";
    setBase(r, base);
    r.inputs = {inputOf(other, 0.5)};
    const engine::MergedWeights merged(r);
    QVERIFY(merged.find("lm_head.weight") != nullptr);
    const auto embed = embeddingRows(1, 2);
    QVERIFY(at::allclose(merged.load("lm_head.weight"), embed + 0.5 * (-embeddingRows(2, 2) - embed)));
    QVERIFY(merged.warnings().empty());
    const auto out = exportFolder(merged, base, dir.file("out"));
    QVERIFY(readJson(out + "/config.json")["tie_word_embeddings"] == Json(false)); // the head differs now

    // Both tied: no head in the output, and the config still ties.
    const auto tied = writeTinyModel(dir, "tied", {3, {"A", "B"}, {}, -1, true});
    r.inputs = {inputOf(tied)};
    const engine::MergedWeights allTied(r);
    QVERIFY(allTied.find("lm_head.weight") == nullptr);
    const auto out2 = exportFolder(allTied, base, dir.file("out2"));
    QVERIFY(readJson(out2 + "/config.json")["tie_word_embeddings"] == Json(true));
    QVERIFY(io::SafetensorsFile(out2 + "/model.safetensors").find("lm_head.weight") == nullptr);

    // The base stores a head, the input ties: the input's embedding stands in for its head.
    r.base = openW(other);
    r.baseFolder = other;
    r.inputs = {inputOf(tied, 1.0)};
    const engine::MergedWeights headInBase(r);
    QVERIFY(at::allclose(headInBase.load("lm_head.weight"), embeddingRows(3, 2)));
  }

  // Without a tokenizer source: task-vector methods follow the base's rows (an input cropped to them; rows a
  // shorter input lacks are the base's), the others take the rows every model has.
  void vocabularyFollowsTheBaseForTaskVectors() {
    test::TempDir dir;
    io::writeSafetensors(dir.file("base.safetensors"),
                         {vtd("model.embed_tokens.weight", embeddingRows(1, 6))});
    io::writeSafetensors(dir.file("long.safetensors"),
                         {vtd("model.embed_tokens.weight", embeddingRows(2, 8))});
    io::writeSafetensors(dir.file("short.safetensors"),
                         {vtd("model.embed_tokens.weight", embeddingRows(3, 4))});
    engine::MergeRecipe r = recipeWithBase("task_arithmetic", dir.file("base.safetensors"));
    r.inputs = {plainInput(dir.file("long.safetensors"), 1, "long"),
                plainInput(dir.file("short.safetensors"), 1, "short")};
    const engine::MergedWeights merged(r);
    QCOMPARE(merged.tensors().front().shape, (std::vector<std::int64_t>{6, kWidth}));
    const auto base = embeddingRows(1, 6);
    auto shortFilled = base.clone();
    shortFilled.narrow(0, 0, 4).copy_(embeddingRows(3, 4));
    const auto expected = base + (embeddingRows(2, 6) - base) + (shortFilled - base);
    QVERIFY(at::allclose(merged.load("model.embed_tokens.weight"), expected));
    QVERIFY(anyWarning(merged, {"model.embed_tokens.weight", "base's 6 rows"}));

    r.method = "linear";
    r.base = nullptr;
    r.inputs.insert(r.inputs.begin(), plainInput(dir.file("base.safetensors"), 1, "base"));
    const engine::MergedWeights linear(r);
    QCOMPARE(linear.tensors().front().shape, (std::vector<std::int64_t>{4, kWidth}));
  }

  // tokenizer_source: union — the base's tokens, then the others' (plain ones, then added ones), and every
  // model's embedding rows permuted to it before the merge.
  void unionTokenizerPermutesEmbeddings() {
    UnionFixture f;
    engine::MergeRecipe r;
    r.method = "linear";
    r.inputs = {inputOf(f.base), inputOf(f.other, 3.0)};
    r.tokenizer.source = engine::TokenizerSource::Union;
    const engine::MergedWeights merged(r);
    QCOMPARE(merged.find("model.embed_tokens.weight")->shape, (std::vector<std::int64_t>{7, kWidth}));
    const auto expected = (unionRowsOf(1) + 3 * unionRowsOf(2)) / 4;
    QVERIFY(at::allclose(merged.load("model.embed_tokens.weight"), expected));
    QVERIFY(at::allclose(merged.load("lm_head.weight"), -expected));
    QVERIFY(at::allclose(merged.load("model.layers.0.mlp.weight"), at::full({kWidth, kWidth}, 1.75f)));

    const auto out = exportFolder(merged, f.base, f.dir.file("out"));
    QVERIFY(readJson(out + "/config.json")["vocab_size"] == Json(7));
    const Json tok = readJson(out + "/tokenizer.json");
    QCOMPARE(tok["model"]["vocab"].size(), std::size_t(4)); // the base's model vocabulary is kept
    const Json& added = tok["added_tokens"];
    QCOMPARE(added.size(), std::size_t(3));
    QVERIFY(added[0]["content"] == Json("E"));
    QVERIFY(added[0]["id"] == Json(4));
    QVERIFY(added[0]["special"] == Json(false));
    QVERIFY(added[0]["normalized"] == Json(true));
    QVERIFY(added[1]["content"] == Json("F"));
    QVERIFY(added[2]["content"] == Json("<x>"));
    QVERIFY(added[2]["id"] == Json(6));
    QVERIFY(added[2]["special"] == Json(true));
    QVERIFY(readJson(out + "/tokenizer_config.json")["added_tokens_decoder"]["6"]["content"] == Json("<x>"));
  }

  // A model lacking a token several models have gets the base's row, or the mean of the others' rows when
  // the base lacks it too; padding rows (pad_to_multiple_of) are the mean of the real ones.
  void baseRowsFillTokensAndPaddingIsTheMean() {
    test::TempDir dir;
    const auto base = writeTinyModel(dir, "base", {1, {"A", "B", "C"}});
    const auto a = writeTinyModel(dir, "a", {2, {"A", "B", "D"}});
    const auto b = writeTinyModel(dir, "b", {3, {"C", "D", "A"}});
    engine::MergeRecipe r;
    r.method = "task_arithmetic";
    setBase(r, base);
    r.inputs = {inputOf(a), inputOf(b)};
    r.tokenizer.source = engine::TokenizerSource::Union;
    r.tokenizer.padToMultipleOf = 4;
    const engine::MergedWeights merged(r); // output ids A0 B1 C2 D3: 4 rows, already a multiple of 4
    r.tokenizer.padToMultipleOf = 3;
    const engine::MergedWeights padded(r);
    QCOMPARE(padded.find("model.embed_tokens.weight")->shape, (std::vector<std::int64_t>{6, kWidth}));
    const auto e1 = embeddingRows(1, 3), e2 = embeddingRows(2, 3), e3 = embeddingRows(3, 3);
    // D: a and b have it, the base does not: the models lacking it get the mean of a's and b's rows.
    const auto dMean = (e2[2] + e3[1]) / 2;
    const auto p1 = at::stack({e1[0], e1[1], e1[2], dMean});
    const auto p2 = at::stack({e2[0], e2[1], e1[2], e2[2]}); // C: base and b have it: the base's row
    const auto p3 = at::stack({e3[2], e1[1], e3[0], e3[1]}); // B: only the base has it
    auto pad = [](const at::Tensor& t) { return at::cat({t, t.mean(0, true).expand({2, kWidth})}, 0); };
    const auto expected = pad(p1) + (pad(p2) - pad(p1)) + (pad(p3) - pad(p1));
    QVERIFY(at::allclose(padded.load("model.embed_tokens.weight"), expected, 1e-5, 1e-5));
    QCOMPARE(merged.find("model.embed_tokens.weight")->shape, (std::vector<std::int64_t>{4, kWidth}));
  }

  // tokenizer_source: base — the base's tokenizer without the tokens its config gives no row (BPE only).
  void baseTokenizerIsStrippedToItsVocabSize() {
    test::TempDir dir;
    TinyModel baseSpec{1, {"a", "b", "ab", "c"}};
    baseSpec.vocabSize = 3; // "c" has no embedding row
    baseSpec.merges = {"a b", "ab c"};
    const auto base = writeTinyModel(dir, "base", baseSpec);
    const auto other = writeTinyModel(dir, "other", {2, {"b", "a", "ab", "c"}});
    engine::MergeRecipe r;
    r.method = "task_arithmetic";
    setBase(r, base);
    r.inputs = {inputOf(other)};
    r.tokenizer.source = engine::TokenizerSource::Base;
    const engine::MergedWeights merged(r);
    const auto e2 = embeddingRows(2, 4);
    QVERIFY(at::allclose(merged.load("model.embed_tokens.weight"), at::stack({e2[1], e2[0], e2[2]})));
    const auto out = exportFolder(merged, base, dir.file("out"));
    const Json tok = readJson(out + "/tokenizer.json");
    QVERIFY(!tok["model"]["vocab"].contains("c"));
    QVERIFY(tok["model"]["merges"] == Json::array({"a b"}));
    QVERIFY(readJson(out + "/config.json")["vocab_size"] == Json(3));
  }

  // tokenizer_source: a model folder — its tokenizer as is, its files in the output.
  void modelTokenizerIsCopied() {
    UnionFixture f;
    engine::MergeRecipe r;
    r.method = "linear";
    r.inputs = {inputOf(f.base), inputOf(f.other)};
    r.tokenizer = engine::parseTokenizerSource(f.other);
    QVERIFY(r.tokenizer.source == engine::TokenizerSource::Model);
    const engine::MergedWeights merged(r);
    QCOMPARE(merged.find("model.embed_tokens.weight")->shape, (std::vector<std::int64_t>{5, kWidth}));
    const auto out = exportFolder(merged, f.base, f.dir.file("out"));
    QCOMPARE(io::readTextFile(out + "/tokenizer.json"), io::readTextFile(f.other + "/tokenizer.json"));
    QVERIFY(readJson(out + "/config.json")["vocab_size"] == Json(5));
    // other's A C E F <x>: B and D of the base are not in it; the base's A and C are permuted.
    const auto e1 = embeddingRows(1, 4), e2 = embeddingRows(2, 5);
    const auto expected = (at::stack({e1[0], e1[2], e2[2], e2[3], e2[4]}) + e2) / 2;
    QVERIFY(at::allclose(merged.load("model.embed_tokens.weight"), expected));
  }

  // The permuted rows against the independent reading of mergekit in tests/reference/: float32 through a
  // whole task arithmetic merge, bf16 (averages rounded as mergekit's bf16 arithmetic) on the base's rows.
  void permutationsMatchTheReference() {
    if (std::string(MG_REFERENCE_PYTHON).empty()) QSKIP("no /usr/bin/python3 for the reference");
    TempDir dir;
    struct Case {
      std::string label;
      bool f32;
      std::string out;
      at::Tensor actual;
    };
    std::vector<Case> cases;
    Json specs = Json::array();
    for (const auto dtype : {io::DType::F32, io::DType::BF16}) {
      const bool f32 = dtype == io::DType::F32;
      const std::string d = f32 ? "f32/" : "bf16/";
      const auto base =
          writeTinyModel(dir, d + "base", {1, {"A", "B", "C", "D"}, {}, -1, false, {}, {}, dtype});
      const auto other = writeTinyModel(dir, d + "other",
                                        {2, {"A", "C", "E", "F"}, {{"<x>", true}}, -1, false, {}, {}, dtype});
      const auto third = writeTinyModel(
          dir, d + "third",
          {4, {"F", "A", "G", "B"}, {{"<x>", true}, {"<y>", false}}, -1, false, {}, {}, dtype});
      // F and <x> in three models but not the base: a mean of three rows, rounded after each addition
      const auto fourth =
          writeTinyModel(dir, d + "fourth", {6, {"E", "F", "H"}, {{"<x>", true}}, -1, false, {}, {}, dtype});
      for (const std::string source : {"union", "base"}) {
        engine::MergeRecipe r;
        r.method = "task_arithmetic";
        setBase(r, base);
        const double w = f32 ? 1.0 : 0.0; // bf16: weights 0, the base's permuted rows bit for bit
        r.inputs = {inputOf(other, w), inputOf(third, w), inputOf(fourth, w)};
        r.tokenizer = engine::parseTokenizerSource(source);
        r.tokenizer.padToMultipleOf = 4;
        const engine::MergedWeights merged(r);
        Case c{d + source, f32, dir.file(d + source + ".safetensors"),
               merged.load("model.embed_tokens.weight").to(at::kFloat)};
        specs.push_back({{"out", c.out},
                         {"folders", {base, other, third, fourth}},
                         {"source", source},
                         {"has_base", true},
                         {"pad_to_multiple_of", 4},
                         {"tensor", "model.embed_tokens.weight"},
                         {"dtype", f32 ? "float32" : "bfloat16"}});
        cases.push_back(std::move(c));
      }
    }
    writeText(dir.file("specs.json"), specs.dump());
    QProcess p;
    p.start(MG_REFERENCE_PYTHON, {QString(MG_REFERENCE_DIR) + "/tokenizer_reference.py",
                                  QString::fromStdString(dir.file("specs.json"))});
    QVERIFY(p.waitForFinished(120000));
    if (p.exitCode() == 77) QSKIP("python3 has no torch");
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    for (const auto& c : cases) {
      const io::SafetensorsFile ref(c.out);
      std::vector<at::Tensor> rows;
      for (int m = 0; m < 4; ++m)
        rows.push_back(tensor::toTorchFloat32(ref.load("model/" + std::to_string(m))));
      if (c.f32)
        QVERIFY2(at::allclose(c.actual, rows[1] + rows[2] + rows[3] - 2 * rows[0], 1e-5, 1e-5),
                 c.label.c_str());
      else
        QVERIFY2(at::equal(c.actual, rows[0]), c.label.c_str());
    }
  }

  // chat_template: a name mergekit knows, a literal Jinja template, or auto; written into
  // tokenizer_config.json, with or without a tokenizer source.
  void chatTemplateIsWrittenToTheTokenizerConfig() {
    UnionFixture f;
    writeText(f.base + "/chat_template.jinja", "{{ old }}");
    engine::MergeRecipe r;
    r.method = "linear";
    r.inputs = {inputOf(f.base), inputOf(f.other)};
    r.tokenizer.chatTemplate = "chatml";
    const engine::MergedWeights named(r);
    const auto out = exportFolder(named, f.base, f.dir.file("out"));
    const std::string text = readJson(out + "/tokenizer_config.json")["chat_template"];
    QVERIFY(text.find("<|im_start|>") != std::string::npos);
    QVERIFY(!QFile::exists(QString::fromStdString(out + "/chat_template.jinja"))); // would win over it
    QVERIFY(readJson(out + "/config.json")["vocab_size"] == Json(4)); // unchanged without a tokenizer source

    r.tokenizer.chatTemplate = "{{ messages[0]['content'] }} literal";
    const engine::MergedWeights literal(r);
    QCOMPARE(literal.tokenizerFiles().write.count("tokenizer_config.json"), std::size_t(1));
    QVERIFY(literal.tokenizerFiles().write.at("tokenizer_config.json").find("literal") != std::string::npos);

    r.tokenizer.chatTemplate = "chatmll";
    try {
      engine::MergedWeights bad(r);
      QFAIL("unknown template accepted");
    } catch (const std::invalid_argument& e) {
      QVERIFY2(std::string(e.what()).find("chat template 'chatmll'") != std::string::npos, e.what());
    }

    const auto t1 = writeTinyModel(f.dir, "t1", {5, {"A"}, {}, -1, false, "{{ one }}"});
    const auto t2 = writeTinyModel(f.dir, "t2", {6, {"A"}, {}, -1, false, "{{ two }}"});
    const auto t3 = writeTinyModel(f.dir, "t3", {7, {"A"}, {}, -1, false, "{{ two }}"});
    engine::MergeRecipe a;
    a.method = "linear";
    a.inputs = {inputOf(t1), inputOf(t2), inputOf(t3)};
    a.tokenizer.chatTemplate = "auto";
    const engine::MergedWeights automatic(a);
    const Json cfg = Json::parse(automatic.tokenizerFiles().write.at("tokenizer_config.json"));
    QVERIFY(cfg["chat_template"] == Json("{{ two }}"));
  }
};

MG_TEST_APPLESS_MAIN(VocabularyMergeTest)
#include "test_vocabulary_merge.moc"
