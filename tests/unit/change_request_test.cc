// BuildChangeRequest: what --table and --alter make of a change, bare
// clauses and whole statements alike.
#include "cli/change_request.h"

#include <gtest/gtest.h>

#include <sstream>

namespace lockstep::cli {
namespace {

namespace po = boost::program_options;

struct Built {
  int exit_code = -1;
  PlanRequest request;
  std::string err;
};

Built Build(const std::vector<std::string>& args) {
  po::options_description desc;
  AddChangeOptions(desc);
  po::variables_map vars;
  po::store(po::command_line_parser(args).options(desc).run(), vars);
  po::notify(vars);
  std::ostringstream out, err;
  Built b;
  PlanSource source;
  b.exit_code = BuildChangeRequest(vars, "plan", CommandIo{out, err}, b.request, source);
  b.err = err.str();
  return b;
}

TEST(ChangeRequestTest, ClausesThatStartWithAlterAreClausesOfTheNamedTable) {
  for (const std::string clauses :
       {"ALTER COLUMN a SET DEFAULT 5", "alter a drop default", "  ALTER COLUMN `b` DROP DEFAULT"}) {
    Built b = Build({"--table", "shop.orders", "--alter", clauses});
    EXPECT_EQ(b.exit_code, kExitOk) << clauses << ": " << b.err;
    EXPECT_EQ(b.request.schema, "shop") << clauses;
    EXPECT_EQ(b.request.table, "orders") << clauses;
    EXPECT_EQ(b.request.alter.table, "orders") << clauses;
  }
}

TEST(ChangeRequestTest, WholeStatementsAreTakenAsTheyAre) {
  for (const std::string statement :
       {"ALTER TABLE shop.orders ADD COLUMN note INT", "alter online table shop.orders add column x int",
        "ALTER IGNORE TABLE shop.orders ADD UNIQUE KEY u (a)"}) {
    Built b = Build({"--alter", statement});
    EXPECT_EQ(b.exit_code, kExitOk) << statement << ": " << b.err;
    EXPECT_EQ(b.request.schema, "shop") << statement;
    EXPECT_EQ(b.request.table, "orders") << statement;
  }
  // A statement for another table than --table names is refused.
  Built other = Build({"--table", "shop.items", "--alter", "ALTER TABLE shop.orders ADD COLUMN n INT"});
  EXPECT_EQ(other.exit_code, kExitUsage);
  EXPECT_NE(other.err.find("--table says"), std::string::npos) << other.err;
}

TEST(ChangeRequestTest, BareClausesNeedTheTable) {
  Built b = Build({"--alter", "ALTER COLUMN a SET DEFAULT 5"});
  EXPECT_EQ(b.exit_code, kExitUsage);
  EXPECT_NE(b.err.find("needs --table"), std::string::npos) << b.err;
}

}  // namespace
}  // namespace lockstep::cli
