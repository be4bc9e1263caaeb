// The syntax tree of the statements lockstep reads: ALTER TABLE, and the parts
// of CREATE TABLE (columns, indexes, foreign keys) that ALTER shares with it.
//
// Plain structs, filled by the parsers and read by the classifier and the lint
// rules. Identifiers are stored as written, without their quotes. Expressions
// (defaults, generated columns, checks) are kept as source text: lockstep
// compares and reports them, it never evaluates them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "planner/sql/source_pos.h"

namespace lockstep::sql {

// A column's data type: `decimal(10,2) unsigned`, `varchar(50) CHARACTER SET latin1`.
struct DataType {
  std::string name;                 // base name, lowercased as written: "int", "varchar", "enum"
  std::vector<std::string> params;  // "(10,2)" -> {"10", "2"}; empty when none
  std::vector<std::string> values;  // ENUM/SET members, unquoted and unescaped
  bool is_unsigned = false;
  bool zerofill = false;
  bool binary = false;              // CHAR(10) BINARY: the charset's binary collation
  std::optional<std::string> charset;
  std::optional<std::string> collation;

  // Canonical text: `varchar(50) CHARACTER SET latin1 COLLATE latin1_bin`.
  std::string ToString() const;
  // Name, parameters, values, signedness and zerofill equal: the stored
  // representation; charset and collation are compared separately.
  bool SameStorage(const DataType& other) const;
};

enum class Nullability { kUnspecified, kNull, kNotNull };

enum class GeneratedKind { kNone, kVirtual, kStored };

// FIRST / AFTER col on ADD, MODIFY and CHANGE. kEnd means "not given".
struct ColumnPosition {
  enum class Kind { kEnd, kFirst, kAfter };
  Kind kind = Kind::kEnd;
  std::string after;  // the column named by AFTER
};

struct ColumnDef {
  std::string name;
  DataType type;
  Nullability nullability = Nullability::kUnspecified;
  std::optional<std::string> default_value;  // source text: "0", "'abc'", "current_timestamp()", "NULL"
  std::optional<std::string> on_update;      // ON UPDATE current_timestamp()
  bool auto_increment = false;
  bool primary_key = false;  // inline PRIMARY KEY
  bool unique_key = false;   // inline UNIQUE [KEY]
  std::optional<std::string> comment;         // unescaped
  GeneratedKind generated = GeneratedKind::kNone;
  std::string generated_expression;           // source text inside AS ( ... )
  std::vector<std::string> other_attributes;  // anything else, as written: "INVISIBLE", "CHECK (a > 0)"
  ColumnPosition position;
  SourcePos pos;

  // Nullable unless NOT NULL or an inline PRIMARY KEY: the server makes primary
  // key columns NOT NULL even when the statement does not say so.
  bool IsNullable() const;
};

enum class IndexKind { kPrimary, kUnique, kPlain, kFulltext, kSpatial };
const char* IndexKindName(IndexKind kind);

struct IndexColumn {
  std::string name;                  // empty for a functional key part
  std::optional<int> prefix_length;  // `a`(10)
  bool descending = false;
  std::string expression;            // functional key part ((a + b)), as text
};

struct IndexDef {
  std::string name;  // empty when the statement gave none; "PRIMARY" for primary keys
  IndexKind kind = IndexKind::kPlain;
  std::string constraint_name;  // CONSTRAINT `x` UNIQUE ...
  std::vector<IndexColumn> columns;
  std::optional<std::string> using_method;    // BTREE, HASH, RTREE
  std::optional<std::string> comment;
  std::vector<std::string> other_options;     // KEY_BLOCK_SIZE=8, INVISIBLE, WITH PARSER x, ...
  SourcePos pos;

  bool IsUnique() const { return kind == IndexKind::kPrimary || kind == IndexKind::kUnique; }
  std::vector<std::string> ColumnNames() const;
};

struct ForeignKeyDef {
  std::string name;        // CONSTRAINT `name`; empty when none
  std::string index_name;  // FOREIGN KEY `idx` (...)
  std::vector<std::string> columns;
  std::string ref_schema;  // empty when the reference is unqualified
  std::string ref_table;
  std::vector<std::string> ref_columns;
  std::optional<std::string> on_delete;  // "CASCADE", "SET NULL", ...
  std::optional<std::string> on_update;
  SourcePos pos;
};

struct CheckDef {
  std::string name;  // empty when unnamed
  std::string expression;
  SourcePos pos;
};

// One ALTER TABLE clause. Which fields are set depends on kind (see each kind).
enum class ClauseKind {
  kAddColumn,          // column
  kDropColumn,         // name
  kModifyColumn,       // column
  kChangeColumn,       // name (old), column (new definition, with the new name)
  kRenameColumn,       // name -> new_name
  kAlterColumnDefault, // name; value = new default text, or no value for DROP DEFAULT
  kAlterColumnOther,   // name; ALTER COLUMN x SET VISIBLE/INVISIBLE etc. (text only)
  kAddIndex,           // index (kind primary/unique/plain/fulltext/spatial)
  kDropIndex,          // name
  kDropPrimaryKey,
  kRenameIndex,        // name -> new_name
  kAlterIndex,         // name; ALTER INDEX x [NOT] IGNORED / VISIBLE / INVISIBLE
  kAddForeignKey,      // foreign_key
  kDropForeignKey,     // name
  kAddCheck,           // check
  kDropConstraint,     // name; DROP CONSTRAINT / DROP CHECK
  kRenameTable,        // new_schema (may be empty), new_name
  kTableOption,        // option (uppercased: ENGINE, AUTO_INCREMENT, DEFAULT CHARSET, ...), value
  kConvertCharset,     // value = charset, collation (may be empty)
  kAlgorithm,          // value (uppercased: COPY, INPLACE, INSTANT, NOCOPY, DEFAULT)
  kLock,               // value (uppercased: NONE, SHARED, EXCLUSIVE, DEFAULT)
  kForce,
  kEnableKeys,
  kDisableKeys,
  kPartition,          // option = the operation ("PARTITION BY", "DROP PARTITION", ...); text
  kOther,              // anything not recognised: kept as text, treated as unsafe
};
const char* ClauseKindName(ClauseKind kind);

struct AlterClause {
  ClauseKind kind = ClauseKind::kOther;
  std::string text;  // the clause as written
  SourcePos pos;
  bool if_exists = false;      // MariaDB: DROP COLUMN IF EXISTS, ...
  bool if_not_exists = false;  // MariaDB: ADD COLUMN IF NOT EXISTS, ...
  std::string name;
  std::string new_name;
  std::string new_schema;
  std::optional<ColumnDef> column;
  std::optional<IndexDef> index;
  std::optional<ForeignKeyDef> foreign_key;
  std::optional<CheckDef> check;
  std::string option;
  std::optional<std::string> value;
  std::string collation;  // CONVERT TO CHARACTER SET x COLLATE <collation>
};

struct AlterTable {
  std::string schema;  // empty when the table name was unqualified
  std::string table;
  bool online = false;     // ALTER ONLINE TABLE (MariaDB)
  bool ignore = false;     // ALTER IGNORE TABLE: drops duplicate rows silently
  bool if_exists = false;  // ALTER TABLE IF EXISTS (MariaDB)
  std::optional<std::string> wait;  // WAIT n / NOWAIT ("0")
  std::vector<AlterClause> clauses;
  SourcePos pos;           // of the ALTER keyword
  SourcePos table_pos;     // of the table name

  // "schema.table" or "table".
  std::string QualifiedName() const;
};

}  // namespace lockstep::sql
