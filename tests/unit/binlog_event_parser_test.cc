// EventParser and GtidPosition on hand-built events: checksums, group
// boundaries, the table filter, corrupt events.
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "executor/binlog/event_parser.h"
#include "executor/binlog/gtid_position.h"

namespace lockstep::binlog {
namespace {

void Put(std::string* s, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) s->push_back(static_cast<char>(v >> (8 * i)));
}

// A whole event: 19-byte header, body and (optionally) the CRC32.
std::string Event(uint8_t type, const std::string& body, bool checksum, uint32_t server_id = 1) {
  std::string e;
  Put(&e, 1700000000, 4);
  e.push_back(static_cast<char>(type));
  Put(&e, server_id, 4);
  Put(&e, 19 + body.size() + (checksum ? 4 : 0), 4);
  Put(&e, 1234, 4);
  Put(&e, 0, 2);
  e += body;
  if (checksum) {
    Put(&e, crc32(0, reinterpret_cast<const Bytef*>(e.data()), static_cast<uInt>(e.size())), 4);
  }
  return e;
}

std::string GtidBody(uint64_t seq, uint32_t domain, uint8_t flags) {
  std::string b;
  Put(&b, seq, 8);
  Put(&b, domain, 4);
  b.push_back(static_cast<char>(flags));
  return b;
}

std::string QueryBody(const std::string& db, const std::string& text) {
  std::string b;
  Put(&b, 7, 4);  // thread id
  Put(&b, 0, 4);  // exec time
  b.push_back(static_cast<char>(db.size()));
  Put(&b, 0, 2);  // error code
  Put(&b, 0, 2);  // status vars
  b += db;
  b.push_back('\0');
  return b + text;
}

std::string TableMapBody(uint64_t id, const std::string& db, const std::string& table) {
  std::string b;
  Put(&b, id, 6);
  Put(&b, 0, 2);
  b.push_back(static_cast<char>(db.size()));
  b += db;
  b.push_back('\0');
  b.push_back(static_cast<char>(table.size()));
  b += table;
  b.push_back('\0');
  b.push_back(1);           // one column
  b.push_back(3);           // INT
  b.push_back(0);           // no metadata
  b.push_back(0);           // not nullable
  return b;
}

std::string WriteRowsBody(uint64_t id, int32_t value) {
  std::string b;
  Put(&b, id, 6);
  Put(&b, 1, 2);  // STMT_END_F
  b.push_back(1);  // columns
  b.push_back(1);  // present bitmap
  b.push_back(0);  // NULL bitmap
  Put(&b, static_cast<uint32_t>(value), 4);
  return b;
}

TEST(BinlogEventParserTest, GroupsEndAtXidCommitOrAStandaloneStatement) {
  EventParser p({}, true);
  auto gtid = p.Parse(Event(162, GtidBody(42, 3, 0), true, 7));
  ASSERT_TRUE(gtid.ok()) << gtid.status().ToString();
  EXPECT_EQ(gtid->kind, EventKind::kTransactionStart);
  EXPECT_EQ(gtid->gtid, (Gtid{3, 7, 42}));
  EXPECT_FALSE(gtid->standalone);
  std::string xid_body;
  Put(&xid_body, 99, 8);
  auto xid = p.Parse(Event(16, xid_body, true));
  ASSERT_TRUE(xid.ok());
  EXPECT_EQ(xid->kind, EventKind::kCommit);
  EXPECT_EQ(xid->xid, 99u);
  EXPECT_TRUE(xid->ends_transaction);

  // DDL: a standalone GTID, then the statement closes the group.
  ASSERT_TRUE(p.Parse(Event(162, GtidBody(43, 3, 0x01 | 0x20), true)).ok());
  auto ddl = p.Parse(Event(2, QueryBody("db", "ALTER TABLE t ADD c INT"), true));
  ASSERT_TRUE(ddl.ok());
  EXPECT_EQ(ddl->kind, EventKind::kQuery);
  EXPECT_EQ(ddl->schema, "db");
  EXPECT_EQ(ddl->statement, "ALTER TABLE t ADD c INT");
  EXPECT_TRUE(ddl->ends_transaction);

  // A non-transactional group ends with a COMMIT query.
  ASSERT_TRUE(p.Parse(Event(162, GtidBody(44, 3, 0), true)).ok());
  auto commit = p.Parse(Event(2, QueryBody("db", "COMMIT"), true));
  ASSERT_TRUE(commit.ok());
  EXPECT_EQ(commit->kind, EventKind::kCommit);
  EXPECT_TRUE(commit->ends_transaction);
}

TEST(BinlogEventParserTest, ChecksumsAreVerified) {
  EventParser p({}, true);
  std::string ev = Event(162, GtidBody(1, 1, 0), true);
  ev[20] ^= 0x01;  // one bit of the body
  auto r = p.Parse(ev);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("CRC32"), std::string::npos) << r.status().ToString();
  // Without checksums the same bytes are taken as they are.
  EventParser off({}, false);
  EXPECT_TRUE(off.Parse(Event(162, GtidBody(1, 1, 0), false)).ok());
}

TEST(BinlogEventParserTest, FormatDescriptionDecidesTheChecksum) {
  EventParser p({}, true);
  std::string fde;
  Put(&fde, 4, 2);
  fde += std::string(50, '\0');
  Put(&fde, 0, 4);
  fde.push_back(19);
  fde += std::string(20, '\x08');  // post-header lengths
  fde.push_back(0);                // checksum algorithm: off
  Put(&fde, 0, 4);                 // the FDE's own checksum field, unused when off
  auto r = p.Parse(Event(15, fde, false));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->kind, EventKind::kFormatDescription);
  EXPECT_TRUE(p.Parse(Event(162, GtidBody(1, 1, 0), false)).ok()) << "no checksum from now on";
}

TEST(BinlogEventParserTest, FilterSkipsOtherTablesUndecoded) {
  EventParser p({"db", "wanted"}, false);
  auto other_map = p.Parse(Event(19, TableMapBody(5, "db", "other"), false));
  ASSERT_TRUE(other_map.ok());
  EXPECT_EQ(other_map->kind, EventKind::kFiltered);
  // A row image that would not even decode: skipped, not an error.
  std::string junk = WriteRowsBody(5, 1).substr(0, 10);
  auto other_rows = p.Parse(Event(23, junk, false));
  ASSERT_TRUE(other_rows.ok()) << other_rows.status().ToString();
  EXPECT_EQ(other_rows->kind, EventKind::kFiltered);

  ASSERT_TRUE(p.Parse(Event(19, TableMapBody(6, "db", "wanted"), false)).ok());
  auto rows = p.Parse(Event(23, WriteRowsBody(6, -7), false));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->kind, EventKind::kRows);
  ASSERT_EQ(rows->changes.size(), 1u);
  EXPECT_EQ(rows->changes[0].kind, RowChangeKind::kInsert);
  EXPECT_EQ((*rows->changes[0].after)[0].AsSigned(), -7);
  EXPECT_EQ(rows->changes[0].table->table, "wanted");
  // The statement ended (STMT_END_F): its table ids are forgotten.
  EXPECT_FALSE(p.Parse(Event(23, WriteRowsBody(6, 1), false)).ok());
}

TEST(BinlogEventParserTest, CorruptEventsAreErrors) {
  EventParser p({}, false);
  EXPECT_FALSE(p.Parse("short").ok());
  std::string ev = Event(162, GtidBody(1, 1, 0), false);
  EXPECT_FALSE(p.Parse(ev.substr(0, ev.size() - 1)).ok()) << "length field disagrees";
  EXPECT_FALSE(p.Parse(Event(162, "abc", false)).ok()) << "short GTID body";
  EXPECT_FALSE(p.Parse(Event(2, "abc", false)).ok()) << "short QUERY body";
  EXPECT_FALSE(p.Parse(Event(23, WriteRowsBody(77, 1), false)).ok()) << "rows without TABLE_MAP";
  const std::string map = TableMapBody(5, "db", "t");
  for (size_t len = 0; len < map.size(); ++len) {
    EXPECT_FALSE(p.Parse(Event(19, map.substr(0, len), false)).ok()) << "cut at " << len;
  }
}

TEST(GtidPositionTest, CoversEveryDomainToItsSequenceNumber) {
  auto have = *GtidPosition::Parse("1-1-10,2-2-7");
  EXPECT_TRUE(have.Covers(*GtidPosition::Parse("1-1-10")));
  EXPECT_TRUE(have.Covers(*GtidPosition::Parse("1-9-3,2-2-7")));
  EXPECT_TRUE(have.Covers(GtidPosition()));
  EXPECT_FALSE(have.Covers(*GtidPosition::Parse("1-1-11")));
  EXPECT_FALSE(have.Covers(*GtidPosition::Parse("1-1-10,3-1-1"))) << "a domain it lacks";
  EXPECT_FALSE(GtidPosition().Covers(have));
  // A GTID list names one GTID per domain and server: the highest counts.
  GtidPosition list = GtidPosition::Highest({{1, 1, 10}, {1, 2, 12}, {2, 2, 7}, {1, 3, 4}});
  EXPECT_EQ(list.ToString(), "1-2-12,2-2-7");
}

TEST(GtidPositionTest, ParseAndFormat) {
  auto p = GtidPosition::Parse(" 2-2-7, 1-1-10 ");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->ToString(), "1-1-10,2-2-7");
  p->Advance(Gtid{1, 3, 11});
  p->Advance(Gtid{5, 5, 1});
  EXPECT_EQ(p->ToString(), "1-3-11,2-2-7,5-5-1");
  EXPECT_EQ(p->Find(2)->seq_no, 7u);
  EXPECT_FALSE(p->Find(9).has_value());
  EXPECT_TRUE(GtidPosition::Parse("")->empty());
  EXPECT_FALSE(GtidPosition::Parse("1-1").ok());
  EXPECT_FALSE(GtidPosition::Parse("1-1-x").ok());
  EXPECT_FALSE(GtidPosition::Parse("1-1-1,1-2-2").ok()) << "two GTIDs of one domain";
  EXPECT_FALSE(GtidPosition::Parse("1-1-1,").ok());
}

// Domain ids run to 2^32-1: a domain of 1024 or above counts like any other.
TEST(GtidPositionTest, CountAheadSumsEveryDomain) {
  auto head = *GtidPosition::Parse("0-1-50,7-7-20,1024-3-9,4000000000-4-5");
  EXPECT_EQ(head.CountAhead(*GtidPosition::Parse("0-1-40,7-7-20")), 10 + 0 + 9 + 5);
  EXPECT_EQ(head.CountAhead(head), 0);
  EXPECT_EQ(head.CountAhead(*GtidPosition::Parse("")), 50 + 20 + 9 + 5);
  // A reader ahead in one domain does not cancel another domain's backlog.
  EXPECT_EQ(head.CountAhead(*GtidPosition::Parse("0-1-60,1024-3-1")), 20 + 8 + 5);
  ASSERT_EQ(head.Gtids().size(), 4u);
  EXPECT_EQ(head.Gtids().back(), (Gtid{4000000000u, 4, 5}));
}

}  // namespace
}  // namespace lockstep::binlog
