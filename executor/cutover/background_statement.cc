#include "executor/cutover/background_statement.h"

#include <chrono>

namespace lockstep::executor {

BackgroundStatement::BackgroundStatement(Connection& conn, std::string sql) {
  std::packaged_task<Status()> task([&conn, sql = std::move(sql)] { return conn.Execute(sql); });
  result_ = task.get_future();
  thread_ = std::thread(std::move(task));
}

BackgroundStatement::~BackgroundStatement() {
  if (thread_.joinable()) thread_.join();
}

bool BackgroundStatement::Done() const {
  return status_.has_value() ||
         result_.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

std::optional<Status> BackgroundStatement::Wait(int64_t timeout_ms) {
  if (status_) return status_;
  if (result_.wait_for(std::chrono::milliseconds(timeout_ms)) != std::future_status::ready) {
    return std::nullopt;
  }
  status_ = result_.get();
  thread_.join();
  return status_;
}

}  // namespace lockstep::executor
