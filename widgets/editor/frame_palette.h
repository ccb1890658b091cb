#pragma once
// The colours a frame can take. A project stores the name ("teal"), and each theme draws it in its own shade,
// chosen to read on that theme's canvas: a frame keeps its meaning when the theme changes.
#include <QColor>
#include <QString>

#include <string>
#include <vector>

namespace mg::ui {

struct EditorStyle;

struct FrameColour {
  const char* key;  // stored in the project file
  const char* name; // for people (translated by frameColourName())
  QColor dark;      // on the dark canvas
  QColor light;     // on the light canvas
};

const std::vector<FrameColour>& frameColours();
inline constexpr const char* kDefaultFrameColour = "teal";
// The shade of `key` for `style`'s canvas; an unknown name is grey.
QColor frameColour(const std::string& key, const EditorStyle& style);
QString frameColourName(const std::string& key);
bool isDarkCanvas(const EditorStyle& style);

} // namespace mg::ui
