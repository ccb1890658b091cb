// The encode and decode pipelines of a loaded tokenizer (the order of the tokenizers library's
// TokenizerImpl::encode_single_sequence and decode).
#include "text/tokenizer.h"

#include <algorithm>

#include "text/added_tokens.h"
#include "text/bpe_model.h"
#include "text/tokenizer_parts.h"
#include "text/unicode_text.h"

namespace mg::text {

TokenizerParts::~TokenizerParts() = default;

Tokenizer::Tokenizer(std::unique_ptr<TokenizerParts> parts) : parts_(std::move(parts)) {}
Tokenizer::~Tokenizer() = default;

std::vector<std::int32_t> Tokenizer::encode(std::string_view input, bool addSpecialTokens) const {
  const TokenizerParts& p = *parts_;
  const std::string text = validUtf8(input);
  std::vector<std::int32_t> ids;
  std::vector<Piece> pieces;
  const std::vector<Segment> segments = p.added->splitRaw(text);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (segments[i].id) {
      ids.push_back(*segments[i].id);
      continue;
    }
    std::string normalized = segments[i].text;
    if (p.normalizer) p.normalizer->normalize(normalized);
    const std::vector<Segment> parts = p.added->splitNormalized(normalized);
    for (std::size_t j = 0; j < parts.size(); ++j) {
      if (parts[j].id) {
        ids.push_back(*parts[j].id);
        continue;
      }
      pieces.assign(1, Piece{parts[j].text, i == 0 && j == 0});
      if (p.preTokenizer) p.preTokenizer->split(pieces);
      for (const Piece& piece : pieces)
        p.model->encodeWord(piece.text, ids);
    }
  }
  if (p.postProcessor && p.postProcessor->addsSpecialTokens()) {
    p.postProcessor->process(ids, addSpecialTokens);
  } else {
    if (p.postProcessor) p.postProcessor->process(ids, addSpecialTokens);
    if (addSpecialTokens && p.configAddsBos && p.bos) ids.insert(ids.begin(), *p.bos);
    if (addSpecialTokens && p.configAddsEos && p.eos) ids.push_back(*p.eos);
  }
  return ids;
}

std::string Tokenizer::decode(const std::vector<std::int32_t>& ids, bool skipSpecialTokens) const {
  const TokenizerParts& p = *parts_;
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (const std::int32_t id : ids) {
    if (skipSpecialTokens && p.added->isSpecial(id)) continue;
    const std::string* token = p.added->idToToken(id);
    if (!token) token = p.model->idToToken(id);
    if (token) tokens.push_back(*token);
  }
  if (p.decoder) p.decoder->decodeChain(tokens);
  std::string text;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0 && !p.decoder) text += ' ';
    text += tokens[i];
  }
  return text;
}

std::size_t Tokenizer::vocabSize() const {
  std::size_t size = parts_->model->size();
  for (const AddedToken& token : parts_->added->tokens())
    size = std::max(size, static_cast<std::size_t>(token.id) + 1);
  return size;
}

std::optional<std::int32_t> Tokenizer::tokenToId(std::string_view token) const {
  const std::string key(token);
  if (const auto id = parts_->added->tokenToId(key)) return id;
  return parts_->model->tokenToId(key);
}

std::optional<std::string> Tokenizer::idToToken(std::int32_t id) const {
  const std::string* token = parts_->added->idToToken(id);
  if (!token) token = parts_->model->idToToken(id);
  if (!token) return std::nullopt;
  return *token;
}

bool Tokenizer::isSpecial(std::int32_t id) const {
  return parts_->added->isSpecial(id);
}

std::optional<std::int32_t> Tokenizer::bosId() const {
  return parts_->bos;
}
std::optional<std::int32_t> Tokenizer::eosId() const {
  return parts_->eos;
}
std::optional<std::int32_t> Tokenizer::padId() const {
  return parts_->pad;
}

namespace {

bool contains(const std::vector<std::int32_t>& ids, std::optional<std::int32_t> id) {
  return id && std::find(ids.begin(), ids.end(), *id) != ids.end();
}

} // namespace

bool Tokenizer::addsBos() const {
  const TokenizerParts& p = *parts_;
  if (p.postProcessor && p.postProcessor->addsSpecialTokens())
    return contains(p.postProcessor->prefix(), p.bos);
  return p.configAddsBos && p.bos;
}

bool Tokenizer::addsEos() const {
  const TokenizerParts& p = *parts_;
  if (p.postProcessor && p.postProcessor->addsSpecialTokens())
    return contains(p.postProcessor->suffix(), p.eos);
  return p.configAddsEos && p.eos;
}

} // namespace mg::text
