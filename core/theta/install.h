#pragma once
// Sets a git repository up for versioned checkpoints: the theta filter and diff drivers in its config
// (pointing at merganser-theta), and `*.safetensors filter=theta diff=theta` in its .gitattributes. In a
// clone of a repository on this machine (or a shared folder) it also reads the origin's object store, and
// checks out the checkpoints the clone holds only as manifests (cloned before the filter was configured).
#include <string>

namespace mg::theta {

// `repository`: a folder inside the work tree; `driver`: the shell command git should run, followed by
// clean, smudge, diff or show (e.g. "'/usr/bin/merganser-theta'"). Running it again changes nothing. Returns
// what it did, one line per change; throws IoError when `repository` is not in a git work tree or git refuses
// a setting.
std::string installInRepository(const std::string& repository, const std::string& driver);

// `text` quoted for the POSIX shell git runs its drivers with.
std::string shellQuoted(const std::string& text);

} // namespace mg::theta
