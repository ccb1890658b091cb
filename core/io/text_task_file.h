#pragma once
// A text task (language models, docs/spec/formats.md "Text tasks"): JSON Lines, one example per line,
// one task per file; a folder of .jsonl files is a task set. An optional first line
//   {"merganser_task": {"kind": "multiple_choice", "name": "...", "skills": [...],
//                       "max_new_tokens": 32, "stop": ["\n"]}}
// names the task (else: the file's stem, the kind read off the first example's keys). The kinds:
//   perplexity       {"text": ...}
//   multiple_choice  {"context": ..., "choices": [...], "label": i}
//   generation       {"prompt": ..., "answer": ...}   (max_new_tokens and stop from the header)
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mg::io {

enum class TextTaskKind { Perplexity, MultipleChoice, Generation };

// "perplexity", "multiple_choice", "generation".
const char* textTaskKindName(TextTaskKind kind);
std::optional<TextTaskKind> textTaskKindFromName(std::string_view name);

struct TextExample {
  std::string text;                 // perplexity
  std::string context;              // multiple_choice
  std::vector<std::string> choices; // multiple_choice
  std::int64_t label = -1;          // multiple_choice: index into choices
  std::string prompt, answer;       // generation
  std::size_t line = 0;             // 1-based line of the file, for messages
};

struct TextTask {
  std::string name;
  TextTaskKind kind = TextTaskKind::Perplexity;
  std::vector<std::string> skills;
  std::vector<TextExample> examples;
  std::int64_t maxNewTokens = 32;                      // generation
  std::vector<std::string> stop = {std::string("\n")}; // generation: the answer ends before the first
  std::string path;                                    // the file it was read from ("" when made in memory)
};

// Throws IoError(path, "line N: problem") for a line that is not JSON, lacks a key of its kind, has a label
// out of range, ...; IoError(path, problem) for a file without examples or one that cannot be read.
TextTask readTextTaskFile(const std::string& path);

// Every .jsonl file of a folder (sorted by file name), or the one file `path` names.
std::vector<TextTask> readTextTaskSet(const std::string& path);

// Whether `path` is a .jsonl file or a folder holding one: text tasks rather than HDF5 classifier tasks.
bool holdsTextTasks(const std::string& path);

// Writes the header line and the examples atomically. Throws std::invalid_argument for an example that
// does not fit the kind, IoError for the disk.
void writeTextTaskFile(const std::string& path, const TextTask& task);

} // namespace mg::io
