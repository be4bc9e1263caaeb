// Pure pieces of the row copy: watermark encoding, chunk sizing, backoff,
// the throttle gate, duplicate-key messages.
#include <gtest/gtest.h>

#include <deque>

#include "common/clock.h"
#include "executor/common/backoff.h"
#include "executor/copy/chunk_sizer.h"
#include "executor/copy/duplicate_key_diagnosis.h"
#include "executor/copy/throttle_gate.h"
#include "executor/copy/watermark.h"

namespace lockstep::executor {
namespace {

TEST(WatermarkTest, RoundTripsAnyKey) {
  struct Case { sql::KeyTuple key; std::string text; };
  for (const Case& c : std::vector<Case>{
           {{"42"}, "42"},
           {{"-9223372036854775808"}, "-9223372036854775808"},
           {{"7", "abc"}, "7,abc"},
           {{"a,b", "50%"}, "a%2Cb,50%25"},
           {{""}, ""},
           {{"", ""}, ","},
           {{std::string("\x00\xff\n", 3), "é"}, "%00%FF%0A,%C3%A9"},
           {{"2024-01-02 03:04:05.000001", "x y"}, "2024-01-02 03:04:05.000001,x y"},
       }) {
    EXPECT_EQ(EncodeWatermark(c.key), c.text);
    auto back = DecodeWatermark(c.text, c.key.size());
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, c.key) << c.text;
  }
}

TEST(WatermarkTest, RejectsMalformedText) {
  struct Case { std::string text; size_t columns; };
  for (const Case& c : std::vector<Case>{
           {"1,2", 1}, {"1", 2}, {"%", 1}, {"%4", 1}, {"%zz", 1}, {"a%2", 1}}) {
    EXPECT_FALSE(DecodeWatermark(c.text, c.columns).ok()) << c.text;
  }
  EXPECT_TRUE(DecodeWatermark("%2c", 1).ok());  // lower-case hex is fine
}

TEST(ChunkSizerTest, AdaptsToTheTimeTarget) {
  struct Step { int64_t rows, elapsed_ms, next; };
  struct Case { std::string name; ChunkSizerConfig config; std::vector<Step> steps; };
  for (const Case& c : std::vector<Case>{
           {"grows at most 2x a chunk", {500, 1000, 100, 100000},
            {{1000, 50, 2000}, {2000, 50, 4000}, {4000, 100, 8000}}},
           {"shrinks at once", {500, 8000, 100, 100000}, {{8000, 2000, 2000}}},
           {"settles on the target", {500, 1000, 100, 100000},
            {{1000, 400, 1250}, {1250, 500, 1250}, {1250, 625, 1000}}},
           {"bounded above", {500, 80000, 100, 100000}, {{80000, 100, 100000}}},
           {"bounded below", {500, 200, 100, 100000}, {{200, 60000, 100}}},
           {"a zero duration counts as 1 ms", {500, 1000, 100, 100000}, {{1000, 0, 2000}}},
           {"no rows: no change", {500, 1000, 100, 100000}, {{0, 900, 1000}}},
           {"a short fast last chunk: no change", {500, 1000, 100, 100000}, {{10, 1, 1000}}},
           {"a short slow chunk shrinks", {500, 1000, 100, 100000}, {{100, 1000, 100}}},
       }) {
    ChunkSizer sizer(c.config);
    for (const Step& s : c.steps) {
      sizer.Record(s.rows, s.elapsed_ms);
      EXPECT_EQ(sizer.rows(), s.next) << c.name;
    }
  }
  EXPECT_EQ(ChunkSizer({500, 5, 100, 1000}).rows(), 100);      // initial clamped
  EXPECT_EQ(ChunkSizer({500, 1000, 100, 10}).rows(), 100);     // max below min
}

TEST(BackoffTest, DoublesUpToTheCapThenGivesUp) {
  Backoff b({50, 300, 6});
  std::vector<int64_t> delays;
  while (b.Failed()) delays.push_back(b.delay_ms());
  EXPECT_EQ(delays, (std::vector<int64_t>{50, 100, 200, 300, 300}));
  EXPECT_EQ(b.attempts(), 6);
  b.Reset();
  ASSERT_TRUE(b.Failed());
  EXPECT_EQ(b.delay_ms(), 50);
}

TEST(DuplicateKeyTest, KeyNamesFromServerMessages) {
  struct Case { std::string message; std::vector<std::string> keys; };
  for (const Case& c : std::vector<Case>{
           {"Duplicate entry 'a@x' for key 'uk_email' [INSERT ...]", {"uk_email"}},
           {"Duplicate entry '5' for key 'PRIMARY'", {"PRIMARY"}},
           {"Duplicate entry '5' for key 't.uk'", {"uk"}},  // MySQL 8 style
           {"Duplicate entry 'x' for key 'y' for key 'uk'", {"y", "uk"}},
           {"Lock wait timeout exceeded", {}},
       }) {
    EXPECT_EQ(DuplicateKeyCandidates(c.message), c.keys) << c.message;
  }
}

class ScriptedThrottler : public Throttler {
 public:
  std::deque<Result<ThrottleDecision>> script;
  int calls = 0;
  Result<ThrottleDecision> Check() override {
    ++calls;
    if (script.empty()) return ThrottleDecision::Proceed();
    auto next = script.front();
    script.pop_front();
    return next;
  }
};

// Sleeping moves the fake clock, so time-based limits are reached.
class ClockSleeper : public Sleeper {
 public:
  explicit ClockSleeper(FakeClock& clock) : clock_(clock) {}
  void SleepFor(int64_t ms) override {
    slept.push_back(ms);
    clock_.Advance(ms);
  }
  std::vector<int64_t> slept;

 private:
  FakeClock& clock_;
};

TEST(ThrottleGateTest, WaitsAsToldAndFailsClosed) {
  FakeClock clock;
  ClockSleeper sleeper(clock);
  ScriptedThrottler throttler;
  throttler.script = {ThrottleDecision::Wait(200, "lag"), Status::Unavailable("lag unknown"),
                      ThrottleDecision::Wait(60'000, "operator pause"), ThrottleDecision::Proceed()};
  ThrottleGate gate(throttler, clock, sleeper, {1000, 300'000, 10'000});
  auto go = gate.Await();
  ASSERT_TRUE(go.ok());
  EXPECT_FALSE(go->has_value());
  EXPECT_EQ(sleeper.slept, (std::vector<int64_t>{200, 1000, 10'000}));  // an error is a pause
  EXPECT_EQ(gate.waited_ms(), 11'200);

  throttler.script = {ThrottleDecision::Stop("operator abort")};
  auto stop = gate.Await();
  ASSERT_TRUE(stop.ok());
  EXPECT_EQ(stop->value_or(""), "operator abort");
}

TEST(ThrottleGateTest, GivesUpWithTheErrorAfterTheLimitNeverProceeds) {
  FakeClock clock;
  ClockSleeper sleeper(clock);
  ScriptedThrottler throttler;
  for (int i = 0; i < 100; ++i) throttler.script.push_back(Status::Unavailable("no lag source"));
  ThrottleGate gate(throttler, clock, sleeper, {1000, 5000, 10'000});
  auto r = gate.Await();
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsUnavailable());
  EXPECT_EQ(throttler.calls, 6);  // errors at 0, 1, ..., 5 s
}

}  // namespace
}  // namespace lockstep::executor
