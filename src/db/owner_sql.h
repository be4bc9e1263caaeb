// SQL text of the owner record: one row per table lockstep migrates, in a
// `_lockstep_owners` table of the table's schema in every DC, naming the
// state store and migration that own it. The `_` name keeps it off the DRC
// links, like every artifact; the DC's own replicas follow it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lockstep::sql {

inline constexpr const char* kOwnersTable = "_lockstep_owners";

std::string CreateOwnersTable(std::string_view schema);
// INSERT IGNORE: an existing owner stays, and OwnerOf tells who it is.
std::string ClaimOwner(std::string_view schema, std::string_view table, std::string_view store_id,
                       int64_t migration_id, std::string_view host);
// store_id, migration_id, owner_host, claimed_at of the table's owner.
std::string OwnerOf(std::string_view schema, std::string_view table);
std::string ReleaseOwner(std::string_view schema, std::string_view table, std::string_view store_id,
                         int64_t migration_id);

}  // namespace lockstep::sql
