#pragma once
// Sets a git repository up for versioned checkpoints: the theta filter and diff drivers in its config
// (pointing at merganser-theta), and `*.safetensors filter=theta diff=theta` in its .gitattributes. In a
// clone of a repository on this machine (or a shared folder) it also reads the origin's object store, and
// checks out the checkpoints the clone holds only as manifests (cloned before the filter was configured),
// fetching their objects from the origin when it is on another host. A pre-push hook makes `git push` push
// the objects of the commits it pushes first (theta/remote_objects.h).
#include <string>

namespace mg::theta {

// `repository`: a folder inside the work tree; `driver`: the shell command git should run, followed by
// clean, smudge, diff or show (e.g. "'/usr/bin/merganser-theta'"). Running it again changes nothing. Returns
// what it did, one line per change; throws IoError when `repository` is not in a git work tree or git refuses
// a setting.
std::string installInRepository(const std::string& repository, const std::string& driver);

// Checks out again, through the smudge filter, the checkpoints the work tree of the repository `root` is in
// holds as manifests (cloned before the filter was configured, or whose objects were missing). Returns a
// line saying how many, or nothing.
std::string checkOutManifests(const std::string& root);

// `text` quoted for the POSIX shell git runs its drivers with.
std::string shellQuoted(const std::string& text);

} // namespace mg::theta
