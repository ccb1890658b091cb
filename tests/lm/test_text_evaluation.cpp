// Text-task scoring as lm-evaluation-harness does it, on a bigram model whose numbers the test computes
// directly: perplexity over rolling windows equals the sum over every token with its own predecessor (each
// token scored once, whatever the window), acc and acc_norm pick what the summed and per-character
// log-likelihoods pick, generation stops at the stop text and compares stripped answers.
#include "support/test_registry.h"
#include <QtTest>

#include <cmath>

#include "io/text_task_file.h"
#include "lm_eval/harness_requests.h"
#include "lm_eval/text_evaluation.h"
#include "text/tokenizer.h"

using namespace mg;

namespace {

// One token per character of " abcdefghijklmnopqrstuvwxyz", <s> (0) the BOS, <unk> (1).
const std::string kAlphabet = " abcdefghijklmnopqrstuvwxyz";

std::shared_ptr<const text::Tokenizer> characterTokenizer() {
  std::string vocab = R"("<s>": 0, "<unk>": 1)";
  for (std::size_t i = 0; i < kAlphabet.size(); ++i)
    vocab += ", \"" + kAlphabet.substr(i, 1) + "\": " + std::to_string(i + 2);
  const std::string special = R"("single_word": false, "lstrip": false, "rstrip": false, "normalized": false,
                                 "special": true)";
  const std::string json = R"({"version": "1.0", "truncation": null, "padding": null, "added_tokens": [
      {"id": 0, "content": "<s>", )" +
                           special + R"(}, {"id": 1, "content": "<unk>", )" + special + R"(}],
    "normalizer": null, "pre_tokenizer": null, "post_processor": null, "decoder": {"type": "Fuse"},
    "model": {"type": "BPE", "dropout": null, "unk_token": "<unk>", "continuing_subword_prefix": null,
              "end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false, "vocab": {)" +
                           vocab + R"(}, "merges": []}})";
  return text::parseTokenizer(json, R"({"bos_token": "<s>"})", "characters/tokenizer.json");
}

// log p(next | previous) of a fixed bigram table: a softmax over seeded-looking logits, with each letter
// strongly preferring the next letter of the alphabet (so greedy decoding spells it).
class BigramScorer final : public lm_eval::TokenScorer {
public:
  explicit BigramScorer(std::int64_t window) : window_(window) {
    const int v = int(kAlphabet.size()) + 2;
    table_.assign(v, std::vector<double>(v));
    for (int p = 0; p < v; ++p) {
      double total = 0;
      std::vector<double> logits(v);
      for (int n = 0; n < v; ++n) {
        logits[n] = std::sin(1.3 * p + 0.7 * n) + (n == p + 1 && p >= 2 ? 3.0 : 0.0);
        total += std::exp(logits[n]);
      }
      for (int n = 0; n < v; ++n)
        table_[p][n] = logits[n] - std::log(total);
    }
  }
  double logProb(std::int32_t previous, std::int32_t next) const { return table_[previous][next]; }

  std::vector<Result> score(const std::vector<Request>& requests) override {
    std::vector<Result> results;
    for (const auto& r : requests) {
      if (r.tokens.size() > std::size_t(window_ + 1) || r.from < 1 || r.from >= r.tokens.size())
        ++badRequests;
      Result result{0, true};
      for (std::size_t i = std::max<std::size_t>(1, r.from); i < r.tokens.size(); ++i) {
        result.logLikelihood += logProb(r.tokens[i - 1], r.tokens[i]);
        result.greedy = result.greedy && argmax(r.tokens[i - 1]) == r.tokens[i];
      }
      results.push_back(result);
    }
    return results;
  }
  std::vector<std::int32_t>
  generate(const std::vector<std::int32_t>& prompt, std::int64_t maxNewTokens,
           const std::function<bool(const std::vector<std::int32_t>&)>& stop) override {
    std::vector<std::int32_t> out;
    std::int32_t last = prompt.back();
    while (std::int64_t(out.size()) < maxNewTokens) {
      out.push_back(last = argmax(last));
      if (stop(out)) break;
    }
    return out;
  }
  std::int64_t maxLength() const override { return window_; }

  int badRequests = 0;

private:
  std::int32_t argmax(std::int32_t previous) const {
    const auto& row = table_[previous];
    return std::int32_t(std::max_element(row.begin(), row.end()) - row.begin());
  }
  std::int64_t window_;
  std::vector<std::vector<double>> table_;
};

std::int32_t id(char c) {
  return std::int32_t(kAlphabet.find(c) + 2);
}

// Σ log p over `text`'s characters, the first after `previous`.
double directLogLikelihood(const BigramScorer& model, std::int32_t previous, const std::string& text) {
  double sum = 0;
  for (const char c : text) {
    sum += model.logProb(previous, id(c));
    previous = id(c);
  }
  return sum;
}

} // namespace

class TextEvaluationTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void rollingWindowsScoreEveryTokenOnce() {
    for (std::int64_t window : {1, 2, 3, 7, 16})
      for (std::size_t size : {1, 2, 5, 16, 17, 40}) {
        std::vector<std::int32_t> tokens(size);
        for (std::size_t i = 0; i < size; ++i)
          tokens[i] = std::int32_t(100 + i);
        std::vector<std::int32_t> predicted;
        for (const auto& w : lm_eval::rollingWindows(tokens, 7, window)) {
          QVERIFY(w.tokens.size() <= std::size_t(window + 1)); // the model reads at most `window`
          QVERIFY(w.from >= 1 && w.from < w.tokens.size());
          predicted.insert(predicted.end(), w.tokens.begin() + std::ptrdiff_t(w.from), w.tokens.end());
          // Each window reads the window's worth of tokens before what it predicts (or all there are).
          const bool first = w.tokens.front() == 7;
          if (!first)
            QCOMPARE(std::int64_t(w.tokens.size() - 1),
                     std::min<std::int64_t>(window, std::int64_t(w.tokens.back() - 100)));
        }
        QCOMPARE(predicted, tokens);
      }
  }

  void perplexityIsOverEveryTokenWithItsPredecessor() {
    const auto tokenizer = characterTokenizer();
    io::TextTask task;
    task.name = "letters";
    task.kind = io::TextTaskKind::Perplexity;
    task.examples = {{"abc defg hijklmnop", "", {}, -1, "", "", 1}, {"zyx", "", {}, -1, "", "", 2}};
    double expected = 0;
    BigramScorer reference(1000);
    for (const auto& e : task.examples)
      expected += directLogLikelihood(reference, 0, e.text); // the first character after <s>
    for (std::int64_t window : {3, 5, 1000}) {
      BigramScorer model(window);
      const auto score = lm_eval::evaluateTextTask(model, *tokenizer, task);
      QCOMPARE(model.badRequests, 0);
      QCOMPARE(score.tokens, std::int64_t(18 + 3));
      QVERIFY(std::abs(score.logLikelihood - expected) < 1e-9);
      QVERIFY(std::abs(score.perplexity - std::exp(-expected / 21.0)) < 1e-9);
    }
  }

  void multipleChoiceAccuracyAndItsLengthNormalizedForm() {
    const auto tokenizer = characterTokenizer();
    BigramScorer model(64);
    // For each context and pair of choices, what acc and acc_norm pick, computed directly.
    io::TextTask task;
    task.name = "choose";
    task.kind = io::TextTaskKind::MultipleChoice;
    const std::vector<std::pair<std::string, std::vector<std::string>>> items = {
        {"ab", {"c", "cdefghij"}}, {"mn", {"o", "x", "opqrstu"}}, {"q ", {"rs", "zz"}}, {"", {"ab", "b"}}};
    std::int64_t acc = 0, accNorm = 0;
    bool differ = false;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto& [context, choices] = items[i];
      // The harness moves the context's trailing space onto the choice; the first character follows the
      // context's last, or <s> for an empty context.
      const std::string kept = context.substr(0, context.find_last_not_of(' ') + 1);
      const std::int32_t previous = kept.empty() ? 0 : id(kept.back());
      std::size_t best = 0, bestNorm = 0;
      std::vector<double> ll;
      for (const auto& choice : choices)
        ll.push_back(directLogLikelihood(model, previous, context.substr(kept.size()) + choice));
      for (std::size_t c = 1; c < choices.size(); ++c) {
        if (ll[c] > ll[best]) best = c;
        if (ll[c] / double(choices[c].size()) > ll[bestNorm] / double(choices[bestNorm].size())) bestNorm = c;
      }
      differ = differ || best != bestNorm;
      // Label 0 everywhere: acc and acc_norm count where each picked choice 0.
      acc += best == 0;
      accNorm += bestNorm == 0;
      task.examples.push_back({"", context, choices, 0, "", "", i + 1});
    }
    QVERIFY(differ); // the cases tell the two accuracies apart
    const auto score = lm_eval::evaluateTextTask(model, *tokenizer, task);
    QCOMPARE(model.badRequests, 0);
    QCOMPARE(score.accuracy, double(acc) / 4.0);
    QCOMPARE(score.accuracyNorm, double(accNorm) / 4.0);
  }

  void generationStopsAtTheStopTextAndComparesStrippedAnswers() {
    const auto tokenizer = characterTokenizer();
    BigramScorer model(64);
    io::TextTask task;
    task.name = "spell";
    task.kind = io::TextTaskKind::Generation;
    task.maxNewTokens = 6;
    task.stop = {"f"};
    // Greedy after "ab" spells c, d, e, f: cut at "f" → "cde". After "mn" it spells o to t, never meeting the
    // stop text: all 6 tokens, and "op" is not what it said.
    task.examples = {{"", "", {}, -1, "ab", " cde ", 1},
                     {"", "", {}, -1, "ab", "cdef", 2},
                     {"", "", {}, -1, "mn", "op", 3}};
    const auto score = lm_eval::evaluateTextTask(model, *tokenizer, task);
    QCOMPARE(score.exactMatch, 1.0 / 3.0);
    QCOMPARE(score.accuracy, score.exactMatch);
    QCOMPARE(score.tokens,
             std::int64_t(4 + 4 + 6)); // the stop text's token is generated; the third runs to the limit

    // A range of examples (a search's validation or test split): from the second, at most one.
    lm_eval::TextEvaluationOptions range;
    range.firstExample = 1;
    range.maxExamples = 1;
    const auto second = lm_eval::evaluateTextTask(model, *tokenizer, task, range);
    QCOMPARE(second.examples, std::int64_t(1));
    QCOMPARE(second.exactMatch, 0.0); // "cdef" is not what it says
    range.firstExample = 3;
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, lm_eval::evaluateTextTask(model, *tokenizer, task, range));
  }
};

MG_TEST_APPLESS_MAIN(TextEvaluationTest)
#include "test_text_evaluation.moc"
