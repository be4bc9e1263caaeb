#include "executor/migration/table_owner.h"

#include <mysqld_error.h>

#include "db/owner_sql.h"

namespace lockstep {

Status ClaimTable(Connection& conn, const std::string& dc, const std::string& schema,
                  const std::string& table, const TableOwnerId& me) {
  LOCKSTEP_RETURN_IF_ERROR(conn.Execute(sql::CreateOwnersTable(schema)));
  LOCKSTEP_RETURN_IF_ERROR(conn.Execute(sql::ClaimOwner(schema, table, me.store_id, me.migration_id, me.host)));
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult owner, conn.Query(sql::OwnerOf(schema, table)));
  if (owner.rows.empty()) return Status::Internal("the owner record of " + schema + "." + table + " vanished");
  const std::string store = owner.Get(0, "store_id").value_or("");
  const std::string migration = owner.Get(0, "migration_id").value_or("");
  if (store == me.store_id && migration == std::to_string(me.migration_id)) return Status::Ok();
  return Status::FailedPrecondition(
      schema + "." + table + " in " + dc + " is being migrated by another lockstep: migration " +
      migration + " of state store " + store + " (host " + owner.Get(0, "owner_host").value_or("?") +
      ", since " + owner.Get(0, "claimed_at").value_or("?") + "); this one (state store " + me.store_id +
      ") touches nothing there. Finish or abort that migration from its own state file, or, if that "
      "file is lost, delete its row from " + schema + "." + sql::kOwnersTable + " by hand");
}

Status ReleaseTable(Connection& conn, const std::string& schema, const std::string& table,
                    const TableOwnerId& me) {
  Status released = conn.Execute(sql::ReleaseOwner(schema, table, me.store_id, me.migration_id));
  // No owners table: nothing was ever claimed there.
  if (released.server_errno() == ER_NO_SUCH_TABLE) return Status::Ok();
  return released;
}

}  // namespace lockstep
