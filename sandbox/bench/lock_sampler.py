#!/usr/bin/env python3
"""sandbox/bench/lock_sampler.py PORT [--detail]: row-lock waits while a
benchmark runs, over ONE client connection kept open until SIGTERM.

Every second it prints the server's lock counters:
    counters WAITS WAIT_MS DEADLOCKS
(Innodb_row_lock_waits, Innodb_row_lock_time, Innodb_deadlocks), from which
the summary takes the deltas of any window. With --detail it also prints, every
0.5 s, who waits for whose row lock (waiter id, waiter query, blocker query,
tab-separated), then "--".

Why one connection and counters by default: the benchmark's first sampler ran
a new client process for an INNODB_LOCK_WAITS query every 0.5 s, and that alone
cost the sysbench load 9-26% of its TPS, 18% on average, on the 2-core sandbox
(three pairs of alternating 20 s phases; a client that only ran SELECT 1 cost
12-24%). It ran during lockstep's migrations only, so pt-osc was not charged
for it. The counters cost one status read a second and are sampled for both
tools; the detail query over the kept connection still cost 9-10%, so it is
opt-in (LOCK_DETAIL=1 in sandbox/bench/executor)."""
import signal
import subprocess
import sys
import time

COUNTERS = ("SELECT CONCAT_WS(' ', 'counters', "
            "SUM(IF(VARIABLE_NAME = 'INNODB_ROW_LOCK_WAITS', VARIABLE_VALUE, 0)), "
            "SUM(IF(VARIABLE_NAME = 'INNODB_ROW_LOCK_TIME', VARIABLE_VALUE, 0)), "
            "SUM(IF(VARIABLE_NAME = 'INNODB_DEADLOCKS', VARIABLE_VALUE, 0))) "
            "FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN "
            "('INNODB_ROW_LOCK_WAITS', 'INNODB_ROW_LOCK_TIME', 'INNODB_DEADLOCKS')")
WAITS = ("SELECT r.trx_mysql_thread_id, LEFT(REPLACE(IFNULL(r.trx_query, ''), '\\n', ' '), 120), "
         "LEFT(REPLACE(IFNULL(b.trx_query, ''), '\\n', ' '), 120) "
         "FROM information_schema.INNODB_LOCK_WAITS w "
         "JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id "
         "JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id")
END = "--end-of-answer--"


def main():
    if len(sys.argv) < 2 or not sys.argv[1].isdigit():
        sys.exit("usage: lock_sampler.py PORT [--detail]")
    port, detail = sys.argv[1], "--detail" in sys.argv[2:]
    client = subprocess.Popen(
        ["mariadb", "--no-defaults", "--force", "-h127.0.0.1", "-P" + port, "-uroot", "-N", "-B", "-n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    def ask(query):
        client.stdin.write(f"{query};\nSELECT '{END}';\n")
        client.stdin.flush()
        lines = []
        while True:
            line = client.stdout.readline()
            if not line:
                sys.exit("lock_sampler: the client ended")
            if line.rstrip("\n") == END:
                return lines
            lines.append(line.rstrip("\n"))

    period = 0.5 if detail else 1.0
    tick = 0
    try:
        while True:
            if tick % int(1 / period) == 0:
                print(*ask(COUNTERS), sep="\n", flush=True)
            if detail:
                print(*ask(WAITS), "--", sep="\n", flush=True)
            tick += 1
            time.sleep(period)
    finally:
        try:  # the client may have gone first: it shares the process group
            client.stdin.close()
            client.wait(timeout=5)
        except (BrokenPipeError, subprocess.TimeoutExpired):
            client.kill()


if __name__ == "__main__":
    main()
