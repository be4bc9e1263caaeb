#include "planner/sql/ast.h"

namespace lockstep::sql {
namespace {

std::string QuoteString(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';  // doubled, as SHOW CREATE TABLE writes it
    if (c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

std::string DataType::ToString() const {
  std::string out = name;
  if (!values.empty()) {
    out += "(";
    for (size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + QuoteString(values[i]);
    out += ")";
  } else if (!params.empty()) {
    out += "(";
    for (size_t i = 0; i < params.size(); ++i) out += (i ? "," : "") + params[i];
    out += ")";
  }
  if (is_unsigned) out += " unsigned";
  if (zerofill) out += " zerofill";
  if (binary) out += " binary";
  if (charset) out += " CHARACTER SET " + *charset;
  if (collation) out += " COLLATE " + *collation;
  return out;
}

bool DataType::SameStorage(const DataType& other) const {
  return name == other.name && params == other.params && values == other.values &&
         is_unsigned == other.is_unsigned && zerofill == other.zerofill;
}

bool ColumnDef::IsNullable() const {
  return nullability != Nullability::kNotNull && !primary_key;
}

const char* IndexKindName(IndexKind kind) {
  switch (kind) {
    case IndexKind::kPrimary: return "primary";
    case IndexKind::kUnique: return "unique";
    case IndexKind::kPlain: return "plain";
    case IndexKind::kFulltext: return "fulltext";
    case IndexKind::kSpatial: return "spatial";
  }
  return "index";
}

std::vector<std::string> IndexDef::ColumnNames() const {
  std::vector<std::string> out;
  for (const IndexColumn& c : columns) out.push_back(c.name.empty() ? c.expression : c.name);
  return out;
}

const char* ClauseKindName(ClauseKind kind) {
  switch (kind) {
    case ClauseKind::kAddColumn: return "add column";
    case ClauseKind::kDropColumn: return "drop column";
    case ClauseKind::kModifyColumn: return "modify column";
    case ClauseKind::kChangeColumn: return "change column";
    case ClauseKind::kRenameColumn: return "rename column";
    case ClauseKind::kAlterColumnDefault: return "alter column default";
    case ClauseKind::kAlterColumnOther: return "alter column";
    case ClauseKind::kAddIndex: return "add index";
    case ClauseKind::kDropIndex: return "drop index";
    case ClauseKind::kDropPrimaryKey: return "drop primary key";
    case ClauseKind::kRenameIndex: return "rename index";
    case ClauseKind::kAlterIndex: return "alter index";
    case ClauseKind::kAddForeignKey: return "add foreign key";
    case ClauseKind::kDropForeignKey: return "drop foreign key";
    case ClauseKind::kAddCheck: return "add check";
    case ClauseKind::kDropConstraint: return "drop constraint";
    case ClauseKind::kRenameTable: return "rename table";
    case ClauseKind::kTableOption: return "table option";
    case ClauseKind::kConvertCharset: return "convert to character set";
    case ClauseKind::kAlgorithm: return "algorithm";
    case ClauseKind::kLock: return "lock";
    case ClauseKind::kForce: return "force";
    case ClauseKind::kEnableKeys: return "enable keys";
    case ClauseKind::kDisableKeys: return "disable keys";
    case ClauseKind::kPartition: return "partition";
    case ClauseKind::kOther: return "other";
  }
  return "clause";
}

std::string AlterTable::QualifiedName() const {
  return schema.empty() ? table : schema + "." + table;
}

}  // namespace lockstep::sql
