#pragma once
// Logging: one spdlog logger per area ("io", "engine", "ui", ...), all sharing the same sinks,
// so a sink added later (the rotating file in the user's data folder, the GUI's log panel)
// receives every area's messages.
#include <spdlog/logger.h>

#include <memory>
#include <string>

namespace mg::log {

// The logger of an area, created on first use with the shared sinks (stderr at warning level).
std::shared_ptr<spdlog::logger> get(const std::string& area);
// Adds a sink to every existing and future logger.
void addSink(const spdlog::sink_ptr& sink);
// Adds a rotating log file (5 files of 5 MB) at `path`; creates the folder. Returns false on failure.
bool addRotatingFile(const std::string& path);

} // namespace mg::log
