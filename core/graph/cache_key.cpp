#include "graph/cache_key.h"

#include <cstdio>

#include <xxhash.h>

#include "graph/document.h"
#include "graph/topological_order.h"

namespace mg::graph {

namespace {

// Bump when what goes into a key changes, so old cache entries are never mistaken for new ones.
constexpr const char* kKeyVersion = "merganser-cache-key/1";

CacheKey keyOf(const Document& document, NodeId id, const std::map<NodeId, CacheKey>& known,
               const KeySalt& salt) {
  const Node& node = document.at(id);
  nlohmann::json inputs = nlohmann::json::array();
  const std::size_t count = document.inputCount(id);
  for (std::size_t i = 0; i < count; ++i) {
    const auto from = document.source({id, i});
    inputs.push_back(from ? nlohmann::json::array({cacheKeyText(known.at(from->node)), from->port})
                          : nlohmann::json());
  }
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [name, value] : node.params) {
    params[name] = value;
  }
  const nlohmann::json canonical = {kKeyVersion,  node.type, params,
                                    node.weights, inputs,    salt ? salt(document, id) : std::string()};
  // Object keys are sorted and numbers printed in their shortest round-trip form: the same graph always
  // gives the same bytes. Invalid UTF-8 is replaced rather than refused: a key must always exist.
  const std::string bytes = canonical.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return XXH64(bytes.data(), bytes.size(), 0);
}

} // namespace

std::map<NodeId, CacheKey> cacheKeys(const Document& document, const std::vector<NodeId>& targets,
                                     const KeySalt& salt) {
  std::map<NodeId, CacheKey> keys;
  for (const NodeId id : topologicalOrder(document, targets)) {
    keys[id] = keyOf(document, id, keys, salt);
  }
  return keys;
}

CacheKey cacheKey(const Document& document, NodeId node, const KeySalt& salt) {
  return cacheKeys(document, {node}, salt).at(node);
}

std::string cacheKeyText(CacheKey key) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(key));
  return text;
}

} // namespace mg::graph
