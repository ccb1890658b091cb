// Writes tests/data/tokenizers/<name>/expected.json: for every text of texts.json, the ids Hugging Face's
// tokenizers.js (@huggingface/tokenizers, the tokenizer of transformers.js, tested against the Python
// tokenizers library) gives with and without special tokens, and the decoded texts. The C++ tests
// (tests/text/test_tokenizer_fixtures.cpp) compare every id and text with these; CI needs no node.
//
// Regenerate (after changing make_tokenizers.py or a texts.json):
//   cd tests/reference/tokenizers_js && npm ci && python3 make_tokenizers.py && node make_fixtures.mjs
// The "trained" folder is written by Merganser's own trainer (tests/text/test_bpe_trainer.cpp writes it
// when MG_WRITE_TRAINED_TOKENIZER is set); this script only adds its expected ids.
import { Tokenizer } from "@huggingface/tokenizers";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "data", "tokenizers");
const readJson = (file) => JSON.parse(fs.readFileSync(file, "utf8"));

for (const name of fs.readdirSync(root).sort()) {
  const folder = path.join(root, name);
  const textsFile = path.join(folder, "texts.json");
  if (!fs.existsSync(textsFile)) continue;
  const configFile = path.join(folder, "tokenizer_config.json");
  const config = fs.existsSync(configFile) ? readJson(configFile) : {};
  const tokenizer = new Tokenizer(readJson(path.join(folder, "tokenizer.json")), config);
  // decode as the tokenizers library does: no transformers-style clean-up of spaces before punctuation.
  const decode = (ids, skip) =>
    ids.length === 0 ? "" : tokenizer.decode(ids, { skip_special_tokens: skip, clean_up_tokenization_spaces: false });
  const cases = readJson(textsFile).map((text) => {
    const ids = tokenizer.encode(text).ids;
    const plain = tokenizer.encode(text, { add_special_tokens: false }).ids;
    return { text, ids, ids_without_special: plain, decoded: decode(ids, true), decoded_with_special: decode(ids, false) };
  });
  // One case per line: reviewable diffs when a text or the vocabulary changes.
  fs.writeFileSync(path.join(folder, "expected.json"), "[\n" + cases.map((c) => JSON.stringify(c)).join(",\n") + "\n]\n");
  console.log(`${name}: ${cases.length} texts`);
}
