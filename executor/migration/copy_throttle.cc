#include "executor/migration/copy_throttle.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/logging.h"
#include "db/sql.h"

namespace lockstep {
namespace {

int64_t ToInt(const std::optional<std::string>& text) {
  return text ? std::strtoll(text->c_str(), nullptr, 10) : 0;
}

std::string Percent(double share) {
  return std::to_string(static_cast<int>(std::lround(share * 100))) + "%";
}

}  // namespace

Result<int64_t> CopyThrottle::Statements() {
  LOCKSTEP_ASSIGN_OR_RETURN(auto value, probe_.QueryValue(sql::QuestionsCount()));
  return ToInt(value);
}

Result<CopyThrottle::RateSample> CopyThrottle::MeasureRate(Connection& probe, const Clock& clock,
                                                           executor::Sleeper& sleeper, int64_t ms) {
  LOCKSTEP_ASSIGN_OR_RETURN(auto first, probe.QueryValue(sql::QuestionsCount()));
  const int64_t started = clock.NowMillis();
  sleeper.SleepFor(ms);
  LOCKSTEP_ASSIGN_OR_RETURN(auto last, probe.QueryValue(sql::QuestionsCount()));
  return RateSample{clock.NowMillis() - started, ToInt(last) - ToInt(first)};
}

Result<CopyThrottle::RateSample> CopyThrottle::MeasureRateBefore(Connection& probe,
                                                                 const Clock& clock,
                                                                 executor::Sleeper& sleeper,
                                                                 const CopyThrottleConfig& config) {
  LOCKSTEP_ASSIGN_OR_RETURN(RateSample sample,
                            MeasureRate(probe, clock, sleeper, config.measure_before_ms));
  const bool busy = sample.PerSecond() >= config.governor.busy_statements_per_s;
  if (!busy || config.measure_before_busy_ms <= sample.ms) return sample;
  LOCKSTEP_ASSIGN_OR_RETURN(RateSample more,
                            MeasureRate(probe, clock, sleeper, config.measure_before_busy_ms - sample.ms));
  return RateSample{sample.ms + more.ms, sample.statements + more.statements};
}

Status CopyThrottle::CloseWindow() {
  LOCKSTEP_ASSIGN_OR_RETURN(int64_t statements, Statements());
  const int64_t now = clock_.NowMillis();
  const int64_t ms = now - window_start_ms_;
  const int64_t delta = statements - window_start_statements_;
  if (window_ == Window::kChunk) {
    last_chunk_ms_ = ms;
    governor_.ChunkWindow(ms, delta);
  } else if (window_ == Window::kRest) {
    governor_.RestWindow(ms, delta);
  }
  window_ = Window::kRest;  // until Check() lets a chunk go
  window_start_ms_ = now;
  window_start_statements_ = statements;
  return Status::Ok();
}

Result<std::optional<std::string>> CopyThrottle::LinkLag() {
  const int64_t now = clock_.NowMillis();
  if (last_link_check_ms_ && now - *last_link_check_ms_ < config_.link_check_every_ms) {
    return link_lag_;
  }
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult links, probe_.Query(sql::ShowAllSlavesStatus()));
  last_link_check_ms_ = now;
  link_lag_.reset();
  for (size_t r = 0; r < links.rows.size(); ++r) {
    const std::string name = links.Get(r, "Connection_name").value_or("");
    const bool running = links.Get(r, "Slave_IO_Running").value_or("") == "Yes" &&
                         links.Get(r, "Slave_SQL_Running").value_or("") == "Yes";
    const auto behind = links.Get(r, "Seconds_Behind_Master");
    if (!running || !behind) {
      // Fail closed: a link whose lag nobody knows may be arbitrarily far behind.
      link_lag_ = "DRC link '" + name + "' into this DC is not running: its lag is unknown";
      break;
    }
    const int64_t lag_ms = 1000 * ToInt(behind);
    if (lag_ms > config_.lag_throttle_ms) {
      link_lag_ = "DRC link '" + name + "' lags " + std::to_string(lag_ms / 1000) +
                  " s (budget " + std::to_string(config_.lag_throttle_ms) + " ms)";
      break;
    }
  }
  return link_lag_;
}

executor::ThrottleDecision CopyThrottle::Wait(int64_t ms, std::string why) {
  quiet_and_copying_ = false;
  last_reason_ = why;
  return executor::ThrottleDecision::Wait(ms, std::move(why));
}

Result<executor::ThrottleDecision> CopyThrottle::Check() {
  quiet_and_copying_ = false;
  LOCKSTEP_RETURN_IF_ERROR(CloseWindow());
  if (Status s = applier_.status(); !s.ok()) {
    return executor::ThrottleDecision::Stop("the applier stopped: " + s.ToString());
  }
  std::optional<double> nice_ratio;
  if (operators_) {
    LOCKSTEP_ASSIGN_OR_RETURN(OperatorState wish, operators_->Poll());
    if (wish.abort_reason) return executor::ThrottleDecision::Stop(*wish.abort_reason);
    if (wish.paused) return Wait(500, wish.pause_reason);
    nice_ratio = wish.nice_ratio;
  }
  if (pacer_) {
    executor::ThrottleDecision paced = pacer_->Pace(probe_.dc_name());
    if (paced.action == executor::ThrottleDecision::Action::kStop) return paced;
    if (paced.action == executor::ThrottleDecision::Action::kWait) {
      return Wait(paced.wait_ms, std::move(paced.reason));
    }
  }
  if (config_.max_applier_backlog) {
    LOCKSTEP_ASSIGN_OR_RETURN(int64_t behind, applier_.TransactionsBehind());
    if (behind > *config_.max_applier_backlog) {
      std::string why = "the applier is " + std::to_string(behind) + " transactions behind the binlog";
      const int64_t now = clock_.NowMillis();
      if (!backlog_logged_ms_ || now - *backlog_logged_ms_ >= 2000) {
        backlog_logged_ms_ = now;
        DcLogger(probe_.dc_name())->info("copy waiting: {}", why);
      }
      return Wait(100, std::move(why));
    }
  }
  LOCKSTEP_ASSIGN_OR_RETURN(std::optional<std::string> lag, LinkLag());
  if (lag) return Wait(500, *lag);
  int64_t rest = 0;
  if (!nice_ratio) {
    rest = governor_.NextRest(last_chunk_ms_);
  } else if (!rested_ && last_chunk_ms_ > 0) {
    rest = std::llround(*nice_ratio * static_cast<double>(last_chunk_ms_));
  }
  if (rest > 0) {
    rested_ = true;
    if (nice_ratio) {
      char ratio[32];
      std::snprintf(ratio, sizeof ratio, "%.2f", *nice_ratio);
      return Wait(rest, std::string("an operator's nice ratio of ") + ratio);
    }
    const auto share = governor_.share();
    return Wait(rest, "yielding to the application (" +
                          (share ? "it kept " + Percent(*share) + " of its rate at rest"
                                 : std::string("measuring its rate at rest")) +
                          "; target " + Percent(config_.governor.keep_share) + ")");
  }
  rested_ = false;
  window_ = Window::kChunk;
  last_reason_.clear();
  quiet_and_copying_ = !governor_.busy() && !nice_ratio;
  return executor::ThrottleDecision::Proceed();
}

}  // namespace lockstep
