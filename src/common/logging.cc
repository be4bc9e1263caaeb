#include "common/logging.h"

#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace lockstep {
namespace {

std::mutex& LoggerMutex() {
  static std::mutex mu;
  return mu;
}

std::shared_ptr<spdlog::logger> GetOrCreate(const std::string& name) {
  std::lock_guard<std::mutex> lock(LoggerMutex());
  if (auto existing = spdlog::get(name)) return existing;
  auto logger = spdlog::stderr_color_mt(name);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ [%n] %v", spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::get_level());
  return logger;
}

}  // namespace

void InitLogging(const std::string& level) {
  spdlog::level::level_enum lvl = spdlog::level::from_str(level);
  if (lvl == spdlog::level::off && level != "off") lvl = spdlog::level::info;
  spdlog::set_level(lvl);  // applies to existing loggers and is the default for new ones
}

std::shared_ptr<spdlog::logger> DcLogger(const std::string& dc) { return GetOrCreate(dc); }

std::shared_ptr<spdlog::logger> MainLogger() { return GetOrCreate("lockstep"); }

}  // namespace lockstep
