// Names of the tables lockstep creates next to a table `t`. All start with
// '_' so that the DRC links' `%.\_%` filter keeps them in their own DC.
#pragma once

#include <string>
#include <vector>

namespace lockstep {

// MariaDB's limit on table name length.
inline constexpr size_t kMaxTableNameLength = 64;

inline std::string ShadowTableName(const std::string& table) { return "_" + table + "_new"; }
inline std::string OldTableName(const std::string& table) { return "_" + table + "_old"; }
inline std::string SentryTableName(const std::string& table) { return "_" + table + "_sentry"; }

// Every artifact name lockstep may create for `table`.
inline std::vector<std::string> ArtifactTableNames(const std::string& table) {
  return {ShadowTableName(table), OldTableName(table), SentryTableName(table)};
}

}  // namespace lockstep
