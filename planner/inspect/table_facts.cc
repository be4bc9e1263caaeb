#include "planner/inspect/table_facts.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "db/artifact_names.h"
#include "db/owner_sql.h"
#include "db/sql.h"

namespace lockstep {
namespace {

int64_t ToInt(const std::optional<std::string>& v) {
  return v ? std::strtoll(v->c_str(), nullptr, 10) : 0;
}

bool IsLoopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1";
}

Result<bool> HasInformationSchemaTable(Connection& conn, const std::string& name) {
  LOCKSTEP_ASSIGN_OR_RETURN(auto n, conn.QueryValue(sql::InformationSchemaTableExists(name)));
  return ToInt(n) > 0;
}

// Free space where the datadir lives. Preferred: the server's own `disks`
// plugin (works for remote DCs); else statvfs when the server is on this
// machine; else unknown, and the space check says how to fix that.
Result<DiskSpace> ReadDiskSpace(Connection& conn, const DcConfig& dc, const std::string& datadir) {
  DiskSpace space;
  LOCKSTEP_ASSIGN_OR_RETURN(bool has_disks, HasInformationSchemaTable(conn, "DISKS"));
  if (has_disks) {
    LOCKSTEP_ASSIGN_OR_RETURN(QueryResult mounts, conn.Query(sql::DisksPluginSpace()));
    size_t best_len = 0;
    for (size_t r = 0; r < mounts.rows.size(); ++r) {
      std::string path = mounts.Get(r, "Path").value_or("");
      if (path.empty() || datadir.rfind(path, 0) != 0) continue;
      // "/data" must not match "/database": the prefix ends at a separator.
      if (path != "/" && datadir.size() > path.size() && datadir[path.size()] != '/') continue;
      if (path.size() < best_len) continue;
      best_len = path.size();
      space.free_bytes = ToInt(mounts.Get(r, "available_bytes"));
      space.total_bytes = ToInt(mounts.Get(r, "total_bytes"));
      space.source = "disks plugin (" + path + ")";
    }
    if (space.free_bytes) return space;
  }
  if (IsLoopback(dc.host)) {
    struct statvfs vfs {};
    if (::statvfs(datadir.c_str(), &vfs) == 0) {
      space.free_bytes = static_cast<int64_t>(vfs.f_bavail) * static_cast<int64_t>(vfs.f_frsize);
      space.total_bytes = static_cast<int64_t>(vfs.f_blocks) * static_cast<int64_t>(vfs.f_frsize);
      space.source = "statvfs of " + datadir + " (server on this machine)";
      return space;
    }
  }
  space.source = "unknown: load the server's disks plugin (INSTALL SONAME 'disks') so lockstep "
                 "can read free space remotely";
  return space;
}

}  // namespace

Result<TableFacts> InspectTable(Connection& conn, const DcConfig& dc, const std::string& datadir,
                                const std::string& schema, const std::string& table) {
  TableFacts f;
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult status, conn.Query(sql::TableStatus(schema, table)));
  f.exists = !status.rows.empty();
  if (f.exists) {
    f.engine = status.Get(0, "ENGINE").value_or("");
    f.rows_estimate = ToInt(status.Get(0, "TABLE_ROWS"));
    f.data_bytes = ToInt(status.Get(0, "DATA_LENGTH"));
    f.index_bytes = ToInt(status.Get(0, "INDEX_LENGTH"));
    LOCKSTEP_ASSIGN_OR_RETURN(QueryResult create, conn.Query(sql::ShowCreateTable(schema, table)));
    if (!create.rows.empty() && create.rows[0].size() >= 2) {
      f.create_sql = create.rows[0][1].value_or("");
    }
    LOCKSTEP_ASSIGN_OR_RETURN(auto triggers, conn.QueryValue(sql::TriggerCount(schema, table)));
    f.trigger_count = ToInt(triggers);
    LOCKSTEP_ASSIGN_OR_RETURN(QueryResult fks,
                              conn.Query(sql::ReferencingForeignKeys(schema, table)));
    for (const auto& row : fks.rows) f.referencing_foreign_keys.push_back(row[0].value_or(""));
  }
  LOCKSTEP_ASSIGN_OR_RETURN(f.disk, ReadDiskSpace(conn, dc, datadir));

  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult trx, conn.Query(sql::InnodbTransactions()));
  std::optional<std::set<int64_t>> holders;
  LOCKSTEP_ASSIGN_OR_RETURN(bool has_mdl_info, HasInformationSchemaTable(conn, "METADATA_LOCK_INFO"));
  if (has_mdl_info && !trx.rows.empty()) {
    LOCKSTEP_ASSIGN_OR_RETURN(QueryResult mdl, conn.Query(sql::MetadataLockHolders(schema, table)));
    holders.emplace();
    for (const auto& row : mdl.rows) holders->insert(ToInt(row[0]));
  }
  for (size_t r = 0; r < trx.rows.size(); ++r) {
    OpenTransaction t;
    t.thread_id = ToInt(trx.Get(r, "thread_id"));
    t.age_ms = ToInt(trx.Get(r, "age_ms"));
    t.state = trx.Get(r, "state").value_or("");
    t.query = trx.Get(r, "query").value_or("");
    if (holders) t.touches_table = holders->count(t.thread_id) > 0;
    f.transactions.push_back(std::move(t));
  }

  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult leftovers,
                            conn.Query(sql::ExistingTables(schema, ArtifactTableNames(table))));
  for (const auto& row : leftovers.rows) f.leftover_artifacts.push_back(row[0].value_or(""));
  // Who migrates the table, if anyone (no owners table: nobody ever did).
  auto owner = conn.Query(sql::OwnerOf(schema, table));
  if (owner.ok() && !owner->rows.empty()) {
    f.owner = "migration " + owner->Get(0, "migration_id").value_or("?") + " of state store " +
              owner->Get(0, "store_id").value_or("?") + " (host " +
              owner->Get(0, "owner_host").value_or("?") + ", since " +
              owner->Get(0, "claimed_at").value_or("?") + ")";
  } else if (!owner.ok() && owner.status().server_errno() != 1146) {
    return owner.status();
  }
  return f;
}

}  // namespace lockstep
