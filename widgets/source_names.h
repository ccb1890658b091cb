#pragma once
// How the canvas names a source path, also one read at a git revision ("PATH@COMMIT", io/revision_path.h):
// a full 40-digit commit is cut to 7, as git itself shows it. Text only, no disk access: these run on paint.
#include <QString>

namespace mg::ui {

// The path's file or folder name, with "@1a2b3c4" for a commit: the line under a source node's ports.
QString sourceFileName(const QString& path);
// A dropped source's node title: the file's base name (a folder's whole name), and " @ 1a2b3c4" (or the
// revision as typed, "@ v1.0") for a revision.
QString sourceTitle(const QString& path, bool isFolder);

} // namespace mg::ui
