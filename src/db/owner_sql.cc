#include "db/owner_sql.h"

#include "db/sql.h"

namespace lockstep::sql {

std::string CreateOwnersTable(std::string_view schema) {
  return "CREATE TABLE IF NOT EXISTS " + QualifiedName(schema, kOwnersTable) +
         " (table_name VARCHAR(64) NOT NULL PRIMARY KEY, store_id CHAR(32) NOT NULL, "
         "migration_id BIGINT NOT NULL, owner_host VARCHAR(255) NOT NULL, "
         "claimed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP) ENGINE=InnoDB "
         "COMMENT 'lockstep: the state store migrating each table'";
}

std::string ClaimOwner(std::string_view schema, std::string_view table, std::string_view store_id,
                       int64_t migration_id, std::string_view host) {
  return "INSERT IGNORE INTO " + QualifiedName(schema, kOwnersTable) +
         " (table_name, store_id, migration_id, owner_host) VALUES (" + QuoteString(table) + ", " +
         QuoteString(store_id) + ", " + std::to_string(migration_id) + ", " + QuoteString(host) + ")";
}

std::string OwnerOf(std::string_view schema, std::string_view table) {
  return "SELECT store_id, migration_id, owner_host, claimed_at FROM " +
         QualifiedName(schema, kOwnersTable) + " WHERE table_name = " + QuoteString(table);
}

std::string ReleaseOwner(std::string_view schema, std::string_view table, std::string_view store_id,
                         int64_t migration_id) {
  return "DELETE FROM " + QualifiedName(schema, kOwnersTable) + " WHERE table_name = " +
         QuoteString(table) + " AND store_id = " + QuoteString(store_id) +
         " AND migration_id = " + std::to_string(migration_id);
}

}  // namespace lockstep::sql
