#include "io/staging_paths.h"

#include <map>
#include <mutex>

namespace mg::io {
namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, std::string> destinations; // staging path -> destination
};

Registry& registry() {
  static Registry r;
  return r;
}

} // namespace

void registerStagingPath(const std::string& staging, const std::string& destination) {
  Registry& r = registry();
  const std::lock_guard<std::mutex> lock(r.mutex);
  r.destinations[staging] = destination;
}

void unregisterStagingPath(const std::string& staging) {
  Registry& r = registry();
  const std::lock_guard<std::mutex> lock(r.mutex);
  r.destinations.erase(staging);
}

std::string withDestinationPaths(std::string text) {
  Registry& r = registry();
  const std::lock_guard<std::mutex> lock(r.mutex);
  for (const auto& [staging, destination] : r.destinations)
    for (auto at = text.find(staging); at != std::string::npos;
         at = text.find(staging, at + destination.size()))
      text.replace(at, staging.size(), destination);
  return text;
}

} // namespace mg::io
