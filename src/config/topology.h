// The topology file: which DCs exist, how to reach them, which tables are in
// which zone, the budgets per zone type, and where the state database lives.
//
// Format (INI, read with Boost.Program_options):
//
//   [lockstep]
//   state_db = /var/lib/lockstep/state.db
//
//   [dc.dc1]                 ; one section per DC; the name follows "dc."
//   host = 10.0.1.5
//   port = 3306
//   user = lockstep
//   password_env = LOCKSTEP_DC1_PASSWORD   ; or password_file = /etc/lockstep/dc1.pw (0600)
//   tls_mode = preferred     ; disabled|preferred|required|verify_ca|verify_identity
//   tls_ca = /etc/ssl/ca.pem ; tls_cert, tls_key likewise
//
//   [zone.orders]            ; one section per zone
//   type = sharding          ; sharding|global
//   tables = shop.orders, shop.order_*   ; schema.table patterns, * and ? wildcards
//   writer = dc1             ; global zones only: the DC that writes
//
//   [budget.sharding]        ; and [budget.global]; every key optional
//   min_free_bytes = 1073741824
//   space_headroom_pct = 20
//   cutover_window_ms = 3000
//   lock_wait_ms = 2000
//   max_trx_age_ms = 30000
//   lag_start_ms = 1000
//   lag_throttle_ms = 3000
//   lag_cutover_ms = 500
//
// A password is never accepted inline: the file may be committed or shown.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace lockstep {

enum class TlsMode { kDisabled, kPreferred, kRequired, kVerifyCa, kVerifyIdentity };

struct DcConfig {
  std::string name;
  std::string host = "127.0.0.1";
  unsigned port = 3306;
  std::string user = "root";
  std::string password_env;   // name of the environment variable holding the password
  std::string password_file;  // path of a 0600 file holding the password
  TlsMode tls_mode = TlsMode::kPreferred;
  std::string tls_ca;
  std::string tls_cert;
  std::string tls_key;
};

enum class ZoneType { kSharding, kGlobal };

const char* ZoneTypeName(ZoneType type);

struct ZoneConfig {
  std::string name;
  ZoneType type = ZoneType::kSharding;
  std::vector<std::string> table_patterns;  // "schema.table" with * and ?
  std::string writer_dc;                    // global zones only

  bool Matches(const std::string& schema, const std::string& table) const;
};

// Limits the planner checks before a migration and the executors honour during it.
struct Budget {
  int64_t min_free_bytes = 1LL << 30;  // free disk that must remain after the copy
  int64_t space_headroom_pct = 20;     // extra margin on top of the estimated need
  int64_t cutover_window_ms = 3000;    // the longest all DCs may hold writes at cut-over
  int64_t lock_wait_ms = 2000;         // the longest a metadata lock may be waited for
  int64_t max_trx_age_ms = 30000;      // older transactions on the table block the cut-over
  int64_t lag_start_ms = 1000;         // DRC lag above this: do not start
  int64_t lag_throttle_ms = 3000;      // DRC lag above this: throttle the copy
  int64_t lag_cutover_ms = 500;        // DRC lag above this: do not cut over
  // How long `_t_old` is kept after a cut-over before `lockstep cleanup` drops
  // it: the way back if the new schema misbehaves.
  int64_t old_table_retention_s = 86400;
  // How far (a share of the table) one DC's copy may run ahead of the
  // slowest DC's before it waits; 100: the copies are not paced.
  int64_t max_copy_lead_pct = 10;
};

struct Topology {
  std::string source_path;  // the file it was read from, for messages
  std::string state_db_path;
  std::vector<DcConfig> dcs;
  std::vector<ZoneConfig> zones;
  Budget sharding_budget;
  Budget global_budget;

  const DcConfig* FindDc(const std::string& name) const;
  // The zone holding schema.table: the first zone whose pattern matches, in
  // file order. Tables no zone names belong to no zone (the planner refuses them).
  const ZoneConfig* ZoneOf(const std::string& schema, const std::string& table) const;
  const Budget& BudgetFor(ZoneType type) const;
};

// Reads and validates a topology file. Every error names the file, the key and
// what was expected.
Result<Topology> LoadTopology(const std::string& path);

// Same, from text; `source_name` is used in messages. Relative paths in the text
// (state_db, password_file) are resolved against `base_dir` when it is not empty.
Result<Topology> ParseTopology(const std::string& text, const std::string& source_name,
                               const std::string& base_dir = "");

// Reads the DC's password from its environment variable or file ("" when the DC
// has none). A password file must not be readable by group or others.
Result<std::string> ResolvePassword(const DcConfig& dc);

// Shell-style wildcard match (* and ?), case-sensitive like MariaDB table names on Linux.
bool WildcardMatch(const std::string& pattern, const std::string& text);

}  // namespace lockstep
