#pragma once
// The chat templates a merge recipe can name (mergekit's `chat_template: chatml` etc.), and how a
// recipe's chat_template value becomes the Jinja text written into tokenizer_config.json.
#include <string>
#include <vector>

namespace mg::engine {

// The names: alpaca, chatml, exaone, llama3, mistral (mergekit's set). Merganser's own Jinja text for
// each prompt format, not mergekit's files: the prompts they render are the same, the text is not.
const std::vector<std::string>& chatTemplateNames();

// The Jinja template for `value`: a known name gives its template, a literal template (at least 20
// characters and a '{') is returned as is. "auto" is resolved by the caller. Throws
// std::invalid_argument "chat template 'x' is neither a known name (...) nor a Jinja template".
std::string chatTemplateText(const std::string& value);

} // namespace mg::engine
