// tokenizer.json: models, normalizers, pre-tokenizers (with their regexes), post-processors, decoders and
// added tokens; a tokenizer that loads then encodes and decodes a text covering its components' cases.
#include "fuzz_support.h"
#include "text/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  mg::fuzz::expectCleanFailure("tokenizer.json", [&] {
    const auto tokenizer = mg::text::parseTokenizer(json, "", "tokenizer.json");
    const auto ids = tokenizer->encode("Hello  wörld 123\n\t<s> 你好 ÿ\xff end");
    tokenizer->decode(ids, false);
  });
  return 0;
}
