#pragma once
// Core speaks UTF-8 std::string, Qt QString: the one conversion the widgets use.
#include <QString>

#include <string>

namespace mg::ui {

inline QString qs(const std::string& text) {
  return QString::fromStdString(text);
}

} // namespace mg::ui
