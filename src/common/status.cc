#include "common/status.h"

namespace lockstep {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid argument";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kAlreadyExists: return "already exists";
    case StatusCode::kConflict: return "conflict";
    case StatusCode::kIoError: return "I/O error";
    case StatusCode::kDbError: return "database error";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kTimeout: return "timeout";
    case StatusCode::kFailedPrecondition: return "failed precondition";
    case StatusCode::kInternal: return "internal error";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out;
  if (!dc_.empty()) out += dc_ + ": ";
  if (code_ == StatusCode::kDbError && server_errno_ != 0) {
    out += "error " + std::to_string(server_errno_) + ": ";
  } else if (code_ != StatusCode::kInvalidArgument) {
    // Invalid-argument messages are written for the user and stand alone.
    out += std::string(StatusCodeName(code_)) + ": ";
  }
  out += message_;
  return out;
}

}  // namespace lockstep
