// BackgroundStatement: runs one statement on a connection in its own thread,
// so the caller can watch it from other sessions while it waits for a lock
// (the cut-over's RENAME, queued behind LOCK TABLES).
#pragma once

#include <cstdint>
#include <future>
#include <optional>
#include <string>
#include <thread>

#include "common/status.h"
#include "db/connection.h"

namespace lockstep::executor {

class BackgroundStatement {
 public:
  // `conn` must outlive the object and must not be used until Wait() returned.
  BackgroundStatement(Connection& conn, std::string sql);
  ~BackgroundStatement();  // joins: the caller kills a stuck statement first

  BackgroundStatement(const BackgroundStatement&) = delete;
  BackgroundStatement& operator=(const BackgroundStatement&) = delete;

  bool Done() const;
  // The statement's status, or nullopt if it has not finished within `timeout_ms`.
  std::optional<Status> Wait(int64_t timeout_ms);

 private:
  std::future<Status> result_;
  std::thread thread_;
  std::optional<Status> status_;
};

}  // namespace lockstep::executor
