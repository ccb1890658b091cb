// Token ids equal the Hugging Face tokenizers library's: every text of tests/data/tokenizers/<format>/
// encoded with and without special tokens and decoded, compared with the ids and texts Hugging Face's
// tokenizers.js gave for the same files (tests/reference/tokenizers_js/make_fixtures.mjs).
#include "support/test_registry.h"
#include <QtTest>

#include <nlohmann/json.hpp>

#include <sstream>

#include "io/text_file.h"
#include "text/tokenizer.h"

using namespace mg;

namespace {

const std::string kData = MG_TOKENIZER_DATA;

std::string idList(const std::vector<std::int32_t>& ids) {
  std::ostringstream out;
  for (std::size_t i = 0; i < ids.size(); ++i)
    out << (i ? "," : "") << ids[i];
  return out.str();
}

// Every mismatch of one format, one line each (empty when all agree).
std::string mismatches(const std::string& name, std::size_t* cases) {
  const auto tokenizer = text::loadTokenizer(kData + "/" + name);
  const auto expected = nlohmann::json::parse(io::readTextFile(kData + "/" + name + "/expected.json"));
  std::string problems;
  for (const auto& c : expected) {
    const std::string textValue = c["text"].get<std::string>();
    const auto ids = c["ids"].get<std::vector<std::int32_t>>();
    const auto plain = c["ids_without_special"].get<std::vector<std::int32_t>>();
    const std::string quoted = nlohmann::json(textValue).dump();
    const auto got = tokenizer->encode(textValue, true);
    if (got != ids)
      problems += name + " " + quoted + ": ids " + idList(got) + " expected " + idList(ids) + "\n";
    const auto gotPlain = tokenizer->encode(textValue, false);
    if (gotPlain != plain)
      problems += name + " " + quoted + ": ids without special " + idList(gotPlain) + " expected " +
                  idList(plain) + "\n";
    const std::string decoded = tokenizer->decode(ids, true);
    if (decoded != c["decoded"].get<std::string>())
      problems += name + " " + quoted + ": decoded " + nlohmann::json(decoded).dump() + " expected " +
                  c["decoded"].dump() + "\n";
    const std::string withSpecial = tokenizer->decode(ids, false);
    if (withSpecial != c["decoded_with_special"].get<std::string>())
      problems += name + " " + quoted + ": decoded with special " + nlohmann::json(withSpecial).dump() +
                  " expected " + c["decoded_with_special"].dump() + "\n";
    ++*cases;
  }
  return problems;
}

} // namespace

class TokenizerFixturesTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void idsAndTextsEqualTheReference_data() {
    QTest::addColumn<QString>("name");
    for (const char* name : {"gpt2", "llama3", "qwen2", "llama2", "mistral", "normalized", "trained"})
      QTest::newRow(name) << name;
  }
  void idsAndTextsEqualTheReference() {
    QFETCH(QString, name);
    std::size_t cases = 0;
    const std::string problems = mismatches(name.toStdString(), &cases);
    QVERIFY2(problems.empty(), problems.c_str());
    QVERIFY(cases >= 20);
  }
};

MG_TEST_APPLESS_MAIN(TokenizerFixturesTest)
#include "test_tokenizer_fixtures.moc"
