#pragma once
// Theta objects between repositories on different hosts, carried by git itself: each object is a blob under
// the ref refs/theta/objects/<id>[.sparse|.lowrank] of a remote, so any remote git can push to (ssh, https,
// a path) keeps them beside the commits whose manifests name them — no server of its own, as git-lfs needs.
// One ref per object: a fetch asks for exactly the objects a checkout lacks, and contributors pushing at the
// same time never conflict (the same name is the same content).
//
// Objects go through a temporary git object folder (GIT_OBJECT_DIRECTORY) that is removed afterwards, so
// the repository's own .git/objects never holds a second copy of a tensor. Blobs go uncompressed (float
// weights barely compress and zlib would cost more than the transfer) and never as deltas.
#include <cstdint>
#include <string>
#include <vector>

#include "theta/object_store.h"

namespace mg::theta {

// The remote objects travel to and from when none is named: git config theta.remote, else the current
// branch's remote, else "origin" when there is one; "" when the repository has no remote.
std::string defaultThetaRemote();

// The objects the manifests name in the commits `revisions` selects (`git rev-list` arguments: tips, and
// ^commits whose history is left out), each once.
std::vector<StoredTensor> objectsInCommits(const std::vector<std::string>& revisions);
// The objects the manifests name in the tree of `revision`.
std::vector<StoredTensor> objectsInTree(const std::string& revision);

struct Transfer {
  std::size_t objects = 0;
  std::uint64_t bytes = 0;
};

// Pushes to `remote` those of the tensors' objects, and of the objects their updates are built on, that it
// lacks. Throws IoError when an object is in no store here (the remote would hold a history it cannot check
// out) or git fails, with git's message.
Transfer pushObjects(const ObjectStore& store, const std::string& remote,
                     const std::vector<StoredTensor>& tensors);
// Fetches from `remote` the tensors' objects missing here, with the objects their updates are built on,
// into the store; each tensor is then read back and checked against its name. Throws IoError naming the
// object when the remote lacks it or it arrives corrupt (nothing fetched is kept then).
Transfer fetchObjects(ObjectStore& store, const std::string& remote,
                      const std::vector<StoredTensor>& tensors);

// Whether a tensor can be read from the stores here (its object and all it is built on are present).
bool storedHere(const ObjectStore& store, const StoredTensor& tensor);

} // namespace mg::theta
