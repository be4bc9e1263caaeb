// Which MariaDB/client errors are worth retrying, and which mean the
// connection itself is gone.
#pragma once

namespace lockstep {

// The server or the network failed, not the statement: reconnect and retry.
bool IsConnectionError(unsigned server_errno);

// The statement may succeed if run again: lock wait timeouts, deadlocks,
// connection loss, too many connections, a server shutting down.
bool IsRetryableError(unsigned server_errno);

}  // namespace lockstep
