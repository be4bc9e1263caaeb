#include "executor/binlog/event_parser.h"

#include <zlib.h>

#include "executor/binlog/byte_reader.h"
#include "executor/binlog/compressed_payload.h"
#include "executor/binlog/row_image_decoder.h"

namespace lockstep::binlog {
namespace {

// Event type codes (MariaDB sql/log_event.h); lockstep's own copy so that the
// parser does not depend on the connector's headers.
enum : uint8_t {
  kQueryEvent = 2,
  kRotateEvent = 4,
  kFormatDescriptionEvent = 15,
  kXidEvent = 16,
  kTableMapEvent = 19,
  kWriteRowsV1 = 23,
  kUpdateRowsV1 = 24,
  kDeleteRowsV1 = 25,
  kHeartbeatEvent = 27,
  kWriteRowsV2 = 30,
  kUpdateRowsV2 = 31,
  kDeleteRowsV2 = 32,
  kXaPrepareEvent = 38,
  kGtidEvent = 162,
  kGtidListEvent = 163,
  kQueryCompressedEvent = 165,
  kWriteRowsCompressedV1 = 166,
  kUpdateRowsCompressedV1 = 167,
  kDeleteRowsCompressedV1 = 168,
  kWriteRowsCompressedV2 = 169,
  kUpdateRowsCompressedV2 = 170,
  kDeleteRowsCompressedV2 = 171,
};

constexpr size_t kHeaderSize = 19;
constexpr size_t kChecksumSize = 4;
constexpr uint8_t kGtidStandalone = 0x01;     // FL_STANDALONE: no COMMIT follows
constexpr uint8_t kGtidGroupCommitId = 0x02;  // FL_GROUP_COMMIT_ID
constexpr uint16_t kRowsStmtEnd = 0x01;       // STMT_END_F: table maps end here

uint32_t Le32(const char* p) {
  const auto* u = reinterpret_cast<const uint8_t*>(p);
  return static_cast<uint32_t>(u[0]) | static_cast<uint32_t>(u[1]) << 8 |
         static_cast<uint32_t>(u[2]) << 16 | static_cast<uint32_t>(u[3]) << 24;
}

Status Malformed(uint8_t type, const char* what) {
  return Status::Internal("malformed binlog event (type " + std::to_string(type) + "): " + what);
}

bool RowsKind(uint8_t type, RowChangeKind* kind, bool* v2, bool* compressed) {
  switch (type) {
    case kWriteRowsV1: *kind = RowChangeKind::kInsert; *v2 = false; *compressed = false; return true;
    case kUpdateRowsV1: *kind = RowChangeKind::kUpdate; *v2 = false; *compressed = false; return true;
    case kDeleteRowsV1: *kind = RowChangeKind::kDelete; *v2 = false; *compressed = false; return true;
    case kWriteRowsV2: *kind = RowChangeKind::kInsert; *v2 = true; *compressed = false; return true;
    case kUpdateRowsV2: *kind = RowChangeKind::kUpdate; *v2 = true; *compressed = false; return true;
    case kDeleteRowsV2: *kind = RowChangeKind::kDelete; *v2 = true; *compressed = false; return true;
    case kWriteRowsCompressedV1: *kind = RowChangeKind::kInsert; *v2 = false; *compressed = true; return true;
    case kUpdateRowsCompressedV1: *kind = RowChangeKind::kUpdate; *v2 = false; *compressed = true; return true;
    case kDeleteRowsCompressedV1: *kind = RowChangeKind::kDelete; *v2 = false; *compressed = true; return true;
    case kWriteRowsCompressedV2: *kind = RowChangeKind::kInsert; *v2 = true; *compressed = true; return true;
    case kUpdateRowsCompressedV2: *kind = RowChangeKind::kUpdate; *v2 = true; *compressed = true; return true;
    case kDeleteRowsCompressedV2: *kind = RowChangeKind::kDelete; *v2 = true; *compressed = true; return true;
    default: return false;
  }
}

}  // namespace

void EventParser::Reset(bool checksums) {
  checksums_ = checksums;
  tables_.clear();
  next_query_ends_group_ = false;
}

Result<BinlogEvent> EventParser::Parse(std::string_view event) {
  if (event.size() < kHeaderSize) return Status::Internal("binlog event shorter than its header");
  BinlogEvent ev;
  ByteReader h(event);
  uint64_t timestamp, server_id, length, next_pos, flags;
  uint8_t type;
  if (!h.UintLE(4, &timestamp) || !h.U8(&type) || !h.UintLE(4, &server_id) ||
      !h.UintLE(4, &length) || !h.UintLE(4, &next_pos) || !h.UintLE(2, &flags)) {
    return Status::Internal("binlog event shorter than its header");
  }
  if (length != event.size()) {
    return Malformed(type, ("event length " + std::to_string(length) + " but " +
                            std::to_string(event.size()) + " bytes received").c_str());
  }
  ev.type_code = type;
  ev.timestamp = static_cast<uint32_t>(timestamp);
  ev.server_id = static_cast<uint32_t>(server_id);
  ev.next_position = static_cast<uint32_t>(next_pos);

  std::string_view body = event.substr(kHeaderSize);
  bool verify = checksums_;
  size_t trailer = checksums_ ? kChecksumSize : 0;
  if (type == kFormatDescriptionEvent) {
    // A checksum-aware server always ends this event with the algorithm of
    // the file (0 off, 1 CRC32) and 4 checksum bytes; the algorithm decides
    // for this event and the ones that follow.
    if (body.size() < 57 + 5) return Malformed(type, "short FORMAT_DESCRIPTION");
    checksums_ = static_cast<uint8_t>(body[body.size() - 5]) == 1;
    verify = checksums_;
    trailer = 1 + kChecksumSize;
  }
  if (body.size() < trailer) return Malformed(type, "no room for the checksum");
  if (verify) {
    const uint32_t expected = Le32(event.data() + event.size() - kChecksumSize);
    const uint32_t actual = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(event.data()),
              static_cast<uInt>(event.size() - kChecksumSize)));
    if (expected != actual) return Malformed(type, "CRC32 mismatch");
  }
  body.remove_suffix(trailer);
  LOCKSTEP_RETURN_IF_ERROR(ParseBody(type, body, &ev));
  return ev;
}

Status EventParser::ParseBody(uint8_t type, std::string_view body, BinlogEvent* ev) {
  ByteReader r(body);
  switch (type) {
    case kGtidEvent: {
      uint64_t seq, domain;
      uint8_t gflags;
      if (!r.UintLE(8, &seq) || !r.UintLE(4, &domain) || !r.U8(&gflags)) {
        return Malformed(type, "short GTID event");
      }
      if ((gflags & kGtidGroupCommitId) && !r.Skip(8)) return Malformed(type, "short GTID event");
      ev->kind = EventKind::kTransactionStart;
      ev->gtid = Gtid{static_cast<uint32_t>(domain), ev->server_id, seq};
      ev->standalone = (gflags & kGtidStandalone) != 0;
      next_query_ends_group_ = ev->standalone;
      tables_.clear();
      return Status::Ok();
    }
    case kXidEvent: {
      if (!r.UintLE(8, &ev->xid)) return Malformed(type, "short XID event");
      ev->kind = EventKind::kCommit;
      ev->ends_transaction = true;
      tables_.clear();
      return Status::Ok();
    }
    case kXaPrepareEvent:
      ev->kind = EventKind::kXaPrepare;
      ev->ends_transaction = true;
      tables_.clear();
      return Status::Ok();
    case kQueryEvent:
    case kQueryCompressedEvent:
      return ParseQueryEvent(body, type == kQueryCompressedEvent, ev);
    case kTableMapEvent:
      return ParseTableMapEvent(body, ev);
    case kRotateEvent: {
      const uint8_t* name;
      if (!r.UintLE(8, &ev->log_position) || !r.Bytes(r.remaining(), &name)) {
        return Malformed(type, "short ROTATE event");
      }
      ev->kind = EventKind::kRotate;
      ev->log_file.assign(reinterpret_cast<const char*>(name), body.size() - 8);
      return Status::Ok();
    }
    case kHeartbeatEvent:
      ev->kind = EventKind::kHeartbeat;
      ev->log_file = std::string(body);
      ev->log_position = ev->next_position;
      return Status::Ok();
    case kFormatDescriptionEvent:
      ev->kind = EventKind::kFormatDescription;
      tables_.clear();
      return Status::Ok();
    case kGtidListEvent: {
      uint64_t count;
      if (!r.UintLE(4, &count)) return Malformed(type, "short GTID_LIST event");
      count &= 0x0fffffff;  // the top bits are flags
      if (count > r.remaining() / 16) return Malformed(type, "GTID_LIST count past the end");
      for (uint64_t i = 0; i < count; ++i) {
        uint64_t domain, server, seq;
        if (!r.UintLE(4, &domain) || !r.UintLE(4, &server) || !r.UintLE(8, &seq)) {
          return Malformed(type, "short GTID_LIST entry");
        }
        ev->gtid_list.push_back(
            Gtid{static_cast<uint32_t>(domain), static_cast<uint32_t>(server), seq});
      }
      ev->kind = EventKind::kGtidList;
      return Status::Ok();
    }
    default:
      break;
  }
  RowChangeKind kind;
  bool v2, compressed;
  if (RowsKind(type, &kind, &v2, &compressed)) return ParseRowsEvent(type, body, ev);
  ev->kind = EventKind::kOther;
  return Status::Ok();
}

Status EventParser::ParseQueryEvent(std::string_view body, bool compressed, BinlogEvent* ev) {
  ByteReader r(body);
  uint64_t thread_id, exec_time, error_code, status_len;
  uint8_t db_len;
  const uint8_t* db;
  if (!r.UintLE(4, &thread_id) || !r.UintLE(4, &exec_time) || !r.U8(&db_len) ||
      !r.UintLE(2, &error_code) || !r.UintLE(2, &status_len) || !r.Skip(status_len) ||
      !r.Bytes(db_len, &db) || !r.Skip(1)) {
    return Malformed(kQueryEvent, "short QUERY event");
  }
  ev->schema.assign(reinterpret_cast<const char*>(db), db_len);
  std::string_view text(reinterpret_cast<const char*>(r.position()), r.remaining());
  if (compressed) {
    auto inflated = UncompressPayload(text);
    if (!inflated.ok()) return inflated.status().WithContext("QUERY_COMPRESSED event");
    ev->statement = std::move(*inflated);
  } else {
    ev->statement = std::string(text);
  }
  // MariaDB ends a group that touched a non-transactional table with a
  // COMMIT (or ROLLBACK) query instead of an XID event.
  if (ev->statement == "COMMIT" || ev->statement == "ROLLBACK") {
    ev->kind = EventKind::kCommit;
    ev->ends_transaction = true;
    tables_.clear();
  } else if (ev->statement == "BEGIN") {
    ev->kind = EventKind::kOther;
  } else {
    ev->kind = EventKind::kQuery;
    ev->ends_transaction = next_query_ends_group_;
  }
  next_query_ends_group_ = false;
  return Status::Ok();
}

Status EventParser::ParseTableMapEvent(std::string_view body, BinlogEvent* ev) {
  LOCKSTEP_ASSIGN_OR_RETURN(TableMapHeader header, ParseTableMapHeader(body));
  if (!filter_.Matches(header.schema, header.table)) {
    tables_[header.table_id] = nullptr;
    ev->kind = EventKind::kFiltered;
    return Status::Ok();
  }
  LOCKSTEP_ASSIGN_OR_RETURN(TableMap map, ParseTableMap(body));
  tables_[map.table_id] = std::make_shared<const TableMap>(std::move(map));
  ev->kind = EventKind::kOther;
  return Status::Ok();
}

Status EventParser::ParseRowsEvent(uint8_t type, std::string_view body, BinlogEvent* ev) {
  RowChangeKind kind;
  bool v2, compressed;
  RowsKind(type, &kind, &v2, &compressed);
  ByteReader r(body);
  uint64_t table_id, flags;
  if (!r.UintLE(6, &table_id) || !r.UintLE(2, &flags)) return Malformed(type, "short post-header");
  if (v2) {
    // Version 2 adds a length-prefixed block of extra data (the length counts itself).
    uint64_t extra_len;
    if (!r.UintLE(2, &extra_len) || extra_len < 2 || !r.Skip(extra_len - 2)) {
      return Malformed(type, "bad extra data");
    }
  }
  auto it = tables_.find(table_id);
  if (it == tables_.end()) {
    return Status::Internal("rows event for table id " + std::to_string(table_id) +
                            " without a TABLE_MAP before it");
  }
  const std::shared_ptr<const TableMap> table = it->second;
  if (flags & kRowsStmtEnd) tables_.clear();
  if (table == nullptr) {
    ev->kind = EventKind::kFiltered;
    return Status::Ok();
  }
  ev->kind = EventKind::kRows;
  std::string_view rows_part(reinterpret_cast<const char*>(r.position()), r.remaining());
  return RowImageDecoder::Decode(kind, rows_part, compressed, table, &ev->changes);
}

}  // namespace lockstep::binlog
