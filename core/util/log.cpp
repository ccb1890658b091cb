#include "util/log.h"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <mutex>
#include <vector>

namespace mg::log {
namespace {

struct Registry {
  std::mutex mutex;
  std::vector<spdlog::sink_ptr> sinks;
  std::vector<std::shared_ptr<spdlog::logger>> loggers;

  Registry() {
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_level(spdlog::level::warn); // the CLI's stdout is for results, stderr for problems
    sinks.push_back(console);
  }
};

Registry& registry() {
  static Registry r;
  return r;
}

} // namespace

std::shared_ptr<spdlog::logger> get(const std::string& area) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  for (const auto& l : r.loggers)
    if (l->name() == area) return l;
  auto logger = std::make_shared<spdlog::logger>(area, r.sinks.begin(), r.sinks.end());
  logger->set_level(spdlog::level::debug);
  r.loggers.push_back(logger);
  return logger;
}

void addSink(const spdlog::sink_ptr& sink) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  r.sinks.push_back(sink);
  for (const auto& l : r.loggers) l->sinks().push_back(sink);
}

bool addRotatingFile(const std::string& path) {
  try {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    addSink(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(path, 5 * 1024 * 1024, 5));
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

} // namespace mg::log
