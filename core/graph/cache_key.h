#pragma once
// Keys under which the engine caches node outputs. A node's key hashes what determines its output: its type,
// parameters and input weights, and its inputs' keys (with the output each input comes from); never its
// title or position. So editing one node changes the keys of that node and of the nodes downstream of it,
// and nothing else. Keys are stable across runs, builds and machines (XXH64 of canonical JSON).
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "graph/node.h"

namespace mg::graph {

class Document;

using CacheKey = std::uint64_t;

// Extra bytes mixed into a node's key, e.g. a source file's size and modification time so that a file
// changed on disk invalidates its node and what depends on it. Empty: nothing extra.
using KeySalt = std::function<std::string(const Document& document, NodeId node)>;

// The keys of `targets` and everything upstream of them (no targets: every node). Throws
// std::invalid_argument on a cycle, like topologicalOrder().
std::map<NodeId, CacheKey> cacheKeys(const Document& document, const std::vector<NodeId>& targets = {},
                                     const KeySalt& salt = {});
CacheKey cacheKey(const Document& document, NodeId node, const KeySalt& salt = {});

// 16 lower-case hex digits: for file names and logs.
std::string cacheKeyText(CacheKey key);

} // namespace mg::graph
