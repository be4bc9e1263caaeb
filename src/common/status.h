// Status and Result<T>: lockstep's error values.
//
// Expected failures (a DC that does not answer, a bad config key, a lost
// compare-and-swap) are values, never exceptions: every fallible call returns
// a Status or a Result<T> and the caller must look at it. Library exceptions
// are caught at the edge of the module that calls the library and converted.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace lockstep {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad input from a user: config, flags, SQL
  kNotFound,
  kAlreadyExists,
  kConflict,         // a compare-and-swap lost, a concurrent change
  kIoError,          // files, the state database
  kDbError,          // a MariaDB server answered with an error
  kUnavailable,      // a DC could not be reached
  kTimeout,
  kFailedPrecondition,  // the world is not in the state the call requires
  kInternal,
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return {StatusCode::kInvalidArgument, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {StatusCode::kAlreadyExists, std::move(msg)}; }
  static Status Conflict(std::string msg) { return {StatusCode::kConflict, std::move(msg)}; }
  static Status IoError(std::string msg) { return {StatusCode::kIoError, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status Timeout(std::string msg) { return {StatusCode::kTimeout, std::move(msg)}; }
  static Status FailedPrecondition(std::string msg) { return {StatusCode::kFailedPrecondition, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
  // A server error: carries the DC it came from and the server's errno so
  // callers can decide whether to retry (see db/server_errors.h).
  static Status DbError(std::string dc, unsigned server_errno, std::string msg) {
    Status s(StatusCode::kDbError, std::move(msg));
    s.dc_ = std::move(dc);
    s.server_errno_ = server_errno;
    return s;
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& dc() const { return dc_; }
  unsigned server_errno() const { return server_errno_; }

  bool IsInvalidArgument() const { return code_ == StatusCode::kInvalidArgument; }
  bool IsNotFound() const { return code_ == StatusCode::kNotFound; }
  bool IsConflict() const { return code_ == StatusCode::kConflict; }
  bool IsDbError() const { return code_ == StatusCode::kDbError; }
  bool IsUnavailable() const { return code_ == StatusCode::kUnavailable; }
  bool IsTimeout() const { return code_ == StatusCode::kTimeout; }

  // Returns a copy whose message is "context: message"; keeps code, DC, errno.
  Status WithContext(const std::string& context) const {
    Status s = *this;
    s.message_ = context + ": " + message_;
    return s;
  }

  // "dc2: error 1146: Table 'x.y' doesn't exist" or "invalid argument: ..."
  std::string ToString() const;

 private:
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string dc_;
  unsigned server_errno_ = 0;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "a Result built from a Status must carry an error");
    if (status_.ok()) status_ = Status::Internal("Result built from an OK status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace lockstep

// Propagate an error Status from an expression returning Status.
#define LOCKSTEP_RETURN_IF_ERROR(expr)              \
  do {                                              \
    ::lockstep::Status _lockstep_st = (expr);       \
    if (!_lockstep_st.ok()) return _lockstep_st;    \
  } while (0)

#define LOCKSTEP_CONCAT_INNER(a, b) a##b
#define LOCKSTEP_CONCAT(a, b) LOCKSTEP_CONCAT_INNER(a, b)

// LOCKSTEP_ASSIGN_OR_RETURN(auto conn, factory.Open(dc));
#define LOCKSTEP_ASSIGN_OR_RETURN(lhs, expr)                                      \
  auto LOCKSTEP_CONCAT(_lockstep_res_, __LINE__) = (expr);                        \
  if (!LOCKSTEP_CONCAT(_lockstep_res_, __LINE__).ok())                            \
    return LOCKSTEP_CONCAT(_lockstep_res_, __LINE__).status();                    \
  lhs = std::move(LOCKSTEP_CONCAT(_lockstep_res_, __LINE__)).value()
