// A byte-level BPE trained by Merganser loads in Hugging Face's tokenizers.js with the same ids (the
// "trained" fixture of test_tokenizer_fixtures.cpp is this file), training is deterministic, and what it
// writes round-trips through our own loader.
#include "support/test_registry.h"
#include <QtTest>

#include <cstdlib>

#include "io/text_file.h"
#include "support/temp_dir.h"
#include "text/bpe_trainer.h"
#include "text/tokenizer.h"

using namespace mg;

namespace {

const std::string kTrainedFolder = std::string(MG_TOKENIZER_DATA) + "/trained";

// The corpus of the committed trained tokenizer: skill-task strings like the text demo zoo's, and Unicode.
std::vector<std::string> corpus() {
  std::vector<std::string> texts;
  const char* words[] = {"reverse", "upper",  "sort",  "count", "merge",
                         "letters", "digits", "model", "task",  "skill"};
  for (int i = 0; i < 200; ++i) {
    const std::string a = words[i % 10], b = words[(i * 7 + 3) % 10];
    texts.push_back("reverse " + a + ": " + std::string(a.rbegin(), a.rend()) + "\ncount " + b + " = " +
                    std::to_string(b.size()) + "<|endoftext|>" + std::to_string(i * 37 % 1000) + " + " +
                    std::to_string(i) + " = " + std::to_string(i * 37 % 1000 + i));
  }
  texts.push_back("Café naïve résumé 日本語 🦆 über   spaces\n\n\ttabs");
  return texts;
}

text::TokenizerFileOptions options() {
  text::TokenizerFileOptions o;
  o.bos = "<s>";
  o.eos = "<|endoftext|>";
  o.pad = "<pad>";
  o.addBos = true;
  o.modelMaxLength = 256;
  return o;
}

const std::vector<std::string> kSpecials = {"<|endoftext|>", "<s>", "<pad>"};

} // namespace

class BpeTrainerTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void committedFileIsWhatTrainingWrites() {
    const auto bpe = text::trainByteLevelBpe(corpus(), 420, kSpecials);
    QCOMPARE(bpe.tokens.size() + bpe.specialTokens.size(), std::size_t(420));
    if (std::getenv("MG_WRITE_TRAINED_TOKENIZER")) { // then: node make_fixtures.mjs for its expected ids
      text::writeTokenizerJson(kTrainedFolder, bpe, options());
      QSKIP("wrote tests/data/tokenizers/trained");
    }
    QCOMPARE(text::tokenizerJson(bpe, options()), io::readTextFile(kTrainedFolder + "/tokenizer.json"));
    QCOMPARE(text::tokenizerConfigJson(bpe, options()),
             io::readTextFile(kTrainedFolder + "/tokenizer_config.json"));
  }

  void trainingIsDeterministicAndLearnsFrequentWords() {
    const auto a = text::trainByteLevelBpe(corpus(), 400, kSpecials);
    const auto b = text::trainByteLevelBpe(corpus(), 400, kSpecials);
    QCOMPARE(a.tokens, b.tokens);
    QCOMPARE(a.merges, b.merges);
    // "Ġreverse" (with its space) is among the most frequent words: one token.
    QVERIFY(std::find(a.tokens.begin(), a.tokens.end(), "Ġreverse") != a.tokens.end());
    // Special tokens are never learned from the text.
    for (const auto& token : a.tokens)
      QVERIFY(token.find("endoftext") == std::string::npos);
  }

  void writtenFolderLoadsAndRoundTrips() {
    test::TempDir dir;
    const auto bpe = text::trainByteLevelBpe(corpus(), 400, kSpecials);
    text::writeTokenizerJson(dir.file("tok"), bpe, options());
    const auto tokenizer = text::loadTokenizer(dir.file("tok"));
    QCOMPARE(tokenizer->vocabSize(), std::size_t(400));
    QCOMPARE(tokenizer->bosId(), std::optional<std::int32_t>(398));
    QCOMPARE(tokenizer->eosId(), std::optional<std::int32_t>(397));
    QCOMPARE(tokenizer->padId(), std::optional<std::int32_t>(399));
    QVERIFY(tokenizer->addsBos());
    QVERIFY(!tokenizer->addsEos());
    const std::string sample = "reverse skill: lliks\nünïcödé 🦆 12345<|endoftext|>";
    const auto ids = tokenizer->encode(sample);
    QCOMPARE(ids.front(), 398);
    QCOMPARE(ids.back(), 397);
    QVERIFY(ids.size() < sample.size() / 2); // merges learned: fewer tokens than bytes
    QCOMPARE(tokenizer->decode(ids, true), std::string("reverse skill: lliks\nünïcödé 🦆 12345"));
    QCOMPARE(tokenizer->decode(ids, false), "<s>" + sample);
  }

  void tooSmallAVocabularyIsAnError() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, text::trainByteLevelBpe(corpus(), 257, kSpecials));
  }
};

MG_TEST_APPLESS_MAIN(BpeTrainerTest)
#include "test_bpe_trainer.moc"
