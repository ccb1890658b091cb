#include "text/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "text/tokenizer_parts.h"

#include <stdexcept>

namespace mg::text {

struct Regex::Impl {
  pcre2_code* code = nullptr;
  ~Impl() { pcre2_code_free(code); }
};

Regex::Regex(const std::string& pattern) : impl_(std::make_unique<Impl>()) {
  int error = 0;
  PCRE2_SIZE offset = 0;
  impl_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                              PCRE2_UTF | PCRE2_UCP, &error, &offset, nullptr);
  if (!impl_->code) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof message);
    throw FormatError("invalid regex '" + pattern + "' at offset " + std::to_string(offset) + ": " +
                      reinterpret_cast<const char*>(message));
  }
  // JIT is several times faster on the long alternations of the GPT-2 / Llama 3 patterns; without it
  // (an unsupported platform) the interpreter gives the same matches.
  pcre2_jit_compile(impl_->code, PCRE2_JIT_COMPLETE);
}

Regex::~Regex() = default;

namespace {

// The JIT's default 32 KiB stack is too small for some matches on long runs (look-ahead after a megabyte of
// spaces): such a match reruns with a stack of up to 256 MiB instead of failing.
int matchWithLargeStack(const pcre2_code* code, PCRE2_SPTR subject, std::size_t length, std::size_t start,
                        pcre2_match_data* data) {
  std::unique_ptr<pcre2_jit_stack, decltype(&pcre2_jit_stack_free)> stack(
      pcre2_jit_stack_create(32 << 10, 256 << 20, nullptr), &pcre2_jit_stack_free);
  std::unique_ptr<pcre2_match_context, decltype(&pcre2_match_context_free)> context(
      pcre2_match_context_create(nullptr), &pcre2_match_context_free);
  if (!stack || !context) return PCRE2_ERROR_NOMEMORY;
  pcre2_jit_stack_assign(context.get(), nullptr, stack.get());
  pcre2_set_heap_limit(context.get(), 1u << 22); // KiB, for the interpreter when JIT is unavailable
  return pcre2_match(code, subject, length, start, PCRE2_NO_UTF_CHECK, data, context.get());
}

} // namespace

std::vector<std::pair<std::size_t, std::size_t>> Regex::findAll(std::string_view text) const {
  std::vector<std::pair<std::size_t, std::size_t>> matches;
  // Match data per call: the compiled pattern is shared by every thread, the match state is not.
  std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data(
      pcre2_match_data_create_from_pattern(impl_->code, nullptr), &pcre2_match_data_free);
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  std::size_t start = 0;
  while (start <= text.size()) {
    int rc = pcre2_match(impl_->code, subject, text.size(), start, PCRE2_NO_UTF_CHECK, data.get(), nullptr);
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
      rc = matchWithLargeStack(impl_->code, subject, text.size(), start, data.get());
    if (rc == PCRE2_ERROR_NOMATCH) break;
    if (rc < 0) {
      PCRE2_UCHAR message[256];
      pcre2_get_error_message(rc, message, sizeof message);
      throw std::runtime_error(std::string("tokenizer regex failed on a text of ") +
                               std::to_string(text.size()) +
                               " bytes: " + reinterpret_cast<const char*>(message));
    }
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data.get());
    const std::size_t begin = ovector[0], end = ovector[1];
    if (end > begin) {
      matches.emplace_back(begin, end);
      start = end;
    } else {
      // An empty match: step over one character (onig's find_iter does the same).
      start = end + 1;
      while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
        ++start;
    }
  }
  return matches;
}

} // namespace mg::text
