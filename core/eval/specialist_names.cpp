#include "eval/specialist_names.h"

#include <algorithm>
#include <cctype>

namespace mg::eval {

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return text;
}

bool isSeparator(char c) {
  return c == '_' || c == '-' || c == '.' || c == ' ' || c == '/';
}

} // namespace

std::string shortModelName(const std::string& label) {
  std::string name = label;
  while (name.size() > 1 && (name.back() == '/' || name.back() == '\\'))
    name.pop_back();
  const auto slash = name.find_last_of("/\\");
  if (slash != std::string::npos && slash + 1 < name.size()) name = name.substr(slash + 1);
  for (const char* extension : {".safetensors", ".bin", ".pt", ".pth", ".h5", ".hdf5", ".ckpt"}) {
    const std::string ext = extension;
    if (name.size() > ext.size() && lower(name.substr(name.size() - ext.size())) == ext) {
      name.resize(name.size() - ext.size());
      break;
    }
  }
  return name;
}

int namesTask(const std::string& name, const std::string& task) {
  if (task.empty()) return 0;
  const std::string n = lower(name), t = lower(task);
  if (n == t) return 2;
  if (n.size() > t.size() && n.compare(n.size() - t.size(), t.size(), t) == 0 &&
      isSeparator(n[n.size() - t.size() - 1]))
    return 1;
  return 0;
}

std::optional<std::size_t> taskNamedBy(const std::string& label, const std::vector<std::string>& tasks) {
  const std::string name = shortModelName(label);
  std::optional<std::size_t> found;
  int strength = 0;
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    const int s = namesTask(name, tasks[t]);
    if (s > strength || (s > 0 && s == strength && tasks[t].size() > tasks[*found].size())) {
      strength = s;
      found = t;
    }
  }
  return found;
}

} // namespace mg::eval
