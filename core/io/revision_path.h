#pragma once
// "PATH@REV": a model, adapter or task file or folder as it was in git revision REV (a commit, tag, branch,
// HEAD~2, ...) of the repository PATH is in, so that a project reproduces an old merge exactly. The files are
// read with `git cat-file --filters` (so a checkpoint under the theta filter comes back whole) into a copy
// kept per commit under the repository's .git/theta/revisions; the copy is what opens.
#include <optional>
#include <string>

namespace mg::io {

struct RevisionPath {
  std::string path;     // as given, before the last '@'
  std::string revision; // after it
};

// The two parts of `text` when it names no existing file or folder and has a non-empty part after its last
// '@'; nullopt otherwise (an existing "a@b.safetensors" is just a file).
std::optional<RevisionPath> parseRevisionPath(const std::string& text);

// The commit (40 hex digits) `where.revision` is in the repository of `where.path`; throws IoError naming
// "PATH@REV" when there is no such repository or revision.
std::string revisionCommit(const RevisionPath& where);

// A local path holding `where.path` as it was in its revision: a file, or a folder with every file under it.
// Made once per commit; throws IoError naming "PATH@REV" when the path is not in that revision or a file
// cannot be read (a missing or corrupt theta object, say).
std::string materializeRevision(const RevisionPath& where);

// `text` itself, or for PATH@REV its materialized copy: for the readers that open a path directly.
std::string localPath(const std::string& text);

} // namespace mg::io
