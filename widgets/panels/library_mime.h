#pragma once
// The drag-and-drop contract between the library panel and the canvas: what a dragged node type or source
// carries. The library builds the data; the canvas reads it back with the functions below, so neither
// side spells a MIME type or a JSON key by itself.
//   node type: application/x-merganser-node-type, the UTF-8 type id ("merge.ties");
//   source:    application/x-merganser-source, UTF-8 JSON {"path": "/abs/path", "role":
//   "model|adapter|tasks"},
//              plus text/uri-list with the file's URL (for drops outside the workbench).
#include <QString>

#include <optional>

#include "io/source_classifier.h"

class QMimeData;

namespace mg::ui::mime {

inline constexpr const char* kNodeType = "application/x-merganser-node-type";
inline constexpr const char* kSource = "application/x-merganser-source";

// New QMimeData, owned by the caller (QDrag takes it).
QMimeData* nodeTypeData(const QString& typeId);
QMimeData* sourceData(const QString& path, io::SourceRole role);

struct DraggedSource {
  QString path;
  io::SourceRole role = io::SourceRole::Model;
};

// What `data` carries, or nullopt when it carries no (well-formed) node type / source.
std::optional<QString> nodeTypeFrom(const QMimeData& data);
std::optional<DraggedSource> sourceFrom(const QMimeData& data);

} // namespace mg::ui::mime
