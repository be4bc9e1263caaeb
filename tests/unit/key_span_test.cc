// Chunk ends of an integer primary key computed by value.
#include <gtest/gtest.h>

#include "executor/copy/key_span.h"

namespace lockstep::executor {
namespace {

using Key = sql::KeyTuple;

TEST(KeySpanTest, AddsTheSpanAndStopsAtTheUpperKey) {
  EXPECT_EQ(KeySpanEnd(Key{"100"}, 50, Key{"1000"}), Key{"150"});
  EXPECT_EQ(KeySpanEnd(Key{"990"}, 50, Key{"1000"}), Key{"1000"});
  EXPECT_EQ(KeySpanEnd(Key{"950"}, 50, Key{"1000"}), Key{"1000"});
  EXPECT_EQ(KeySpanEnd(Key{"-120"}, 100, Key{"5"}), Key{"-20"});
  EXPECT_EQ(KeySpanEnd(Key{"-20"}, 100, Key{"5"}), Key{"5"});
  EXPECT_EQ(KeySpanEnd(Key{"-9223372036854775808"}, 8, Key{"0"}), Key{"-9223372036854775800"});
}

TEST(KeySpanTest, BigintUnsignedDoesNotOverflow) {
  EXPECT_EQ(KeySpanEnd(Key{"18446744073709551000"}, 100000, Key{"18446744073709551615"}),
            Key{"18446744073709551615"});
  EXPECT_EQ(KeySpanEnd(Key{"18446744073709551000"}, 15, Key{"18446744073709551615"}),
            Key{"18446744073709551015"});
}

TEST(KeySpanTest, AnythingButAnIntegerIsLeftToChunkEnd) {
  EXPECT_FALSE(KeySpanEnd(Key{"1.5"}, 10, Key{"100"}).has_value());
  EXPECT_FALSE(KeySpanEnd(Key{"'a'"}, 10, Key{"100"}).has_value());
  EXPECT_FALSE(KeySpanEnd(Key{"1", "2"}, 10, Key{"100", "1"}).has_value());
  EXPECT_FALSE(KeySpanEnd(Key{""}, 10, Key{"100"}).has_value());
  EXPECT_FALSE(KeySpanEnd(Key{"-"}, 10, Key{"100"}).has_value());
  EXPECT_FALSE(KeySpanEnd(Key{"1"}, 0, Key{"100"}).has_value());
}

}  // namespace
}  // namespace lockstep::executor
