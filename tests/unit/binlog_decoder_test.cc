// The row-image decoder on hand-built bytes: the cases Connector/C gets
// wrong (REFERENCE.md section 4) and corrupt input, which must give an error
// and never a read out of bounds.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "executor/binlog/column_decoder.h"
#include "executor/binlog/row_image_decoder.h"
#include "executor/binlog/sql_literal.h"
#include "executor/binlog/table_map.h"

namespace lockstep::binlog {
namespace {

using Bytes = std::vector<uint8_t>;

ColumnInfo Column(uint8_t type, Bytes meta = {}) {
  meta.resize(2, 0);
  ColumnInfo info;
  EXPECT_TRUE(DecodeColumnInfo(type, meta.data(), &info)) << "type " << int(type);
  return info;
}

Result<Value> Decode(const ColumnInfo& column, const Bytes& bytes, size_t* consumed = nullptr) {
  ByteReader r(bytes.data(), bytes.size());
  Value v;
  Status s = DecodeColumnValue(r, column, &v);
  if (!s.ok()) return s;
  if (consumed) *consumed = bytes.size() - r.remaining();
  return v;
}

std::string Literal(const ColumnInfo& column, const Bytes& bytes, const ColumnSpec& spec = {}) {
  auto v = Decode(column, bytes);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? ToSqlLiteral(*v, spec) : "<error>";
}

ColumnSpec UnsignedSpec() {
  ColumnSpec s;
  s.is_unsigned = true;
  return s;
}
ColumnSpec BinarySpec() {
  ColumnSpec s;
  s.is_binary = true;
  return s;
}

TEST(BinlogDecoderTest, NegativeDecimal) {
  const ColumnInfo d10_4 = Column(246, {10, 4});
  // 1234.5678 is 80 04 D2 16 2E; a negative number inverts every byte.
  EXPECT_EQ(Literal(d10_4, {0x80, 0x04, 0xD2, 0x16, 0x2E}), "1234.5678");
  EXPECT_EQ(Literal(d10_4, {0x7F, 0xFB, 0x2D, 0xE9, 0xD1}), "-1234.5678");
  EXPECT_EQ(Literal(d10_4, {0x7F, 0xFF, 0xFF, 0xFF, 0xFE}), "-0.0001");
  EXPECT_EQ(Literal(d10_4, {0x80, 0x00, 0x00, 0x00, 0x00}), "0.0000");
  // Full 9-digit groups on both sides of the point.
  EXPECT_EQ(Literal(Column(246, {18, 9}), {0x87, 0x5B, 0xCD, 0x15, 0x07, 0x5B, 0xCD, 0x15}),
            "123456789.123456789");
  EXPECT_EQ(Literal(Column(246, {5, 0}), {0x7E, 0x79, 0x60}), "-99999");
  // A group above 999999999 cannot be a DECIMAL.
  EXPECT_FALSE(Decode(Column(246, {18, 9}), {0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0}).ok());
  EXPECT_FALSE(Decode(d10_4, {0x80, 0x04}).ok()) << "truncated";
}

TEST(BinlogDecoderTest, NegativeTimeWithFractions) {
  // TIME(2) '-00:00:01.01': the fraction borrows a second from the integer part.
  EXPECT_EQ(Literal(Column(19, {2}), {0x7F, 0xFF, 0xFE, 0xFF}), "'-00:00:01.01'");
  // TIME(6) '-00:00:00.000001': one 6-byte number.
  EXPECT_EQ(Literal(Column(19, {6}), {0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}), "'-00:00:00.000001'");
  // TIME(0) at both ends of the range.
  EXPECT_EQ(Literal(Column(19, {0}), {0xB4, 0x6E, 0xFB}), "'838:59:59'");
  EXPECT_EQ(Literal(Column(19, {0}), {0x4B, 0x91, 0x05}), "'-838:59:59'");
  // TIME(3) '12:34:56.789': 2 fraction bytes of 1/10000 s.
  const uint32_t hms = (12u << 12) | (34u << 6) | 56u;
  const uint32_t stored = 0x800000 + hms;
  EXPECT_EQ(Literal(Column(19, {3}), {uint8_t(stored >> 16), uint8_t(stored >> 8), uint8_t(stored),
                                      uint8_t(7890 >> 8), uint8_t(7890 & 0xff)}),
            "'12:34:56.789'");
}

Bytes DateTime2(uint32_t y, uint32_t mo, uint32_t d, uint32_t h, uint32_t mi, uint32_t s,
                uint32_t micros, int fsp) {
  const uint64_t ymd = (static_cast<uint64_t>(y * 13 + mo) << 5) | d;
  const uint64_t v = ((ymd << 17) | (h << 12) | (mi << 6) | s) + 0x8000000000ULL;
  Bytes out;
  for (int i = 4; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
  if (fsp >= 5) {
    for (int i = 2; i >= 0; --i) out.push_back(static_cast<uint8_t>(micros >> (8 * i)));
  }
  return out;
}

TEST(BinlogDecoderTest, ZeroAndFractionalDateTimes) {
  EXPECT_EQ(Literal(Column(18, {0}), {0x80, 0, 0, 0, 0}), "'0000-00-00 00:00:00'");
  EXPECT_EQ(Literal(Column(18, {6}), {0x80, 0, 0, 0, 0, 0, 0, 0}), "'0000-00-00 00:00:00.000000'");
  EXPECT_EQ(Literal(Column(18, {6}), DateTime2(2024, 2, 29, 12, 34, 56, 123456, 6)),
            "'2024-02-29 12:34:56.123456'");
  EXPECT_EQ(Literal(Column(18, {5}), DateTime2(9999, 12, 31, 23, 59, 59, 999990, 5)),
            "'9999-12-31 23:59:59.99999'");
  // A DATETIME2 below the sign offset is corrupt.
  EXPECT_FALSE(Decode(Column(18, {0}), {0x7F, 0xFF, 0xFF, 0xFF, 0xFF}).ok());
  // TIMESTAMP2: seconds since the epoch in UTC; 0 is the zero timestamp.
  EXPECT_EQ(Literal(Column(17, {0}), {0, 0, 0, 0}), "'0000-00-00 00:00:00'");
  EXPECT_EQ(Literal(Column(17, {0}), {0x7F, 0xFF, 0xFF, 0xFF}), "'2038-01-19 03:14:07'");
  EXPECT_EQ(Literal(Column(17, {2}), {0, 0, 0, 1, 1}), "'1970-01-01 00:00:01.01'");
  // DATE: day, month, year packed in 3 little-endian bytes; zero stays zero.
  EXPECT_EQ(Literal(Column(10), {0, 0, 0}), "'0000-00-00'");
  const uint32_t date = (2024u << 9) | (2u << 5) | 29u;
  EXPECT_EQ(Literal(Column(10), {uint8_t(date), uint8_t(date >> 8), uint8_t(date >> 16)}),
            "'2024-02-29'");
}

TEST(BinlogDecoderTest, YearZeroStaysZero) {
  EXPECT_EQ(Literal(Column(13), {0}), "0");
  EXPECT_EQ(Literal(Column(13), {1}), "1901");
  EXPECT_EQ(Literal(Column(13), {255}), "2155");
}

TEST(BinlogDecoderTest, IntegersKeepTheirBytesAndTakeTheirSignFromTheCaller) {
  auto big = Decode(Column(8), {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->AsUnsigned(), 18446744073709551615ULL);
  EXPECT_EQ(big->AsSigned(), -1);
  EXPECT_EQ(ToSqlLiteral(*big, UnsignedSpec()), "18446744073709551615");
  EXPECT_EQ(ToSqlLiteral(*big, {}), "-1");
  EXPECT_EQ(Literal(Column(9), {0xFF, 0xFF, 0xFF}, UnsignedSpec()), "16777215");
  EXPECT_EQ(Literal(Column(9), {0x00, 0x00, 0x80}), "-8388608");
  EXPECT_EQ(Literal(Column(1), {0x80}), "-128");
  EXPECT_EQ(Literal(Column(1), {0x80}, UnsignedSpec()), "128");
  EXPECT_EQ(Literal(Column(2), {0xFF, 0x7F}), "32767");
  EXPECT_EQ(Literal(Column(3), {0x00, 0x00, 0x00, 0x80}), "-2147483648");
  EXPECT_EQ(Literal(Column(3), {0xFF, 0xFF, 0xFF, 0xFF}, UnsignedSpec()), "4294967295");
  EXPECT_EQ(Literal(Column(8), {0, 0, 0, 0, 0, 0, 0, 0x80}), "-9223372036854775808");
}

TEST(BinlogDecoderTest, CharBinaryEnumSetAreUnpackedFromStringMetadata) {
  // CHAR(100) utf8mb4 is 400 bytes: the high bits of the length hide in the type byte.
  const ColumnInfo char400 = Column(254, {0xEE, 0x90});
  EXPECT_EQ(char400.type, ColumnType::kString);
  EXPECT_EQ(char400.max_length, 400u);
  EXPECT_EQ(Literal(char400, {0x02, 0x00, 'h', 'i'}), "X'6869'") << "2-byte length prefix";
  const ColumnInfo char10 = Column(254, {0xFE, 40});
  EXPECT_EQ(char10.max_length, 40u);
  ColumnSpec text;
  text.charset = "latin1";
  EXPECT_EQ(Literal(char10, {0x01, 0xE9}, text), "_latin1 X'E9'");
  // BINARY(16) arrives without its trailing zeros; the literal puts them back.
  EXPECT_EQ(Literal(Column(254, {0xFE, 16}), {0x02, 'A', 'B'}, BinarySpec()),
            "X'41420000000000000000000000000000'");
  EXPECT_EQ(Literal(Column(254, {0xFE, 16}), {0x00}, BinarySpec()),
            "X'00000000000000000000000000000000'");
  // ENUM (1-2 bytes) and SET (1-8 bytes), also inside MYSQL_TYPE_STRING.
  const ColumnInfo enum2 = Column(254, {0xF7, 2});
  EXPECT_EQ(enum2.type, ColumnType::kEnum);
  EXPECT_EQ(Literal(enum2, {0x2C, 0x01}), "300");
  ColumnSpec members;
  members.elements = {"a", "b", "c"};
  EXPECT_EQ(Literal(Column(254, {0xF7, 1}), {2}, members), "'b'");
  const ColumnInfo set8 = Column(254, {0xF8, 8});
  EXPECT_EQ(set8.type, ColumnType::kSet);
  EXPECT_EQ(Literal(set8, {1, 0, 0, 0, 0, 0, 0, 0x80}), "9223372036854775809");
  EXPECT_EQ(Literal(Column(254, {0xF8, 1}), {0x05}, members), "'a,c'");
  // Metadata that describes no valid column.
  ColumnInfo info;
  const uint8_t bad_enum[2] = {0xF7, 3};
  EXPECT_FALSE(DecodeColumnInfo(254, bad_enum, &info));
  const uint8_t bad_decimal[2] = {66, 2};
  EXPECT_FALSE(DecodeColumnInfo(246, bad_decimal, &info));
}

TEST(BinlogDecoderTest, BlobsBitsAndFloats) {
  EXPECT_EQ(Literal(Column(252, {3}), {0x03, 0x00, 0x00, 0xAA, 0xBB, 0xCC}, BinarySpec()),
            "X'AABBCC'");
  EXPECT_EQ(Literal(Column(252, {4}), {0, 0, 0, 0}, BinarySpec()), "X''");
  EXPECT_FALSE(Decode(Column(252, {4}), {0xFF, 0xFF, 0xFF, 0x7F, 0x00}).ok())
      << "a 2 GB length in a 5-byte image";
  // BIT(13): big-endian, 2 bytes; bits beyond the width are corrupt.
  EXPECT_EQ(Literal(Column(16, {5, 1}), {0x15, 0x55}), "5461");
  EXPECT_FALSE(Decode(Column(16, {5, 1}), {0xFF, 0xFF}).ok());
  EXPECT_EQ(Literal(Column(16, {0, 8}), {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}),
            "18446744073709551615");
  // FLOAT 0.1f is 0x3DCCCCCD: rendered exactly, as a DOUBLE literal.
  EXPECT_EQ(Literal(Column(4, {4}), {0xCD, 0xCC, 0xCC, 0x3D}), "1.00000001490116119e-01");
  EXPECT_EQ(Literal(Column(5, {8}), {0, 0, 0, 0, 0, 0, 0x04, 0xC0}), "-2.50000000000000000e+00");
}

TEST(BinlogDecoderTest, NullRendersAsNull) {
  EXPECT_EQ(ToSqlLiteral(Value::Null(ColumnType::kLong), {}), "NULL");
  EXPECT_EQ(ToSqlLiteral(Value(), {}), "NULL");
}

// TABLE_MAP body of `db`.`t` with the given types and metadata.
Bytes TableMapBody(const Bytes& types, const Bytes& meta, uint8_t nullable = 0xFF) {
  Bytes b = {1, 0, 0, 0, 0, 0, 0, 0};  // table id 1, flags
  b.push_back(2), b.push_back('d'), b.push_back('b'), b.push_back(0);
  b.push_back(1), b.push_back('t'), b.push_back(0);
  b.push_back(static_cast<uint8_t>(types.size()));
  b.insert(b.end(), types.begin(), types.end());
  b.push_back(static_cast<uint8_t>(meta.size()));
  b.insert(b.end(), meta.begin(), meta.end());
  for (size_t i = 0; i < (types.size() + 7) / 8; ++i) b.push_back(nullable);
  return b;
}

std::string_view View(const Bytes& b) {
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

TEST(BinlogDecoderTest, TableMapAndRowsRoundTrip) {
  // pk INT, v VARCHAR(300), d DECIMAL(10,4), c CHAR(16) BINARY
  const Bytes map_body = TableMapBody({3, 15, 246, 254}, {0x2C, 0x01, 10, 4, 0xFE, 16});
  auto map = ParseTableMap(View(map_body));
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_EQ(map->schema, "db");
  EXPECT_EQ(map->table, "t");
  ASSERT_EQ(map->columns.size(), 4u);
  EXPECT_EQ(map->columns[1].max_length, 300u);
  auto table = std::make_shared<const TableMap>(std::move(*map));

  // UPDATE: (1, 'ab', -1234.5678, NULL) -> (2, NULL, 0.0001, 'x')
  Bytes rows = {4, 0x0F, 0x0F};
  rows.insert(rows.end(), {0x08, 1, 0, 0, 0, 2, 0, 'a', 'b', 0x7F, 0xFB, 0x2D, 0xE9, 0xD1});
  rows.insert(rows.end(), {0x02, 2, 0, 0, 0, 0x80, 0, 0, 0, 1, 1, 'x'});
  std::vector<RowChange> out;
  Status s = RowImageDecoder::Decode(RowChangeKind::kUpdate, View(rows), false, table, &out);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(out.size(), 1u);
  const Row& before = *out[0].before;
  const Row& after = *out[0].after;
  EXPECT_EQ(before[0].AsSigned(), 1);
  EXPECT_EQ(before[1].bytes(), "ab");
  EXPECT_EQ(before[2].bytes(), "-1234.5678");
  EXPECT_TRUE(before[3].is_null());
  EXPECT_EQ(after[0].AsSigned(), 2);
  EXPECT_TRUE(after[1].is_null());
  EXPECT_EQ(after[2].bytes(), "0.0001");
  EXPECT_EQ(after[3].bytes(), "x");

  // Every truncation of the image is an error, never a read past the end.
  for (size_t len = 4; len < rows.size(); ++len) {
    Bytes cut(rows.begin(), rows.begin() + static_cast<long>(len));
    std::vector<RowChange> ignored;
    EXPECT_FALSE(RowImageDecoder::Decode(RowChangeKind::kUpdate, View(cut), false, table, &ignored).ok())
        << "cut at " << len;
  }
  // A column count that does not match the TABLE_MAP.
  Bytes wrong = rows;
  wrong[0] = 5;
  std::vector<RowChange> ignored;
  EXPECT_FALSE(RowImageDecoder::Decode(RowChangeKind::kUpdate, View(wrong), false, table, &ignored).ok());
  // Every truncation of the TABLE_MAP, too.
  for (size_t len = 0; len < map_body.size(); ++len) {
    Bytes cut(map_body.begin(), map_body.begin() + static_cast<long>(len));
    EXPECT_FALSE(ParseTableMap(View(cut)).ok()) << "cut at " << len;
  }
}

TEST(BinlogDecoderTest, PreTenOneTemporalFormatsAreRefused) {
  for (uint8_t old_type : {7, 11, 12}) {
    auto map = ParseTableMap(View(TableMapBody({3, old_type}, {})));
    ASSERT_FALSE(map.ok()) << int(old_type);
    EXPECT_NE(map.status().message().find("pre-10.1"), std::string::npos) << map.status().ToString();
  }
}

TEST(BinlogDecoderTest, RandomBytesNeverCrash) {
  const Bytes map_body = TableMapBody({1, 2, 3, 8, 9, 15, 246, 254, 252, 19, 18, 17, 16, 10, 13},
                                      {0x2C, 0x01, 12, 3, 0xFE, 16, 4, 6, 3, 2, 3, 1});
  auto map = ParseTableMap(View(map_body));
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  auto table = std::make_shared<const TableMap>(std::move(*map));
  std::mt19937 rng(42);
  int decoded = 0;
  for (int i = 0; i < 20000; ++i) {
    Bytes junk(1 + rng() % 80);
    for (auto& b : junk) b = static_cast<uint8_t>(rng());
    junk[0] = 15;  // the right column count, so that decoding goes past the header
    std::vector<RowChange> out;
    decoded += RowImageDecoder::Decode(static_cast<RowChangeKind>(rng() % 3), View(junk),
                                       rng() % 8 == 0, table, &out).ok();
    (void)ParseTableMap(View(junk));
  }
  SUCCEED() << decoded << " random images happened to decode";
}

}  // namespace
}  // namespace lockstep::binlog
