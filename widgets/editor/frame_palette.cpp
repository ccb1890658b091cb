#include "editor/frame_palette.h"

#include <QCoreApplication>

#include <algorithm>

#include "editor/editor_style.h"

namespace mg::ui {

const std::vector<FrameColour>& frameColours() {
  // The port colours' hues where they exist (people already read them), softer on the dark canvas.
  static const std::vector<FrameColour> colours = {
      {"grey", QT_TRANSLATE_NOOP("FramePalette", "Grey"), QColor(0x9a, 0xa0, 0xa6), QColor(0x6b, 0x72, 0x80)},
      {"red", QT_TRANSLATE_NOOP("FramePalette", "Red"), QColor(0xff, 0x7b, 0x7b), QColor(0xd9, 0x30, 0x25)},
      {"orange", QT_TRANSLATE_NOOP("FramePalette", "Orange"), QColor(0xf5, 0xa6, 0x23),
       QColor(0xd9, 0x77, 0x06)},
      {"yellow", QT_TRANSLATE_NOOP("FramePalette", "Yellow"), QColor(0xe8, 0xd4, 0x4d),
       QColor(0xa1, 0x8f, 0x0c)},
      {"green", QT_TRANSLATE_NOOP("FramePalette", "Green"), QColor(0x4c, 0xd3, 0x7a),
       QColor(0x18, 0x80, 0x38)},
      {"teal", QT_TRANSLATE_NOOP("FramePalette", "Teal"), QColor(0x2e, 0xc4, 0xd6), QColor(0x08, 0x91, 0xb2)},
      {"blue", QT_TRANSLATE_NOOP("FramePalette", "Blue"), QColor(0x5a, 0xa9, 0xff), QColor(0x1a, 0x73, 0xe8)},
      {"purple", QT_TRANSLATE_NOOP("FramePalette", "Purple"), QColor(0xb3, 0x86, 0xff),
       QColor(0x7c, 0x3a, 0xed)},
  };
  return colours;
}

bool isDarkCanvas(const EditorStyle& style) {
  return style.background.lightness() < 128;
}

QColor frameColour(const std::string& key, const EditorStyle& style) {
  const auto& colours = frameColours();
  auto it = std::find_if(colours.begin(), colours.end(), [&](const FrameColour& c) { return key == c.key; });
  if (it == colours.end()) it = colours.begin(); // grey
  return isDarkCanvas(style) ? it->dark : it->light;
}

QString frameColourName(const std::string& key) {
  for (const FrameColour& c : frameColours())
    if (key == c.key) return QCoreApplication::translate("FramePalette", c.name);
  return QString::fromStdString(key);
}

} // namespace mg::ui
