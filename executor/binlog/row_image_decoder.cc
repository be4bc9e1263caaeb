#include "executor/binlog/row_image_decoder.h"

#include <memory>
#include <string>
#include <vector>

#include "executor/binlog/byte_reader.h"
#include "executor/binlog/column_decoder.h"
#include "executor/binlog/compressed_payload.h"

namespace lockstep::binlog {
namespace {

bool BitSet(const uint8_t* bitmap, size_t i) { return (bitmap[i / 8] >> (i % 8)) & 1; }

// Reads one image: the NULL bitmap over the present columns, then their values.
Status DecodeImage(ByteReader& r, const TableMap& table, const std::vector<uint32_t>& present,
                   Row* row) {
  const uint8_t* nulls;
  if (!r.Bytes((present.size() + 7) / 8, &nulls)) {
    return Status::Internal("row image ends inside its NULL bitmap");
  }
  row->resize(table.columns.size());  // absent columns stay NULL of type kNull
  for (size_t j = 0; j < present.size(); ++j) {
    const ColumnInfo& column = table.columns[present[j]];
    Value& value = (*row)[present[j]];
    if (BitSet(nulls, j)) {
      value = Value::Null(column.type);
      continue;
    }
    Status s = DecodeColumnValue(r, column, &value);
    if (!s.ok()) {
      return s.WithContext(table.schema + "." + table.table + " column " +
                           std::to_string(present[j] + 1));
    }
  }
  return Status::Ok();
}

}  // namespace

Status RowImageDecoder::Decode(RowChangeKind kind, std::string_view rows_part, bool compressed,
                               const std::shared_ptr<const TableMap>& table,
                               std::vector<RowChange>* out) {
  ByteReader r(rows_part);
  uint64_t ncols;
  if (!r.PackedInt(&ncols)) return Status::Internal("rows event ends before its column count");
  if (ncols != table->columns.size()) {
    return Status::Internal("rows event for " + table->schema + "." + table->table + " has " +
                            std::to_string(ncols) + " columns, its TABLE_MAP " +
                            std::to_string(table->columns.size()));
  }
  const size_t bitmap_bytes = (ncols + 7) / 8;
  const uint8_t* present_before;
  const uint8_t* present_after = nullptr;
  if (!r.Bytes(bitmap_bytes, &present_before)) {
    return Status::Internal("rows event ends inside its columns bitmap");
  }
  if (kind == RowChangeKind::kUpdate && !r.Bytes(bitmap_bytes, &present_after)) {
    return Status::Internal("rows event ends inside its after-image bitmap");
  }
  // The positions of the present columns, computed once for every row.
  std::vector<uint32_t> before_cols, after_cols;
  for (uint32_t i = 0; i < ncols; ++i) {
    if (BitSet(present_before, i)) before_cols.push_back(i);
    if (present_after != nullptr && BitSet(present_after, i)) after_cols.push_back(i);
  }

  // Partial images (MINIMAL, NOBLOB) say which columns they hold.
  auto presence = [&](const uint8_t* bitmap, size_t count) -> std::shared_ptr<const std::vector<bool>> {
    if (bitmap == nullptr || count == ncols) return nullptr;
    auto present = std::make_shared<std::vector<bool>>(ncols);
    for (uint32_t i = 0; i < ncols; ++i) (*present)[i] = BitSet(bitmap, i);
    return present;
  };
  const auto first_present = presence(present_before, before_cols.size());
  const auto second_present = presence(present_after, after_cols.size());

  std::string inflated;
  ByteReader rows(r.position(), r.remaining());
  if (compressed) {
    auto data = UncompressPayload(
        std::string_view(reinterpret_cast<const char*>(r.position()), r.remaining()));
    if (!data.ok()) return data.status();
    inflated = std::move(*data);
    rows = ByteReader(inflated);
  }

  while (rows.remaining() > 0) {
    RowChange change;
    change.kind = kind;
    change.table = table;
    Row first;
    LOCKSTEP_RETURN_IF_ERROR(DecodeImage(rows, *table, before_cols, &first));
    switch (kind) {
      case RowChangeKind::kInsert:
        change.after = std::move(first);
        change.after_present = first_present;
        break;
      case RowChangeKind::kDelete:
        change.before = std::move(first);
        change.before_present = first_present;
        break;
      case RowChangeKind::kUpdate: {
        Row second;
        LOCKSTEP_RETURN_IF_ERROR(DecodeImage(rows, *table, after_cols, &second));
        change.before = std::move(first);
        change.after = std::move(second);
        change.before_present = first_present;
        change.after_present = second_present;
        break;
      }
    }
    out->push_back(std::move(change));
  }
  return Status::Ok();
}

}  // namespace lockstep::binlog
