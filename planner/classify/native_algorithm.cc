#include "planner/classify/native_algorithm.h"

#include "planner/sql/token.h"

#include "planner/classify/column_types.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace lockstep {
namespace {

// Levels, ordered: the change needs the highest level any part of it needs.
enum Level { kInstantLevel = 0, kInplaceLevel = 1, kCopyLevel = 2 };

struct Need {
  Level level = kInstantLevel;
  std::string reason = "metadata-only change";
  void Raise(Level l, std::string why) {
    if (l > level) {
      level = l;
      reason = std::move(why);
    }
  }
};

bool IsVarchar(const sql::DataType& t) { return t.name == "varchar" || t.name == "varbinary"; }

// Measured instant on 10.11: VARCHAR(n) -> VARCHAR(m), m >= n, same charset.
bool IsVarcharExtension(const sql::DataType& b, const sql::DataType& a) {
  if (!IsVarchar(b) || a.name != b.name || b.params.size() != 1 || a.params.size() != 1) {
    return false;
  }
  return std::stol(a.params[0]) >= std::stol(b.params[0]);
}

// ENUM/SET members appended at the end keep every stored index valid.
bool IsMemberAppend(const sql::DataType& b, const sql::DataType& a) {
  if ((b.name != "enum" && b.name != "set") || a.name != b.name) return false;
  if (a.values.size() < b.values.size()) return false;
  return std::equal(b.values.begin(), b.values.end(), a.values.begin());
}

void CompareColumns(const sql::TableDef& before, const sql::TableDef& after,
                    const std::map<std::string, std::string>& renames, Need& need) {
  for (const auto& b : before.columns) {
    std::string new_name = sql::ToLowerAscii(b.name);
    if (auto it = renames.find(new_name); it != renames.end()) new_name = it->second;
    const sql::ColumnDef* a = after.FindColumn(new_name);
    if (a == nullptr) continue;  // dropped: instant
    const std::string name = "`" + a->name + "`";
    const bool charset_same = !(IsTextual(a->type) || IsTextual(b.type)) ||
                              (before.EffectiveCharset(b) == after.EffectiveCharset(*a) &&
                               before.EffectiveCollation(b) == after.EffectiveCollation(*a));
    if (!a->type.SameStorage(b.type)) {
      if (!(charset_same && (IsVarcharExtension(b.type, a->type) || IsMemberAppend(b.type, a->type)))) {
        need.Raise(kCopyLevel, "the type of " + name + " changes (" + b.type.ToString() + " -> " +
                                   a->type.ToString() + "): the server copies the table");
      }
    } else if (!charset_same) {
      need.Raise(kCopyLevel, "the character set of " + name + " changes: the server copies");
    }
    if (b.IsNullable() && !a->IsNullable()) {
      need.Raise(kInplaceLevel, name + " becomes NOT NULL: rebuilt in place");
    }
    if (a->generated != b.generated || a->generated_expression != b.generated_expression) {
      need.Raise(kCopyLevel, "the generated expression of " + name + " changes");
    }
    if (a->auto_increment != b.auto_increment) {
      need.Raise(kCopyLevel, "AUTO_INCREMENT moves to or from " + name);
    }
  }
  for (const auto& a : after.columns) {
    if (a.generated == sql::GeneratedKind::kStored || a.auto_increment) {
      bool added = true;
      for (const auto& b : before.columns) {
        std::string n = sql::ToLowerAscii(b.name);
        if (auto it = renames.find(n); it != renames.end()) n = it->second;
        if (n == sql::ToLowerAscii(a.name)) added = false;
      }
      if (added) need.Raise(kCopyLevel, "adds the stored or auto-increment column `" + a.name + "`");
    }
  }
}

std::string IndexShape(const sql::IndexDef& idx) {
  std::string s = std::string(sql::IndexKindName(idx.kind)) + ":";
  for (const auto& c : idx.columns) {
    s += sql::ToLowerAscii(c.name) + (c.prefix_length ? "(" + std::to_string(*c.prefix_length) + ")" : "") + ",";
  }
  return s;
}

void CompareIndexes(const sql::TableDef& before, const sql::TableDef& after, Need& need) {
  std::multiset<std::string> b_shapes, a_shapes;
  for (const auto& i : before.indexes) b_shapes.insert(IndexShape(i));
  for (const auto& i : after.indexes) a_shapes.insert(IndexShape(i));
  if (b_shapes == a_shapes) return;  // same keys, maybe renamed: instant
  for (const auto& idx : after.indexes) {
    if (b_shapes.count(IndexShape(idx)) > 0) continue;
    if (idx.kind == sql::IndexKind::kFulltext || idx.kind == sql::IndexKind::kSpatial) {
      need.Raise(kCopyLevel, "adding a FULLTEXT or SPATIAL key copies the table");
    } else if (idx.kind == sql::IndexKind::kPrimary) {
      need.Raise(kInplaceLevel, "the primary key changes: rebuilt in place");
    } else {
      need.Raise(kInplaceLevel, "adds key `" + idx.name + "` in place (LOCK=NONE)");
    }
  }
  if (before.PrimaryKey() != nullptr && after.PrimaryKey() == nullptr) {
    need.Raise(kInplaceLevel, "drops the primary key: rebuilt in place");
  }
  need.Raise(kInplaceLevel, "drops or changes keys in place");
}

}  // namespace

NativeAlgorithm ChooseNativeAlgorithm(const sql::TableDef& before, const sql::TableDef& after,
                                      const sql::AlterTable& alter) {
  Need need;
  std::map<std::string, std::string> renames;
  for (const auto& c : alter.clauses) {
    switch (c.kind) {
      case sql::ClauseKind::kRenameColumn:
        renames[sql::ToLowerAscii(c.name)] = sql::ToLowerAscii(c.new_name);
        break;
      case sql::ClauseKind::kChangeColumn:
        if (c.column) renames[sql::ToLowerAscii(c.name)] = sql::ToLowerAscii(c.column->name);
        break;
      case sql::ClauseKind::kForce:
        need.Raise(kInplaceLevel, "FORCE rebuilds the table in place");
        break;
      case sql::ClauseKind::kConvertCharset:
        need.Raise(kCopyLevel, "CONVERT TO CHARACTER SET copies the table");
        break;
      case sql::ClauseKind::kAddCheck:
        need.Raise(kCopyLevel, "adding a CHECK constraint copies the table (to validate rows)");
        break;
      case sql::ClauseKind::kAddForeignKey:
        need.Raise(kCopyLevel, "adding a foreign key is done by copy unless foreign_key_checks=0");
        break;
      case sql::ClauseKind::kPartition:
        need.Raise(kCopyLevel, "partitioning changes copy data");
        break;
      case sql::ClauseKind::kOther:
        need.Raise(kCopyLevel, "clause not understood by lockstep: " + c.text);
        break;
      case sql::ClauseKind::kTableOption: {
        const std::string opt = c.option;
        if (opt == "ENGINE") {
          if (sql::ToLowerAscii(c.value.value_or("")) != sql::ToLowerAscii(before.options.engine)) {
            need.Raise(kCopyLevel, "changing the storage engine copies the table");
          } else {
            need.Raise(kInplaceLevel, "ENGINE=" + before.options.engine + " rebuilds in place");
          }
        } else if (opt == "ROW_FORMAT" || opt == "KEY_BLOCK_SIZE" || opt == "PAGE_COMPRESSED") {
          need.Raise(kInplaceLevel, opt + " rebuilds the table in place");
        } else if (opt != "COMMENT" && opt != "AUTO_INCREMENT" && opt != "DEFAULT CHARSET" &&
                   opt != "CHARSET" && opt != "DEFAULT CHARACTER SET" &&
                   opt != "CHARACTER SET" && opt != "DEFAULT COLLATE" && opt != "COLLATE") {
          need.Raise(kCopyLevel, "table option " + opt + " is not known to be native");
        }
        break;
      }
      default:
        break;
    }
  }
  CompareColumns(before, after, renames, need);
  CompareIndexes(before, after, need);
  if (before.options.engine != "InnoDB" && need.level < kCopyLevel) {
    need.Raise(kCopyLevel, "native online changes are measured for InnoDB only");
  }
  NativeAlgorithm out;
  out.strategy = need.level == kInstantLevel   ? Strategy::kInstant
                 : need.level == kInplaceLevel ? Strategy::kInplace
                                               : Strategy::kCopy;
  out.reason = need.reason;
  return out;
}

}  // namespace lockstep
