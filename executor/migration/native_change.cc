#include "executor/migration/native_change.h"

#include "db/sql.h"

namespace lockstep {

Status RunNativeChange(Connection& conn, const NativeChangeRequest& request) {
  if (!IsNative(request.strategy)) {
    return Status::InvalidArgument("RunNativeChange needs the instant or inplace strategy");
  }
  LOCKSTEP_RETURN_IF_ERROR(conn.Execute(sql::SessionBinlogOff()));
  // A short metadata-lock wait: behind a long transaction the ALTER would
  // otherwise queue every application query behind itself.
  LOCKSTEP_RETURN_IF_ERROR(conn.Execute(sql::SessionLockWaitTimeout(request.lock_wait_ms)));
  const char* algorithm = request.strategy == Strategy::kInstant ? "INSTANT" : "INPLACE";
  Status s = conn.Execute(sql::AlterTableNative(request.schema, request.table, request.clauses,
                                                algorithm));
  if (!s.ok()) {
    return s.WithContext(std::string("ALGORITHM=") + algorithm + " in " + conn.dc_name());
  }
  return Status::Ok();
}

}  // namespace lockstep
