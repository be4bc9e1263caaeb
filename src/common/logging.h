// Logging: one spdlog logger per DC ("dc1", "dc2", ...) plus "lockstep" for
// the coordinator, all to stderr so that stdout carries only reports
// (text or JSON) that scripts parse.
#pragma once

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace lockstep {

// Sets the level of every lockstep logger: trace, debug, info, warn, error, off.
// Unknown names fall back to info. Safe to call more than once.
void InitLogging(const std::string& level);

// The logger of one DC, created on first use.
std::shared_ptr<spdlog::logger> DcLogger(const std::string& dc);

// The coordinator's own logger.
std::shared_ptr<spdlog::logger> MainLogger();

}  // namespace lockstep
