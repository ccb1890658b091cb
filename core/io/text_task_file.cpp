#include "io/text_task_file.h"
#include "io/revision_path.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "io/atomic_file.h"
#include "io/io_error.h"
#include "io/model_files.h"
#include "io/strict_json.h"

namespace mg::io {

namespace {

using nlohmann::json;

constexpr std::array<const char*, 3> kKindNames = {"perplexity", "multiple_choice", "generation"};

// A line's problem, as "line N: ...".
[[noreturn]] void failLine(const std::string& path, std::size_t line, const std::string& problem) {
  throw IoError(path, "line " + std::to_string(line) + ": " + problem);
}

std::string stringMember(const json& object, const char* key, const std::string& path, std::size_t line) {
  const auto found = object.find(key);
  if (found == object.end()) failLine(path, line, std::string("has no \"") + key + "\"");
  if (!found->is_string()) failLine(path, line, std::string("\"") + key + "\" must be text");
  return found->get<std::string>();
}

std::vector<std::string> stringList(const json& value, const char* key, const std::string& path,
                                    std::size_t line) {
  if (!value.is_array()) failLine(path, line, std::string("\"") + key + "\" must be a list of texts");
  std::vector<std::string> out;
  for (const auto& item : value) {
    if (!item.is_string()) failLine(path, line, std::string("\"") + key + "\" must be a list of texts");
    out.push_back(item.get<std::string>());
  }
  return out;
}

// The kind an example's keys say it is, when no header names it.
std::optional<TextTaskKind> kindOfKeys(const json& object) {
  if (object.contains("choices")) return TextTaskKind::MultipleChoice;
  if (object.contains("prompt")) return TextTaskKind::Generation;
  if (object.contains("text")) return TextTaskKind::Perplexity;
  return std::nullopt;
}

TextExample readExample(const json& object, TextTaskKind kind, const std::string& path, std::size_t line) {
  TextExample example;
  example.line = line;
  switch (kind) {
  case TextTaskKind::Perplexity:
    example.text = stringMember(object, "text", path, line);
    if (example.text.empty()) failLine(path, line, "\"text\" is empty");
    break;
  case TextTaskKind::MultipleChoice: {
    example.context = stringMember(object, "context", path, line);
    const auto choices = object.find("choices");
    if (choices == object.end()) failLine(path, line, "has no \"choices\"");
    example.choices = stringList(*choices, "choices", path, line);
    if (example.choices.size() < 2) failLine(path, line, "\"choices\" needs at least two");
    for (const auto& choice : example.choices)
      if (choice.empty()) failLine(path, line, "a choice is empty");
    const auto label = object.find("label");
    if (label == object.end()) failLine(path, line, "has no \"label\"");
    if (!label->is_number_integer()) failLine(path, line, "\"label\" must be an integer");
    example.label = label->get<std::int64_t>();
    if (example.label < 0 || example.label >= std::int64_t(example.choices.size()))
      failLine(path, line,
               "\"label\" " + std::to_string(example.label) + " is not one of the " +
                   std::to_string(example.choices.size()) + " choices (0-based)");
    break;
  }
  case TextTaskKind::Generation:
    example.prompt = stringMember(object, "prompt", path, line);
    example.answer = stringMember(object, "answer", path, line);
    break;
  }
  return example;
}

// The header's settings onto `task`.
void readHeader(const json& header, TextTask& task, const std::string& path) {
  if (!header.is_object()) failLine(path, 1, "\"merganser_task\" must be an object");
  const auto kind = header.find("kind");
  if (kind != header.end()) {
    if (!kind->is_string() || !textTaskKindFromName(kind->get<std::string>()))
      failLine(path, 1, "\"kind\" must be one of perplexity, multiple_choice, generation");
    task.kind = *textTaskKindFromName(kind->get<std::string>());
  }
  if (const auto name = header.find("name"); name != header.end()) {
    if (!name->is_string() || name->get<std::string>().empty())
      failLine(path, 1, "\"name\" must be a non-empty text");
    task.name = name->get<std::string>();
  }
  if (const auto skills = header.find("skills"); skills != header.end())
    task.skills = stringList(*skills, "skills", path, 1);
  if (const auto tokens = header.find("max_new_tokens"); tokens != header.end()) {
    if (!tokens->is_number_integer() || tokens->get<std::int64_t>() < 1 ||
        tokens->get<std::int64_t>() > 65536)
      failLine(path, 1, "\"max_new_tokens\" must be an integer from 1 to 65536");
    task.maxNewTokens = tokens->get<std::int64_t>();
  }
  if (const auto stop = header.find("stop"); stop != header.end()) {
    task.stop = stringList(*stop, "stop", path, 1);
    if (std::any_of(task.stop.begin(), task.stop.end(), [](const auto& s) { return s.empty(); }))
      failLine(path, 1, "a \"stop\" text is empty");
  }
}

} // namespace

const char* textTaskKindName(TextTaskKind kind) {
  return kKindNames.at(static_cast<std::size_t>(kind));
}

std::optional<TextTaskKind> textTaskKindFromName(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i)
    if (name == kKindNames[i]) return static_cast<TextTaskKind>(i);
  return std::nullopt;
}

TextTask readTextTaskFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path, "cannot be read");
  TextTask task;
  task.path = path;
  task.name = std::filesystem::path(path).stem().string();
  bool kindKnown = false;
  std::string text;
  std::size_t line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    const json object = parseStrictJson(text, path, "line " + std::to_string(line));
    if (!object.is_object()) failLine(path, line, "is not a JSON object");
    if (const auto header = object.find("merganser_task"); header != object.end()) {
      if (!task.examples.empty() || kindKnown)
        failLine(path, line, "the \"merganser_task\" header must be the first line");
      readHeader(*header, task, path);
      kindKnown = header->contains("kind");
      continue;
    }
    if (!kindKnown) {
      const auto kind = kindOfKeys(object);
      if (!kind)
        failLine(path, line,
                 "is not an example of any kind (\"text\"; \"context\", \"choices\", \"label\"; \"prompt\", "
                 "\"answer\")");
      task.kind = *kind;
      kindKnown = true;
    }
    task.examples.push_back(readExample(object, task.kind, path, line));
  }
  if (in.bad()) throw IoError(path, "cannot be read");
  if (task.examples.empty()) throw IoError(path, "holds no examples");
  return task;
}

bool holdsTextTasks(const std::string& given) {
  namespace fs = std::filesystem;
  // PATH@REV: judged by PATH's name, else by the revision's copy of the folder.
  const auto atRevision = parseRevisionPath(given);
  if (atRevision && hasSuffix(atRevision->path, ".jsonl")) return true;
  std::string path = given;
  if (atRevision) {
    try {
      path = localPath(given);
    } catch (const std::exception&) {
      return false; // the reader that opens it reports why
    }
  }
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return hasSuffix(path, ".jsonl");
  for (const auto& entry : fs::directory_iterator(path, ec))
    if (entry.is_regular_file(ec) && hasSuffix(entry.path().filename().string(), ".jsonl")) return true;
  return false;
}

std::vector<TextTask> readTextTaskSet(const std::string& given) {
  namespace fs = std::filesystem;
  const std::string path = localPath(given); // PATH@REV: the task file or folder as it was then
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return {readTextTaskFile(path)};
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(path, ec))
    if (entry.is_regular_file(ec) && hasSuffix(entry.path().filename().string(), ".jsonl"))
      files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  if (files.empty()) throw IoError(path, "holds no text task files (.jsonl)");
  std::vector<TextTask> tasks;
  for (const auto& file : files)
    tasks.push_back(readTextTaskFile(file));
  return tasks;
}

void writeTextTaskFile(const std::string& path, const TextTask& task) {
  if (task.examples.empty()) throw std::invalid_argument("text task '" + task.name + "' has no examples");
  json header = {{"kind", textTaskKindName(task.kind)}, {"name", task.name}, {"skills", task.skills}};
  if (task.kind == TextTaskKind::Generation) {
    header["max_new_tokens"] = task.maxNewTokens;
    header["stop"] = task.stop;
  }
  std::ostringstream out;
  out << json{{"merganser_task", header}}.dump() << '\n';
  for (const auto& example : task.examples) {
    json object;
    switch (task.kind) {
    case TextTaskKind::Perplexity: object = {{"text", example.text}}; break;
    case TextTaskKind::MultipleChoice:
      if (example.label < 0 || example.label >= std::int64_t(example.choices.size()))
        throw std::invalid_argument("text task '" + task.name + "': a label is not one of its choices");
      object = {{"context", example.context}, {"choices", example.choices}, {"label", example.label}};
      break;
    case TextTaskKind::Generation: object = {{"prompt", example.prompt}, {"answer", example.answer}}; break;
    }
    out << object.dump() << '\n';
  }
  writeFileAtomically(path, out.str());
}

} // namespace mg::io
