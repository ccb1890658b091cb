// The parts of the tokenizers library that tokenizers.js does not reproduce (tests/data/tokenizers cannot
// cover them), checked against the library's documented examples and source: the split behaviours, Metaspace
// with split, Digits, single_word / lstrip / rstrip added tokens, BOS/EOS from tokenizer_config.json, the
// Metaspace and ByteFallback decoders; and that encode is thread-safe and reads invalid UTF-8 as U+FFFD.
#include "support/test_registry.h"
#include <QtTest>

#include <nlohmann/json.hpp>

#include <thread>

#include "io/text_file.h"
#include "text/split_behavior.h"
#include "text/tokenizer.h"
#include "text/tokenizer_parts.h"

using namespace mg;
using nlohmann::json;

namespace {

std::vector<std::string> pieces(const std::string& pre, const std::string& text) {
  const auto preTokenizer = text::makePreTokenizer(json::parse(pre));
  std::vector<text::Piece> p{{text, true}};
  preTokenizer->split(p);
  std::vector<std::string> out;
  for (const auto& piece : p)
    out.push_back(piece.text);
  return out;
}

// A character-level BPE over `chars` (ids in order) with `merges`, and the given components.
json charTokenizer(const std::vector<std::string>& chars, const std::vector<std::string>& merges = {}) {
  json vocab = json::object();
  for (const auto& c : chars)
    vocab[c] = vocab.size();
  for (const auto& m : merges) {
    const auto space = m.find(' ');
    const std::string merged = m.substr(0, space) + m.substr(space + 1);
    if (!vocab.contains(merged)) vocab[merged] = vocab.size();
  }
  return {{"version", "1.0"},
          {"added_tokens", json::array()},
          {"normalizer", nullptr},
          {"pre_tokenizer", nullptr},
          {"post_processor", nullptr},
          {"decoder", nullptr},
          {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", merges}}}};
}

json addedToken(const std::string& content, int id, bool special, bool singleWord = false,
                bool lstrip = false, bool rstrip = false) {
  return {{"id", id},         {"content", content}, {"special", special}, {"single_word", singleWord},
          {"lstrip", lstrip}, {"rstrip", rstrip},   {"normalized", false}};
}

std::shared_ptr<const text::Tokenizer> parse(const json& tokenizer, const json& config = nullptr) {
  return text::parseTokenizer(tokenizer.dump(), config.is_null() ? "" : config.dump(), "tokenizer.json");
}

} // namespace

class TokenizerComponentsTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  // The example of the library's SplitDelimiterBehavior documentation: "the-final--countdown" split on '-'.
  void splitBehaviours() {
    const auto split = [](const std::string& behavior, bool invert = false) {
      return pieces(
          json{{"type", "Split"}, {"pattern", {{"String", "-"}}}, {"behavior", behavior}, {"invert", invert}}
              .dump(),
          "the-final--countdown");
    };
    using V = std::vector<std::string>;
    QCOMPARE(split("Removed"), (V{"the", "final", "countdown"}));
    QCOMPARE(split("Isolated"), (V{"the", "-", "final", "-", "-", "countdown"}));
    QCOMPARE(split("MergedWithPrevious"), (V{"the-", "final-", "-", "countdown"}));
    QCOMPARE(split("MergedWithNext"), (V{"the", "-final", "-", "-countdown"}));
    QCOMPARE(split("Contiguous"), (V{"the", "-", "final", "--", "countdown"}));
    QCOMPARE(split("Removed", true), (V{"-", "-", "-"})); // inverted: the words are the delimiters
    const std::string regex =
        json{{"type", "Split"}, {"pattern", {{"Regex", "\\s+"}}}, {"behavior", "Removed"}}.dump();
    QCOMPARE(pieces(regex, "  a\tbé \n c "), (V{"a", "bé", "c"}));
  }

  void digitsAndMetaspace() {
    using V = std::vector<std::string>;
    QCOMPARE(pieces(R"({"type":"Digits","individual_digits":true})", "Call 123 please"),
             (V{"Call ", "1", "2", "3", " please"}));
    QCOMPARE(pieces(R"({"type":"Digits","individual_digits":false})", "Call 123 please"),
             (V{"Call ", "123", " please"}));
    QCOMPARE(pieces(R"({"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true})",
                    "Hey  friend!"),
             (V{"▁Hey", "▁", "▁friend!"}));
    QCOMPARE(pieces(R"({"type":"Metaspace","replacement":"▁","prepend_scheme":"never","split":false})",
                    "Hey friend"),
             (V{"Hey▁friend"}));
    // "first": only the piece at the start of the text gets the prefix.
    const auto metaspace = text::makePreTokenizer(
        json::parse(R"({"type":"Metaspace","replacement":"▁","prepend_scheme":"first","split":false})"));
    std::vector<text::Piece> p{{"a b", true}, {"c", false}};
    metaspace->split(p);
    QCOMPARE(p[0].text, std::string("▁a▁b"));
    QCOMPARE(p[1].text, std::string("c"));
    QCOMPARE(pieces(R"({"type":"ByteLevel","add_prefix_space":true,"use_regex":true})", "Hello  world"),
             (V{"ĠHello", "Ġ", "Ġworld"}));
  }

  // ignore_merges (Llama 3): a word in the vocabulary is one token even when the merges would not make it.
  void ignoreMerges() {
    json t = charTokenizer({"a", "b", "c"}, {"a b"});
    t["model"]["vocab"]["abc"] = 4;
    QCOMPARE(parse(t)->encode("abc"), (std::vector<std::int32_t>{3, 2}));
    t["model"]["ignore_merges"] = true;
    QCOMPARE(parse(t)->encode("abc"), (std::vector<std::int32_t>{4}));
  }

  void unknownCharactersAndByteFallback() {
    json t = charTokenizer({"<unk>", "a", "<0xC3>", "<0xA9>"});
    t["model"]["unk_token"] = "<unk>";
    QCOMPARE(parse(t)->encode("aé€€a"), (std::vector<std::int32_t>{1, 0, 0, 0, 1}));
    t["model"]["fuse_unk"] = true;
    QCOMPARE(parse(t)->encode("aé€€a"), (std::vector<std::int32_t>{1, 0, 1}));
    t["model"]["byte_fallback"] = true;
    QCOMPARE(parse(t)->encode("aé€€a"), (std::vector<std::int32_t>{1, 2, 3, 0, 1}));
    // The ByteFallback decoder: a run that is not UTF-8 is one U+FFFD per byte.
    t["decoder"] = {{"type", "Sequence"}, {"decoders", {{{"type", "ByteFallback"}}, {{"type", "Fuse"}}}}};
    QCOMPARE(parse(t)->decode({1, 2, 3, 1}), std::string("aéa"));
    QCOMPARE(parse(t)->decode({1, 3, 2, 1}), std::string("a\xEF\xBF\xBD\xEF\xBF\xBD"
                                                         "a"));
  }

  // The library's Metaspace decoder drops every replacement character of the first token.
  void metaspaceDecoder() {
    json t = charTokenizer({"▁", "a", "▁▁"});
    t["decoder"] = {
        {"type", "Metaspace"}, {"replacement", "▁"}, {"prepend_scheme", "always"}, {"split", true}};
    QCOMPARE(parse(t)->decode({2, 1, 0, 1}), std::string("a a"));
    t["decoder"]["prepend_scheme"] = "never";
    QCOMPARE(parse(t)->decode({2, 1, 0, 1}), std::string("  a a"));
  }

  void addedTokenOptions() {
    json t = charTokenizer({"a", "b", " ", "X"});
    t["added_tokens"] = {addedToken("ab", 10, false, true), addedToken("<m>", 11, true, false, true, true)};
    const auto tok = parse(t);
    using V = std::vector<std::int32_t>;
    QCOMPARE(tok->encode("ab a ab"), (V{10, 2, 0, 2, 10}));
    QCOMPARE(tok->encode("aab"), (V{0, 0, 1}));        // single_word: not inside a word
    QCOMPARE(tok->encode("a  <m>  b"), (V{0, 11, 1})); // lstrip and rstrip take the spaces
    QCOMPARE(tok->decode({0, 11, 1}, false), std::string("a <m> b"));
    QCOMPARE(tok->decode({0, 11, 1}, true), std::string("a b"));
    QVERIFY(tok->isSpecial(11));
    QVERIFY(!tok->isSpecial(10));
    QCOMPARE(tok->tokenToId("<m>"), std::optional<std::int32_t>(11));
    QCOMPARE(tok->vocabSize(), std::size_t(12));
  }

  // Without a template post-processor, tokenizer_config.json's add_bos_token / add_eos_token decide.
  void bosAndEosFromTheConfig() {
    json t = charTokenizer({"<s>", "</s>", "a"});
    t["added_tokens"] = {addedToken("<s>", 0, true), addedToken("</s>", 1, true)};
    const json config = {{"bos_token", {{"content", "<s>"}, {"__type", "AddedToken"}}},
                         {"eos_token", "</s>"},
                         {"add_bos_token", true},
                         {"add_eos_token", true}};
    const auto tok = parse(t, config);
    QCOMPARE(tok->bosId(), std::optional<std::int32_t>(0));
    QCOMPARE(tok->eosId(), std::optional<std::int32_t>(1));
    QCOMPARE(tok->padId(), std::optional<std::int32_t>());
    QVERIFY(tok->addsBos() && tok->addsEos());
    QCOMPARE(tok->encode("a"), (std::vector<std::int32_t>{0, 2, 1}));
    QCOMPARE(tok->encode("a", false), (std::vector<std::int32_t>{2}));
    // A template post-processor decides instead: here it adds only </s>.
    t["post_processor"] = {
        {"type", "TemplateProcessing"},
        {"single",
         {{{"Sequence", {{"id", "A"}, {"type_id", 0}}}},
          {{"SpecialToken", {{"id", "</s>"}, {"type_id", 0}}}}}},
        {"special_tokens", {{"</s>", {{"id", "</s>"}, {"ids", {1}}, {"tokens", {"</s>"}}}}}}};
    const auto templated = parse(t, config);
    QCOMPARE(templated->encode("a"), (std::vector<std::int32_t>{2, 1}));
    QVERIFY(!templated->addsBos() && templated->addsEos());
  }

  void threadsAndInvalidUtf8() {
    const auto tok = text::loadTokenizer(std::string(MG_TOKENIZER_DATA) + "/llama3");
    const std::string sample = io::readTextFile(std::string(MG_TOKENIZER_DATA) + "/llama3/texts.json");
    const auto expected = tok->encode(sample);
    std::vector<std::thread> threads;
    std::vector<bool> same(4, false);
    for (int i = 0; i < 4; ++i)
      threads.emplace_back([&, i] {
        bool ok = true;
        for (int k = 0; k < 20; ++k)
          ok = ok && tok->encode(sample) == expected;
        same[static_cast<std::size_t>(i)] = ok;
      });
    for (auto& t : threads)
      t.join();
    QCOMPARE(same, std::vector<bool>(4, true));
    // Runs of hundreds of kilobytes (the look-ahead \s+(?!\S) over a long whitespace run): tokenizers.js
    // gives 50002 ids when each run is 20000 long, and the ids grow linearly with the runs.
    const auto runs = [](std::size_t n) {
      return std::string(n, ' ') + "a\n" + std::string(n, 'x') + std::string(n, '\n');
    };
    QCOMPARE(tok->encode(runs(20000), false).size(), std::size_t(50002));
    const auto longIds = tok->encode(runs(400000), false);
    QCOMPARE(longIds.size(), std::size_t(1000002));
    QCOMPARE(tok->decode(longIds), runs(400000));
    QCOMPARE(tok->encode("a\xFF"
                         "b",
                         false),
             tok->encode("a\xEF\xBF\xBD"
                         "b",
                         false));
  }
};

MG_TEST_APPLESS_MAIN(TokenizerComponentsTest)
#include "test_tokenizer_components.moc"
