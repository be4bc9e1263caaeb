#include "common/status.h"

#include <gtest/gtest.h>

namespace lockstep {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, DbErrorCarriesDcAndErrno) {
  Status s = Status::DbError("dc2", 1146, "Table 'a.b' doesn't exist");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.IsDbError());
  EXPECT_EQ(s.dc(), "dc2");
  EXPECT_EQ(s.server_errno(), 1146u);
  EXPECT_EQ(s.ToString(), "dc2: error 1146: Table 'a.b' doesn't exist");
}

TEST(StatusTest, WithContextKeepsCodeAndPrefixesMessage) {
  Status s = Status::Unavailable("connection refused").WithContext("dc1");
  EXPECT_TRUE(s.IsUnavailable());
  EXPECT_EQ(s.message(), "dc1: connection refused");
}

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("odd");
  return x / 2;
}

Status UseHalf(int x, int* out) {
  LOCKSTEP_ASSIGN_OR_RETURN(int h, Half(x));
  *out = h;
  return Status::Ok();
}

TEST(ResultTest, ValueAndErrorPropagate) {
  int out = 0;
  EXPECT_TRUE(UseHalf(8, &out).ok());
  EXPECT_EQ(out, 4);
  Status s = UseHalf(7, &out);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.message(), "odd");
}

}  // namespace
}  // namespace lockstep
