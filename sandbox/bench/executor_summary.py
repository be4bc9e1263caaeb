#!/usr/bin/env python3
"""The summary of a sandbox/bench/executor run, from the logs it kept.

Usage: sandbox/bench/executor_summary.py LOG_DIR

sandbox/bench/executor prints it at the end of a run (and saves it as
LOG_DIR/summary.txt); run it again on a kept log dir to re-read a run.

A run may end unfinished (a migration ended after MIGRATION_TIMEOUT, a tool
that failed): a window that started and has no end is reported as "did not
finish", a missing one as "n/a", and a section that still cannot be read says
so and the next one prints."""
import functools, os, re, sqlite3, statistics, sys, traceback
out = sys.argv[1]
meta = {}
for line in open(os.path.join(out, "meta.env")):
    k, _, v = line.rstrip("\n").partition("=")
    meta[k] = v

def read(name):
    p = os.path.join(out, name)
    return open(p, errors="replace").read().splitlines() if os.path.exists(p) else []

def stamped(name):
    rows = []
    for line in read(name):
        ts, _, text = line.partition(" ")
        try:
            rows.append((float(ts), text))
        except ValueError:
            pass
    return rows

def result(tag):
    lines = read(tag + ".result")
    if not lines:
        return None, None, "missing"
    try:
        start, end, rc = lines[-1].split()[:3]
        return float(start), float(end), rc
    except ValueError:
        return None, None, "unreadable: " + lines[-1][:60]

def first(rows, pattern):
    for ts, text in rows:
        m = re.search(pattern, text)
        if m:
            return ts, m
    return None, None

# What a window that started and has no end shows instead of figures.
UNFINISHED = "did not finish"

def dur(a, b):
    if a is None:
        return "n/a"
    return UNFINISHED if b is None else f"{b - a:.1f} s"

def num(x, f="{:.1f}"):
    return f.format(x) if x is not None else "n/a"

def rss_mb(tag):
    for line in read(tag + ".time"):
        if "Maximum resident set size" in line:
            return int(line.split(":")[1]) / 1024
    return None

@functools.lru_cache(maxsize=None)
def lockstep_run(tag):
    rows = stamped(tag + ".log")
    start, end, rc = result(tag)
    r = {"start": start, "end": end, "rc": rc, "rss": rss_mb(tag),
         "wall": end - start if start is not None else None}
    r["copy_start"], _ = first(rows, r"-> copying")
    r["copy_end"], m = first(rows, r"copy done: (\d+) rows at (\d+) rows/s")
    r["copied"], r["rows_s"] = (int(m[1]), int(m[2])) if m else (None, None)
    r["verify_start"], _ = first(rows, r"-> verifying")
    r["verify_end"], _ = first(rows, r"verifying -> ready")
    r["phases"] = (f"plan {dur(start, first(rows, r'-> shadow_created')[0])}, "
                   f"copy {dur(r['copy_start'], r['copy_end'])}, "
                   f"checksum {dur(r['verify_start'], r['verify_end'])}, "
                   f"cut-over {dur(r['verify_end'], first(rows, r'-> cut_over')[0])}")
    _, m = first(rows, r"checksum passed: .*")
    r["checksum"] = m[0] if m else "no 'checksum passed' line"
    _, m = first(rows, r"cut over: writes held (\d+) ms.*")
    r["held_ms"] = int(m[1]) if m else None
    r["cutover"] = m[0] if m else "no 'cut over' line"
    r["errors"] = [t for _, t in rows if re.search(r"\b(error|warn|warning|failed)\b|^lockstep run:|^Command", t)]
    r["outcomes"], r["attempts"] = "n/a", "n/a"
    db = os.path.join(out, tag + ".state.db")
    if os.path.exists(db):
        try:
            c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            counts = {}
            for (msg,) in c.execute("SELECT message FROM events WHERE kind = 'checksum_chunk'"):
                counts[msg.split(" ")[0]] = counts.get(msg.split(" ")[0], 0) + 1
            r["outcomes"] = ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) or "every chunk matched at once"
            r["attempts"] = "; ".join(f"#{n} {d}" + (f" ({why[:160]})" if d != "commit" else "")
                                      for n, d, why in c.execute(
                                          "SELECT attempt_no, decision, reason FROM cutover_attempts ORDER BY id"))
        except sqlite3.Error as e:
            r["outcomes"] = r["attempts"] = f"unreadable {tag}.state.db ({e})"
    r["last"] = rows[-1][1] if rows else ""
    return r

def who(q):
    if "_sbtest1_new" in q:
        if q.startswith("INSERT IGNORE"):
            return "copier"
        if q.startswith("DELETE") or (q.startswith("INSERT INTO") and "VALUES" in q):
            return "applier"
        return "lockstep:" + q[:25]
    if re.match(r"(UPDATE|DELETE FROM|INSERT INTO) sbtest1\b", q):
        return "app"
    return "lockstep checksum" if re.search(r"FOR SHARE|LOCK IN SHARE MODE", q) else (q[:30] or "(idle in a transaction)")

def locks(tag, lo, hi):
    """Row-lock waits inside [lo, hi], from the lock sampler's log: the deltas
    of the server's counters (sampled every second), and where it sampled
    them (LOCK_DETAIL=1) who waited for whom. A window with no end: from its
    start to the end of the run (the sampler stopped with the run)."""
    if lo is None:
        return "n/a (the window never started)"
    if hi is None:
        return f"{UNFINISHED}; from its start to the end of the run: {locks(tag, lo, float('inf'))}"
    counters, samples, waits, cur = [], 0, {}, set()
    for ts, text in stamped(tag + ".locks.log"):
        if not (lo <= ts <= hi):
            continue
        parts = text.split()
        if len(parts) == 4 and parts[0] == "counters" and all(p.isdigit() for p in parts[1:]):
            counters.append((ts, *map(int, parts[1:])))
            continue
        if text == "--":
            samples += 1
            for pair in cur:
                waits[pair] = waits.get(pair, 0) + 1
            cur = set()
            continue
        parts = text.split("\t")
        if len(parts) == 3:
            cur.add((who(parts[1]), who(parts[2])))
    if len(counters) < 2:
        said = "no lock counters"
    else:
        (t0, w0, ms0, d0), (t1, w1, ms1, d1) = counters[0], counters[-1]
        secs = max(t1 - t0, 1e-9)
        said = (f"{w1 - w0} waits ({(w1 - w0) / secs:.1f}/s), {ms1 - ms0} ms waited in all, "
                f"{d1 - d0} deadlocks over {secs:.0f} s")
    if samples:
        top = sorted(waits.items(), key=lambda kv: -kv[1])[:6]
        said += (f"; {samples} detail samples (0.5 s apart), waiter <- blocker, samples: " +
                 (", ".join(f"{a} <- {b}: {n}" for (a, b), n in top) or "no lock waits seen"))
    return said

@functools.lru_cache(maxsize=None)
def ptosc_run(tag):
    rows = stamped(tag + ".log")
    start, end, rc = result(tag)
    r = {"start": start, "end": end, "rc": rc, "wall": end - start if start is not None else None}
    r["copy_start"], _ = first(rows, r"Copying approximately")
    r["copy_end"], _ = first(rows, r"Copied rows OK")
    r["swapped"], _ = first(rows, r"Swapped original and new tables OK")
    r["ok"] = any("Successfully altered" in t for _, t in rows)
    r["errors"] = [t for _, t in rows if re.search(r"[Ee]rror|DBD::|died|failed", t)]
    return r

@functools.lru_cache(maxsize=None)
def load(tag):
    rows = stamped(tag + ".load.log")
    t0, _ = first(rows, r"Threads started!")
    secs = []
    for ts, text in rows:
        m = re.match(r"\[ (\d+)s \] thds: (\d+) tps: ([\d.]+) .*lat \(ms,95%\): ([\d.]+) err/s: ([\d.]+)", text)
        if m and t0 is not None:
            n = int(m[1])
            secs.append((t0 + n - 1, t0 + n, float(m[3]), float(m[4]), float(m[5])))
    fatal = [t for _, t in rows if re.search(r"FATAL|ALERT|returned error", t)]
    return {"t0": t0, "secs": secs, "fatal": fatal}

def window(ld, lo, hi):
    """The 1 s reports that fall entirely inside [lo, hi]; UNFINISHED when
    the window started and has no end, None when it never started."""
    if lo is None:
        return None
    if hi is None:
        return UNFINISHED
    sel = [s for s in ld["secs"] if s[0] >= lo - 0.05 and s[1] <= hi + 0.05]
    if not sel:
        return None
    tps = [s[2] for s in sel]
    p95 = [s[3] for s in sel]
    return {"n": len(sel), "tps": statistics.mean(tps), "min_tps": min(tps),
            "p95": statistics.median(p95), "max_p95": max(p95), "err": sum(s[4] for s in sel)}

def measured(w):
    return isinstance(w, dict)

def fmt_w(w):
    if w == UNFINISHED:
        return w
    if not measured(w):
        return "n/a (no whole second inside)"
    return (f"{w['tps']:.0f} TPS (lowest second {w['min_tps']:.0f}), p95 {w['p95']:.2f} ms "
            f"(worst second {w['max_p95']:.1f}), {w['n']} s, errors {w['err']:.0f}")

def ratio(w, base):
    if not measured(w) or not measured(base) or not base["tps"] or not base["p95"]:
        return "n/a"
    return f"TPS {100 * w['tps'] / base['tps']:.0f}%, p95 {w['p95'] / base['p95']:.2f}x"

def verdict(w, base):
    if w == UNFINISHED:
        return f"n/a ({UNFINISHED})"
    if not measured(w) or not measured(base):
        return "n/a"
    ok_tps = w["tps"] >= 0.8 * base["tps"]
    ok_p95 = w["p95"] <= 2 * base["p95"]
    return ("met" if ok_tps and ok_p95 else "MISSED") + \
        f" (TPS>=80%: {'yes' if ok_tps else 'no'}, p95<=2x: {'yes' if ok_p95 else 'no'})"

P = print
failed = []

def section(title, body):
    """Prints one section. An error in it is reported there (and its traceback
    on stderr), and the next section still prints."""
    P(title)
    try:
        body()
    except Exception as e:
        failed.append(title.strip())
        traceback.print_exc()
        P(f"(this section could not be summarized: {type(e).__name__}: {e}; see the logs in {out})")

def buffer_pool():
    """The server's innodb_buffer_pool_size, recorded in bytes."""
    v = meta.get("buffer_pool", "")
    if not v.isdigit():
        return "not recorded (runs before it was: 128M)"
    return f"{int(v) / 1048576:.0f} MiB"

def base_window(tag, r):
    """The load's baseline: its 1 s reports before the migration started."""
    ld = load(tag)
    return window(ld, ld["t0"] + 2, r["start"]) if ld["t0"] and r["start"] else None

P("")
P(f"# lockstep executor benchmark, {meta.get('started', '?')} .. {meta.get('finished', '?')}")
P(f"# {meta.get('mariadb')}; {meta.get('ptosc')}; lockstep {meta.get('lockstep_commit')}; "
  f"{meta.get('nproc')} cores; {meta.get('rows')} rows; {meta.get('threads')} load threads, ignoring "
  f"errors {meta.get('ignore_errors')}; buffer pool {buffer_pool()}; logs in {out}")

def idle():
    il = lockstep_run("idle-lockstep")
    ip = ptosc_run("idle-ptosc")
    P("| tool | wall | detail |")
    P("|---|---|---|")
    P(f"| lockstep | {num(il['wall'])} s (exit {il['rc']}) | {il['phases']}; copy at "
      f"{num(il['rows_s'], '{}')} rows/s; {il['checksum']}; {il['cutover']} |")
    P(f"| pt-osc | {num(ip['wall'])} s (exit {ip['rc']}) | copy {dur(ip['copy_start'], ip['copy_end'])}; "
      f"tables swapped at {dur(ip['start'], ip['swapped'])}, then it drops the old table |")
    if il["wall"] and ip["wall"]:
        P(f"| lockstep / pt-osc | {il['wall'] / ip['wall']:.2f} | |")
    # Round 2, in the other order (pt-osc first), when the run has one.
    if os.path.exists(os.path.join(out, "idle-lockstep-2.log")):
        il2, ip2 = lockstep_run("idle-lockstep-2"), ptosc_run("idle-ptosc-2")
        P(f"| pt-osc, round 2 (first) | {num(ip2['wall'])} s (exit {ip2['rc']}) | copy "
          f"{dur(ip2['copy_start'], ip2['copy_end'])} |")
        P(f"| lockstep, round 2 (second) | {num(il2['wall'])} s (exit {il2['rc']}) | {il2['phases']}; "
          f"copy at {num(il2['rows_s'], '{}')} rows/s |")
        walls_l = [w for w in (il["wall"], il2["wall"]) if w]
        walls_p = [w for w in (ip["wall"], ip2["wall"]) if w]
        if walls_l and walls_p:
            ratio = min(walls_l) / min(walls_p)
            P(f"| best of each, lockstep / pt-osc | {ratio:.2f} | {min(walls_l):.1f} s vs "
              f"{min(walls_p):.1f} s (target <= 1: {'met' if ratio <= 1 else 'MISSED'}) |")
    same = bool(meta.get("idle_old")) and meta.get("idle_old") == meta.get("idle_new")
    P(f"lockstep idle: chunks not matching at the first compare: {il['outcomes']}; cut-over attempts: {il['attempts']}")
    P(f"\nIdle check (COUNT, BIT_XOR of CRC32 of id,k,c,pad): _sbtest1_old {meta.get('idle_old')}, "
      f"sbtest1 {meta.get('idle_new')}: {'identical' if same else 'DIFFERENT'}")

section(f"\n## 1. Idle: ADD COLUMN on {meta.get('rows')} rows", idle)

def under_load():
    P("| run | window | application | vs its baseline | target |")
    P("|---|---|---|---|---|")
    for tag, kind in (("load-lockstep", "lockstep"), ("load-ptosc", "pt-osc")):
        ld = load(tag)
        r = lockstep_run(tag) if kind == "lockstep" else ptosc_run(tag)
        base = base_window(tag, r)
        cw = window(ld, r["copy_start"], r["copy_end"])
        mw = window(ld, r["start"], r["end"])
        P(f"| {kind} | baseline, before it | {fmt_w(base)} | | |")
        P(f"| {kind} | copy ({dur(r['copy_start'], r['copy_end'])}) | {fmt_w(cw)} | {ratio(cw, base)} | "
          f"{verdict(cw, base) if kind == 'lockstep' else ''} |")
        if kind == "lockstep":
            vw = window(ld, r["verify_start"], r["verify_end"])
            P(f"| {kind} | checksum ({dur(r['verify_start'], r['verify_end'])}) | {fmt_w(vw)} | {ratio(vw, base)} | |")
        P(f"| {kind} | whole run ({dur(r['start'], r['end'])}) | {fmt_w(mw)} | {ratio(mw, base)} | |")
    P("")
    for tag in ("load-lockstep", "load-ptosc"):
        ld = load(tag)
        if tag == "load-lockstep":
            r = lockstep_run(tag)
            P(f"lockstep under load: exit {r['rc']}; {r['phases']}; copy {num(r['rows_s'], '{}')} rows/s, "
              f"{r['checksum']} (chunks not matching at the first compare: {r['outcomes']}), {r['cutover']}, "
              f"cut-over attempts: {r['attempts']}; peak RSS {num(r['rss'])} MiB; last line: {r['last']}")
            P(f"  row-lock waits in the baseline: {locks(tag, ld['t0'], r['start'])}")
            P(f"  row-lock waits during the copy: {locks(tag, r['copy_start'], r['copy_end'])}")
            P(f"  row-lock waits during the checksum: {locks(tag, r['verify_start'], r['verify_end'])}")
        else:
            r = ptosc_run(tag)
            P(f"pt-osc under load: exit {r['rc']}, 'Successfully altered': {r['ok']}")
            P(f"  row-lock waits in the baseline: {locks(tag, ld['t0'], r['start'])}")
            P(f"  row-lock waits during the copy: {locks(tag, r['copy_start'], r['copy_end'])}")
        for e in r["errors"][:6]:
            P(f"  {tag} log: {e}")
        for e in ld["fatal"][:6]:
            P(f"  {tag} sysbench: {e}")

section(f"\n## 2. Under sysbench oltp_write_only, {meta.get('threads')} threads "
        "(TPS: mean of the 1 s reports inside the window; p95: median of their p95s)", under_load)

def seq_of(gtid):
    for item in (gtid or "").split(","):
        p = item.split("-")
        if len(p) == 3 and p[0] == "1":
            return int(p[2])
    return 0

def backlog():
    bl = lockstep_run("backlog")
    text = "\n".join(read("backlog.load.log"))
    m_w = re.search(r"write:\s+(\d+)", text)
    m_t = re.search(r"transactions:\s+(\d+)\s+\(([\d.]+) per sec", text)
    m_time = re.search(r"total time:\s+([\d.]+)s", text)
    poll = [l.split("\t") for l in read("backlog.poll")]
    target = int(meta.get("backlog_seq_after") or 0)
    cont = float(meta.get("backlog_continued_at") or 0)
    if not (m_w and m_t and m_time and poll and cont):
        P("no backlog measurement (see backlog.log, backlog.load.log, backlog.poll)")
        return
    writes, trx, secs = int(m_w[1]), int(m_t[1]), float(m_time[1])
    per_trx = writes / trx
    produced = writes / secs
    poll = [p for p in poll if len(p) == 6]
    before = [p for p in poll if float(p[0]) < cont]
    # Checkpoints after SIGCONT: (updated_at s, applied seq, applier rows, phase).
    after = [(int(p[1]) / 1000, seq_of(p[4]), int(p[5]), p[2]) for p in poll if float(p[0]) >= cont]
    seq0 = seq_of(before[-1][4]) if before else 0
    rows0 = int(before[-1][5]) if before else 0
    base_lock = base_window("load-lockstep", lockstep_run("load-lockstep"))
    base_rate = base_lock["tps"] * per_trx if measured(base_lock) else 0
    ref_rate = max(produced, base_rate)
    P(f"backlog: {trx} transactions, {writes} row events (sysbench writes, {per_trx:.1f} per transaction) "
      f"in {secs:.1f} s while lockstep was stopped = {produced:.0f} row events/s; the load run's "
      f"baseline: {base_rate:.0f} row events/s")
    P(f"GTID seq (domain 1): applied at the last checkpoint before the stop {seq0}, binlog after the "
      f"load {target}: {target - seq0} transactions to apply, with the copy running on")
    copied = {int(p[1]) / 1000: int(p[3]) for p in poll}
    picks, nxt = [(cont, seq0, None)], 2.5
    for t, q, _, ph in after:
        if t - cont >= nxt or (q >= target and picks[-1][1] < target):
            picks.append((t, min(q, target), copied.get(t)))
            nxt = (t - cont) + 2.5
    P("applier (transactions/s) and copier (rows/s) between checkpoints about 2.5 s apart, "
      "from SIGCONT until the backlog was applied: " +
      ", ".join(f"{a[0] - cont:.1f}-{b[0] - cont:.1f} s: {(b[1] - a[1]) / (b[0] - a[0]):.0f} trx/s"
                + (f", {(b[2] - a[2]) / (b[0] - a[0]):.0f} rows/s" if a[2] is not None and b[2] is not None else "")
                for a, b in zip(picks, picks[1:]) if a[1] < target and b[0] > a[0]))
    drained = next((c for c in after if c[1] >= target), None)
    behind = [c for c in after if c[1] < target]
    end = drained or (behind[-1] if behind else None)
    if end and end[0] > cont:
        applied = min(end[1], target) - seq0
        took = end[0] - cont
        rate = applied * per_trx / took
        net = end[2] - rows0
        how = "drained" if drained else "still behind (the copy ended first)"
        P(f"{how} at the checkpoint {took:.2f} s after SIGCONT: {applied} transactions = "
          f"{applied * per_trx:.0f} row events in {took:.2f} s = {rate:.0f} row events/s "
          f"({applied / took:.0f} transactions/s; applier rows, netted per batch, {net / took:.0f}/s)"
          + (" (a lower bound: drained somewhere before that checkpoint)" if drained else ""))
        P(f"row-lock waits from SIGCONT to that checkpoint: {locks('backlog', cont, end[0])}")
        if ref_rate > 0:
            P(f"ratio to the load's rate ({ref_rate:.0f} row events/s): {rate / ref_rate:.2f}x "
              f"(target >= 3x: {'met' if rate >= 3 * ref_rate else 'MISSED'})")
        if rate > 0 and net / took < 0.1 * rate:
            P("note: the applier applied few of these rows: it left the changes of rows the copy "
              "had not read yet to the copy (copy frontier), so this is how fast it kept up with "
              "the binlog, not how fast it applies")
    else:
        P("no checkpoint after SIGCONT: see backlog.poll")
    drain_from_progress_lines(cont, per_trx, ref_rate)
    P(f"lockstep after the backlog: exit {bl['rc']}; {bl['phases']} (the copy includes the "
      f"{meta.get('backlog_time')} s stop); {bl['checksum']} (not matching at once: {bl['outcomes']}); "
      f"{bl['cutover']}; attempts: {bl['attempts']}")
    for e in bl["errors"][:6]:
        P(f"  backlog log: {e}")

def drain_from_progress_lines(cont, per_trx, ref_rate):
    """The drain rate from lockstep's own lines while its copy waits for the
    applier ("copy waiting: the applier is N transactions behind", every 2 s),
    counted only between lines that show progress: after a long SIGSTOP the
    binlog stream can stall until lockstep's read timeout reconnects it, which
    the checkpoint figure above includes."""
    pattern = re.compile(r"copy waiting: the applier is (\d+) transactions behind")
    waits = [(t, int(m[1])) for t, text in stamped("backlog.log") if t >= cont
             for m in [pattern.search(text)] if m]
    steps = list(zip(waits, waits[1:]))
    moving = [(a, b) for a, b in steps if b[1] < a[1]]
    if not moving:
        P("no applier progress lines after SIGCONT (the copy never waited for the applier "
          "for 2 s or more)")
        return
    took = sum(b[0] - a[0] for a, b in moving)
    applied = sum(a[1] - b[1] for a, b in moving)
    stalled = sum(b[0] - a[0] for a, b in steps if b[1] >= a[1])
    rate = applied / took * per_trx
    reconnects = sum(1 for t, text in stamped("backlog.log") if t >= cont and "binlog: unavailable" in text)
    P(f"while draining (lockstep's progress lines, every 2 s while the copy waits): {applied} "
      f"transactions in {took:.1f} s = {applied / took:.0f} transactions/s = {rate:.0f} row events/s"
      + (f" = {rate / ref_rate:.2f}x the load's rate (target >= 3x: "
         f"{'met' if rate >= 3 * ref_rate else 'MISSED'})" if ref_rate > 0 else ""))
    if stalled > 0:
        P(f"no progress for {stalled:.1f} s between those lines"
          + (f"; the binlog stream was reconnected {reconnects} time(s) after SIGCONT" if reconnects else ""))

section("\n## 3. Applier on a backlog", backlog)

def rss():
    P("| run | peak RSS | wall |")
    P("|---|---|---|")
    for label, tag in ((f"{meta.get('small_rows')} rows, idle", "small"),
                       (f"{meta.get('rows')} rows, idle", "idle-lockstep"),
                       (f"{meta.get('rows')} rows, under load", "load-lockstep"),
                       (f"{meta.get('rows')} rows, backlog run", "backlog")):
        r = lockstep_run(tag)
        P(f"| {label} | {num(r['rss'])} MiB | {num(r['wall'])} s (exit {r['rc']}) |")

section("\n## 4. lockstep peak RSS (/usr/bin/time -v, Maximum resident set size)", rss)

if failed:
    print(f"executor_summary: could not summarize: {', '.join(failed)}", file=sys.stderr)
    sys.exit(1)
