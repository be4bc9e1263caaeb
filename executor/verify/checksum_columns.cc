#include "executor/verify/checksum_columns.h"

#include <set>
#include <string>

#include "planner/sql/token.h"

namespace lockstep::executor {
namespace {

using Cast = sql::ChecksumValue::Cast;
using Form = sql::ChecksumValue::Form;

bool In(const std::set<std::string>& names, const std::string& name) { return names.count(name) > 0; }

const std::set<std::string> kIntegers = {"tinyint", "smallint", "mediumint", "int", "integer", "bigint"};
const std::set<std::string> kDecimals = {"decimal", "numeric", "dec", "fixed"};
const std::set<std::string> kFloats = {"float", "double", "real", "double precision"};
const std::set<std::string> kTexts = {"char", "varchar", "tinytext", "text", "mediumtext", "longtext",
                                      "enum", "set", "json", "nchar", "nvarchar"};
const std::set<std::string> kBinaries = {"binary", "varbinary", "tinyblob", "blob", "mediumblob",
                                         "longblob"};

int Param(const sql::DataType& type, size_t i, int fallback) {
  if (i >= type.params.size()) return fallback;
  try {
    return std::stoi(type.params[i]);
  } catch (...) {
    return fallback;
  }
}

bool SameType(const sql::TableDef& old_def, const sql::ColumnDef& old_col,
              const sql::TableDef& new_def, const sql::ColumnDef& new_col) {
  return old_col.type.SameStorage(new_col.type) &&
         sql::EqualsIgnoreCase(old_def.EffectiveCharset(old_col), new_def.EffectiveCharset(new_col));
}

// (source, target) reads of one changed column, chosen by the new type.
std::pair<sql::ChecksumValue, sql::ChecksumValue> ChangedColumn(const sql::ColumnDef& old_col,
                                                                const sql::ColumnDef& new_col) {
  sql::ChecksumValue src{old_col.name, Cast::kNone, 0, 0, Form::kAsIs};
  sql::ChecksumValue dst{new_col.name, Cast::kNone, 0, 0, Form::kAsIs};
  const std::string from = sql::ToLowerAscii(old_col.type.name);
  const std::string to = sql::ToLowerAscii(new_col.type.name);
  if (In(kIntegers, to)) {
    if (!In(kIntegers, from)) src.cast = new_col.type.is_unsigned ? Cast::kUnsigned : Cast::kSigned;
  } else if (In(kDecimals, to)) {
    src.cast = Cast::kDecimal;
    src.precision = Param(new_col.type, 0, 10);
    src.scale = Param(new_col.type, 1, 0);
  } else if (In(kFloats, to)) {
    src.cast = dst.cast = Cast::kDouble;
  } else if (to == "date") {
    src.cast = Cast::kDate;
  } else if (to == "datetime" || to == "timestamp") {
    // Sessions run in UTC, so TIMESTAMP and DATETIME print alike.
    src.cast = dst.cast = Cast::kDatetime;
    src.scale = dst.scale = Param(new_col.type, 0, 0);
  } else if (to == "time") {
    src.cast = Cast::kTime;
    src.scale = Param(new_col.type, 0, 0);
  } else if (In(kBinaries, to)) {
    src.form = dst.form = Form::kHex;
  } else if (In(kTexts, to)) {
    src.form = dst.form = Form::kUtf8mb4;
  }
  return {src, dst};
}

}  // namespace

ChecksumColumns MakeChecksumColumns(const ShadowTableInfo& info) {
  ChecksumColumns out;
  for (const ColumnPair& pair : info.mapping.copied) {
    const sql::ColumnDef* old_col = info.source_def.FindColumn(pair.old_name);
    const sql::ColumnDef* new_col = info.shadow_def.FindColumn(pair.new_name);
    if (old_col == nullptr || new_col == nullptr) continue;
    if (SameType(info.source_def, *old_col, info.shadow_def, *new_col)) {
      out.source.push_back({old_col->name, Cast::kNone, 0, 0, Form::kAsIs});
      out.target.push_back({new_col->name, Cast::kNone, 0, 0, Form::kAsIs});
      continue;
    }
    auto [src, dst] = ChangedColumn(*old_col, *new_col);
    out.source.push_back(src);
    out.target.push_back(dst);
  }
  return out;
}

}  // namespace lockstep::executor
