#!/usr/bin/env python3
"""executor_summary.py on crafted logs of sandbox/bench/executor: a finished
run, and one whose migrations did not finish in time (a copy or a checksum
window without an end), which must be reported as such while every section
of the summary still prints."""
import os
import sqlite3
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SUMMARY = os.path.join(HERE, "executor_summary.py")
T0 = 1_700_000_000.0  # epoch of the crafted run


def write(d, name, lines):
    with open(os.path.join(d, name), "w") as f:
        f.write("".join(line + "\n" for line in lines))


def stamped(lines):
    """(seconds after T0, text) -> the "EPOCH text" lines the benchmark logs."""
    return [f"{T0 + t:.6f} {text}" for t, text in lines]


def lockstep_log(start, copy_s, checksum_s, finished=True):
    """A lockstep run's log from `start`; with finished=False it stops after
    the copy started (killed by the benchmark's MIGRATION_TIMEOUT)."""
    t = start
    lines = [(t, "[info] migration 1: planned -> shadow_created"),
             (t + 0.1, "[info] migration 1: shadow_created -> copying")]
    if not finished:
        return lines
    t += 0.1 + copy_s
    lines += [(t, "[info] copy done: 1000 rows at 500 rows/s"),
              (t, "[info] migration 1: copying -> verifying")]
    t += checksum_s
    lines += [(t, "[info] checksum passed: 2 chunks, 1000 rows, 0 re-copied"),
              (t, "[info] migration 1: verifying -> ready"),
              (t + 0.5, "[info] cut over: writes held 40 ms (lock 1 ms, drain 2 ms, rename 3 ms)"),
              (t + 0.5, "[info] migration 1: cutting_over -> cut_over")]
    return lines


def sysbench_log(start, seconds):
    lines = [(start, "Threads started!")]
    for n in range(1, seconds + 1):
        lines.append((start + n, f"[ {n}s ] thds: 4 tps: {500 - n % 7}.00 qps: 3000.00 "
                                 f"(r/w/o: 0.00/2000.00/1000.00) lat (ms,95%): 12.{n % 10}0 "
                                 f"err/s: 0.00 reconn/s: 0.00"))
    return lines


def state_db(path):
    c = sqlite3.connect(path)
    c.execute("CREATE TABLE events (kind TEXT, message TEXT)")
    c.execute("CREATE TABLE cutover_attempts (id INTEGER, attempt_no INTEGER, decision TEXT, "
              "reason TEXT)")
    c.execute("INSERT INTO events VALUES ('checksum_chunk', 'differs up to 10')")
    c.execute("INSERT INTO cutover_attempts VALUES (1, 1, 'commit', 'ready')")
    c.commit()
    c.close()


def craft(d, finished):
    """The files one benchmark run leaves in its log dir. Unfinished: the
    lockstep run under load timed out in its copy, the backlog run in its
    checksum."""
    meta = {"rows": 1000, "small_rows": 100, "threads": 4, "ignore_errors": "1213",
            "baseline_time": 20, "backlog_time": 30, "started": "2026-01-01T00:00:00Z",
            "finished": "2026-01-01T00:10:00Z", "mariadb": "10.11.6-MariaDB-log",
            "ptosc": "pt-online-schema-change 3.5.1", "lockstep_commit": "abc1234", "nproc": 2,
            "buffer_pool": 1073741824, "idle_old": "1000 42", "idle_new": "1000 42"}

    def result(tag, start, end, rc):
        write(d, tag + ".result", [f"{T0 + start:.6f} {T0 + end:.6f} {rc}"])

    def time_file(tag, kb):
        write(d, tag + ".time", ["\tCommand being timed: \"lockstep\"",
                                 f"\tMaximum resident set size (kbytes): {kb}"])

    # 4a, 1: small and idle runs, both finished.
    write(d, "small.log", stamped(lockstep_log(0, 1, 1)))
    result("small", 0, 3, 0)
    time_file("small", 20480)
    write(d, "idle-lockstep.log", stamped(lockstep_log(10, 4, 2)))
    result("idle-lockstep", 10, 17, 0)
    time_file("idle-lockstep", 40960)
    write(d, "idle-ptosc.log", stamped([(20, "Copying approximately 1000 rows..."),
                                        (24, "Copied rows OK."),
                                        (25, "Swapped original and new tables OK."),
                                        (26, "Successfully altered `sbtest`.`sbtest1`.")]))
    result("idle-ptosc", 19, 26, 0)

    # 2: lockstep under load (baseline 100..120, migration from 120).
    write(d, "load-lockstep.load.log", stamped(sysbench_log(100, 80)))
    write(d, "load-lockstep.log", stamped(lockstep_log(120, 20, 10, finished)))
    result("load-lockstep", 120, 160 if finished else 175, 0 if finished else "timeout")
    time_file("load-lockstep", 51200)
    # The counters every second from the baseline on (10 waits a second in
    # the baseline, 20 during the copy 120..140), and one detail sample.
    counters = [(t, f"counters {w} {w * 3} {w // 100}")
                for t, w in [(101, 0), (110, 90), (119, 180), (121, 200), (130, 380), (139, 560),
                             (141, 600), (159, 900)]]
    write(d, "load-lockstep.locks.log",
          stamped(counters + [(130, "12\tUPDATE sbtest1 SET k=k+1 WHERE id=5\t"
                                    "INSERT IGNORE INTO `sbtest`.`_sbtest1_new` SELECT ..."),
                              (130.1, "--"), (150, "--")]))
    state_db(os.path.join(d, "load-lockstep.state.db"))

    # 3: the backlog run: stopped at 200 while 30 s of load ran, continued at 231.
    backlog = lockstep_log(195, 50, 10)
    if not finished:
        backlog = [line for line in backlog if "verifying -> ready" not in line[1]
                   and "cut" not in line[1] and "checksum passed" not in line[1]]
    # The copy waits for the applier after SIGCONT; the stream stalls once.
    backlog += [(231.2, "[info] [dc1] copy waiting: the applier is 15000 transactions behind the binlog"),
                (233.2, "[info] [dc1] copy waiting: the applier is 15000 transactions behind the binlog"),
                (234.0, "[warning] [dc1] binlog: unavailable: dc1: reading the binlog: Lost connection"),
                (235.2, "[info] [dc1] copy waiting: the applier is 9000 transactions behind the binlog"),
                (237.2, "[info] [dc1] copy waiting: the applier is 3000 transactions behind the binlog")]
    write(d, "backlog.log", stamped(backlog))
    result("backlog", 195, 260 if finished else 290, 0 if finished else "timeout")
    time_file("backlog", 61440)
    write(d, "backlog.load.log", ["SQL statistics:", "    queries performed:",
                                  "        write:                           60000",
                                  "    transactions:                        15000  (500.00 per sec.)",
                                  "    total time:                          30.0012s"])
    meta.update({"backlog_stopped_at": f"{T0 + 200:.6f}", "backlog_seq_before": 100,
                 "backlog_seq_after": 15100, "backlog_continued_at": f"{T0 + 231:.6f}"})
    poll = []
    for i, (t, seq) in enumerate([(199, 100), (233, 6000), (235.5, 12000), (238, 15100),
                                  (241, 15100)]):
        poll.append(f"{T0 + t:.3f}\t{int((T0 + t) * 1000)}\tcopying\t{100 * i}\t1-1-{seq}\t{4 * seq}")
    write(d, "backlog.poll", poll)
    write(d, "backlog.locks.log", stamped([(232, "--")]))

    # 2: pt-osc under load, finished.
    write(d, "load-ptosc.load.log", stamped(sysbench_log(300, 60)))
    write(d, "load-ptosc.log", stamped([(322, "Copying approximately 1000 rows..."),
                                        (330, "Copied rows OK."),
                                        (331, "Swapped original and new tables OK."),
                                        (332, "Successfully altered `sbtest`.`sbtest1`.")]))
    result("load-ptosc", 321, 332, 0)
    write(d, "load-ptosc.locks.log", stamped([(303, "counters 1000 10 0"), (320, "counters 1170 20 0"),
                                              (323, "counters 1200 30 1"), (329, "counters 1500 90 4")]))
    write(d, "meta.env", [f"{k}={v}" for k, v in meta.items()])


def break_time_file(d, tag):
    """A peak-RSS line that is not a number: the summary cannot read it."""
    write(d, tag + ".time", ["\tMaximum resident set size (kbytes): lots"])


def summarize(d):
    return subprocess.run([sys.executable, SUMMARY, d], capture_output=True, text=True, timeout=60)


class SummaryTest(unittest.TestCase):
    def run_on(self, finished):
        with tempfile.TemporaryDirectory() as d:
            craft(d, finished)
            done = summarize(d)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stderr, "")
        self.assertIn("; buffer pool 1024 MiB;", done.stdout)
        for section in ("## 1. Idle", "## 2. Under sysbench", "## 3. Applier on a backlog",
                        "## 4. lockstep peak RSS"):
            self.assertIn(section, done.stdout)
        # Section 4 lists every run, with its peak RSS (small: 20 MiB).
        self.assertIn("| 100 rows, idle | 20.0 MiB |", done.stdout)
        self.assertIn("| 1000 rows, backlog run | 60.0 MiB |", done.stdout)
        return done.stdout

    def test_finished_run(self):
        out = self.run_on(finished=True)
        self.assertNotIn("did not finish", out)
        self.assertIn("| lockstep | copy (20.0 s) |", out)
        # Lock waits from the counters' deltas inside each window, for both tools.
        self.assertIn("row-lock waits in the baseline: 180 waits (10.0/s), 540 ms waited in all, "
                      "1 deadlocks over 18 s", out)
        self.assertIn("row-lock waits during the copy: 360 waits (20.0/s), 1080 ms waited in all, "
                      "3 deadlocks over 18 s; 1 detail samples (0.5 s apart), waiter <- blocker, "
                      "samples: app <- copier: 1", out)
        self.assertIn("row-lock waits during the copy: 300 waits (50.0/s), 60 ms waited in all, "
                      "3 deadlocks over 6 s", out)
        self.assertIn("drained at the checkpoint", out)
        self.assertIn("while draining (lockstep's progress lines, every 2 s while the copy waits): "
                      "12000 transactions in 4.0 s = 3000 transactions/s = 12000 row events/s = "
                      "6.00x the load's rate (target >= 3x: met)", out)
        self.assertIn("no progress for 2.0 s between those lines; the binlog stream was "
                      "reconnected 1 time(s) after SIGCONT", out)

    def test_a_second_idle_round_compares_each_tools_best(self):
        with tempfile.TemporaryDirectory() as d:
            craft(d, finished=True)
            # Round 2: pt-osc first (6 s), then lockstep (5 s); round 1 took 7 s each.
            write(d, "idle-ptosc-2.log", stamped([(400, "Copying approximately 1000 rows..."),
                                                  (404, "Copied rows OK."),
                                                  (405, "Swapped original and new tables OK."),
                                                  (405.5, "Successfully altered `sbtest`.`sbtest1`.")]))
            write(d, "idle-ptosc-2.result", [f"{T0 + 400:.6f} {T0 + 406:.6f} 0"])
            write(d, "idle-lockstep-2.log", stamped(lockstep_log(410, 3, 1)))
            write(d, "idle-lockstep-2.result", [f"{T0 + 410:.6f} {T0 + 415:.6f} 0"])
            done = summarize(d)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("| pt-osc, round 2 (first) | 6.0 s (exit 0) |", done.stdout)
        self.assertIn("| lockstep, round 2 (second) | 5.0 s (exit 0) |", done.stdout)
        self.assertIn("| best of each, lockstep / pt-osc | 0.83 | 5.0 s vs 6.0 s (target <= 1: met) |",
                      done.stdout)

    def test_unfinished_windows_say_so_and_the_rest_still_prints(self):
        out = self.run_on(finished=False)
        # The copy under load started and never ended; the whole run did end.
        self.assertIn("| lockstep | copy (did not finish) | did not finish |", out)
        self.assertIn("row-lock waits during the copy: did not finish; from its start", out)
        self.assertIn("row-lock waits during the checksum: n/a (the window never started)", out)
        self.assertIn("| lockstep | whole run (55.0 s) |", out)
        self.assertIn("lockstep under load: exit timeout", out)
        # The backlog run's checksum never ended; the backlog was still measured.
        self.assertIn("checksum did not finish", out)
        self.assertIn("drained at the checkpoint", out)
        self.assertIn("| 1000 rows, under load | 50.0 MiB | 55.0 s (exit timeout) |", out)

    def test_a_section_that_cannot_be_read_says_so_and_the_next_still_print(self):
        with tempfile.TemporaryDirectory() as d:
            craft(d, finished=False)
            break_time_file(d, "idle-lockstep")
            done = summarize(d)
        self.assertEqual(done.returncode, 1, done.stdout)
        self.assertIn("could not summarize: ## 1. Idle", done.stderr)
        self.assertIn("ValueError", done.stderr)
        out = done.stdout
        self.assertIn("(this section could not be summarized: ValueError:", out)
        self.assertIn("| lockstep | copy (did not finish) | did not finish |", out)
        self.assertIn("drained at the checkpoint", out)
        self.assertIn("| 100 rows, idle | 20.0 MiB |", out)


if __name__ == "__main__":
    unittest.main()
