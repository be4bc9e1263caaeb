#include "db/server_errors.h"

#include <errmsg.h>
#include <mysqld_error.h>

namespace lockstep {

bool IsConnectionError(unsigned server_errno) {
  switch (server_errno) {
    case CR_CONNECTION_ERROR:     // 2002
    case CR_CONN_HOST_ERROR:      // 2003
    case CR_UNKNOWN_HOST:         // 2005
    case CR_SERVER_GONE_ERROR:    // 2006
    case CR_SERVER_LOST:          // 2013
    case CR_SERVER_LOST_EXTENDED: // 2055
    case ER_SERVER_SHUTDOWN:      // 1053
    case ER_CONNECTION_KILLED:    // 1927
      return true;
    default:
      return false;
  }
}

bool IsRetryableError(unsigned server_errno) {
  if (IsConnectionError(server_errno)) return true;
  switch (server_errno) {
    case ER_LOCK_WAIT_TIMEOUT:    // 1205
    case ER_LOCK_DEADLOCK:        // 1213
    case ER_CON_COUNT_ERROR:      // 1040
    case ER_TOO_MANY_USER_CONNECTIONS:  // 1203
    // 1226: a per-user limit, max_user_connections above all (the applier
    // connects once a second); a per-hour one fails again after the backoff.
    case ER_USER_LIMIT_REACHED:
    case ER_QUERY_INTERRUPTED:    // 1317: a KILL QUERY, e.g. by an operator's tool
    case ER_STATEMENT_TIMEOUT:    // 1969: max_statement_time
      return true;
    default:
      return false;
  }
}

}  // namespace lockstep
