# shellcheck shell=bash disable=SC2034  # variables here are used by the scripts that source it
# lib.sh: code shared by the sandbox scripts. Sourced, never executed.
#
# Layout of one sandbox (P = base port):
#   $SB_ROOT/P/sandbox.env        what `up` created (sourced by the other scripts)
#   $SB_ROOT/P/topology.ini       lockstep topology for this sandbox
#   $SB_ROOT/P/dcK/my.cnf         option file of dcK (the only one mariadbd reads)
#   $SB_ROOT/P/dcK/data|tmp       datadir, tmpdir
#   $SB_ROOT/P/dcK/mariadbd.pid|.sock|error.log
#   $SB_ROOT/P/proxy-dcK.pid|.log delaying proxy in front of dcK (--latency-ms only)
#   $SB_ROOT/.P.lock              serializes up/down of the same base port

SB_ROOT="${LOCKSTEP_SANDBOX_ROOT:-/tmp/lockstep-sandbox}"
SB_DEFAULT_BASE_PORT=23300
SB_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SB_PROXY_SCRIPT="$SB_LIB_DIR/delay_proxy.py"
SB_MESH_SCHEMA=lockstep_sandbox

# Progress on stderr; with SB_T0 set (a sb_now_ms value), prefixed by the time since.
sb_log() {
  if [[ -n ${SB_T0:-} ]]; then printf '[sandbox %5ss] %s\n' "$(sb_elapsed "$SB_T0")" "$*" >&2
  else printf '[sandbox] %s\n' "$*" >&2; fi
}
sb_err() { printf 'sandbox: error: %s\n' "$*" >&2; }
sb_die() { sb_err "$*"; exit 1; }
# Usage errors exit 2, like most CLIs.
sb_usage_die() { printf 'sandbox: %s (see --help)\n' "$*" >&2; exit 2; }

sb_now_ms() { date +%s%3N; }
# Milliseconds since $1 (a sb_now_ms value) as seconds with one decimal.
sb_elapsed() { local d=$(( $(sb_now_ms) - $1 )); printf '%d.%d' $((d / 1000)) $(((d % 1000) / 100)); }

sb_is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

sb_dir() { printf '%s/%s' "$SB_ROOT" "$1"; }

# Validates a base port: P+1 .. P+19 must be usable TCP ports.
sb_check_base_port() {
  sb_is_uint "$1" || sb_usage_die "--base-port must be a number, got '$1'"
  (( $1 >= 1024 && $1 + 19 <= 65535 )) || sb_usage_die "--base-port must be in 1024..65516, got $1"
}

# --dc accepts K or dcK.
sb_parse_dc() {
  local k=${1#dc}
  sb_is_uint "$k" && (( k >= 1 && k <= 9 )) || sb_usage_die "--dc must be 1..9 or dc1..dc9, got '$1'"
  printf '%d' "$k"
}

# ---------------------------------------------------------------- binaries

sb_find_bin() {  # sb_find_bin NAME... : first found in PATH, /usr/sbin, /usr/bin
  local n d
  for n in "$@"; do
    if command -v "$n" >/dev/null 2>&1; then command -v "$n"; return 0; fi
    for d in /usr/sbin /usr/bin /usr/local/sbin /usr/local/bin /usr/libexec; do
      [[ -x $d/$n ]] && { printf '%s\n' "$d/$n"; return 0; }
    done
  done
  return 1
}

# sb_apt_install PKG... : installs Debian packages, running `apt-get update` only
# if the first attempt fails. Never starts or stops services itself.
sb_apt_install() {
  local sudo=()
  if (( EUID != 0 )); then
    command -v sudo >/dev/null 2>&1 || sb_die "need to install $*, but not root and no sudo: install them first"
    sudo=(sudo -n)
  fi
  command -v apt-get >/dev/null 2>&1 || sb_die "need to install $*, but apt-get is not available: install them first"
  sb_log "installing $* with apt-get"
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2; then
    sb_log "apt-get install failed; running apt-get update and retrying"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || sb_die "apt-get update failed"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2 \
      || sb_die "apt-get install $* failed"
  fi
}

# Sets MARIADBD, MARIADB_INSTALL_DB, MARIADB (client); installs MariaDB if missing.
sb_need_mariadb() {
  if ! MARIADBD=$(sb_find_bin mariadbd) || ! MARIADB_INSTALL_DB=$(sb_find_bin mariadb-install-db) \
     || ! MARIADB=$(sb_find_bin mariadb); then
    sb_apt_install mariadb-server mariadb-client
    MARIADBD=$(sb_find_bin mariadbd) || sb_die "mariadbd still not found after installing mariadb-server"
    MARIADB_INSTALL_DB=$(sb_find_bin mariadb-install-db) || sb_die "mariadb-install-db not found"
    MARIADB=$(sb_find_bin mariadb) || sb_die "mariadb client not found"
  fi
}

# Sets MARIADB (client) or dies.
sb_need_client() {
  MARIADB=$(sb_find_bin mariadb mysql) || sb_die "mariadb client not found (apt-get install mariadb-client, or run sandbox/up once)"
}

sb_need_python() {
  PYTHON=$(sb_find_bin python3) || sb_die "python3 not found (needed for the delaying proxy)"
}

# ---------------------------------------------------------------- SQL

# sb_sql PORT SQL [client args...]: runs SQL as root over TCP, batch mode, no headers.
sb_sql() {
  local port=$1 sql=$2; shift 2
  "$MARIADB" --no-defaults -h127.0.0.1 -P"$port" -uroot --connect-timeout=5 -N -B "$@" -e "$sql"
}

# sb_links PORT: one line per multi-source connection, tab separated:
#   name io_running sql_running wild_ignore master_port last_io_error last_sql_error
sb_links() {
  "$MARIADB" --no-defaults -h127.0.0.1 -P"$1" -uroot --connect-timeout=5 -E \
    -e 'SHOW ALL SLAVES STATUS' | awk '
    function emit() {
      printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f["Connection_name"], f["Slave_IO_Running"],
        f["Slave_SQL_Running"], f["Replicate_Wild_Ignore_Table"], f["Master_Port"],
        f["Last_IO_Error"], f["Last_SQL_Error"]
    }
    /^\*+ [0-9]+\. row \*+$/ { if (n) emit(); n = 1; split("", f); next }
    { line = $0; sub(/^ +/, "", line); i = index(line, ":")
      if (i > 0) f[substr(line, 1, i - 1)] = substr(line, i + 2) }
    END { if (n) emit() }'
}

# sb_own_gtid PORT K: the last GTID of domain K (dcK's own writes) in the DC's binlog.
sb_own_gtid() {
  sb_sql "$1" 'SELECT @@gtid_binlog_pos' | tr ',' '\n' | grep -E "^$2-" || true
}

# sb_wait_sync BASE_PORT N [TIMEOUT_S]: waits until every DC has applied every
# other DC's own writes, as of the call (MASTER_GTID_WAIT on the origins'
# domains; filtered transactions count too). Fails fast on a stopped link.
sb_wait_sync() {
  local p=$1 n=$2 timeout=${3:-60} i j want r line io sqlt
  local deadline=$(( $(sb_now_ms) + timeout * 1000 ))
  local -a own=()
  for ((i = 1; i <= n; i++)); do
    own[i]=$(sb_own_gtid $((p + i)) "$i") || return 1
  done
  for ((j = 1; j <= n; j++)); do
    want=""
    for ((i = 1; i <= n; i++)); do
      (( i != j )) && [[ -n ${own[i]} ]] && want+="${want:+,}${own[i]}"
    done
    [[ -n $want ]] || continue
    while :; do
      r=$(sb_sql $((p + j)) "SELECT MASTER_GTID_WAIT('$want', 0.5)") || return 1
      [[ $r == 0 ]] && break
      # Not there yet: is every link still running?
      for ((i = 1; i <= n; i++)); do
        (( i == j )) && continue
        line=$(sb_links $((p + j)) | awk -F'\t' -v c="dc$i" '$1 == c') || true
        if [[ -z $line ]]; then
          sb_err "dc$j has no replication link 'dc$i'"; return 1
        fi
        IFS=$'\t' read -r _ io sqlt _ _ _ _ <<<"$line" || true
        if [[ $sqlt != Yes || $io == No ]]; then
          sb_err "link dc$i -> dc$j is stopped: $(printf '%s' "$line" | cut -f2,3,6,7 | tr '\t' ' ')"
          return 1
        fi
      done
      if (( $(sb_now_ms) > deadline )); then
        sb_err "timeout (${timeout}s) waiting for dc$j to apply $want (it has $(sb_sql $((p + j)) 'SELECT @@gtid_slave_pos'))"
        return 1
      fi
    done
  done
}

# ---------------------------------------------------------------- processes

# sb_pid_matches PID PATTERN: PID is alive (not a zombie) and its command line
# contains PATTERN.
sb_pid_matches() {
  local pid=$1 pat=$2 cmd state
  sb_is_uint "$pid" || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $state == Z ]] && return 1
  cmd=$( { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || return 1
  [[ $cmd == *"$pat"* ]]
}

# The processes a sandbox dir records, one "PID<TAB>PATTERN<TAB>LABEL" per line.
# A pid file counts only if the process's command line carries the sandbox's
# own path (so a reused PID is never touched).
sb_recorded_pids() {
  local dir=$1 f k pid
  for f in "$dir"/dc*/mariadbd.pid; do
    [[ -f $f ]] || continue
    k=$(basename "$(dirname "$f")")
    pid=$(tr -dc '0-9' <"$f")
    [[ -n $pid ]] && printf '%s\t%s\t%s\n' "$pid" "--defaults-file=$dir/$k/my.cnf" "mariadbd $k"
  done
  for f in "$dir"/proxy-dc*.pid; do
    [[ -f $f ]] || continue
    k=$(basename "$f" .pid); k=${k#proxy-}
    pid=$(tr -dc '0-9' <"$f")
    [[ -n $pid ]] && printf '%s\t%s\t%s\n' "$pid" "--pid-file $f" "proxy $k"
  done
  return 0
}

# Prints the labels of the recorded processes that are running.
sb_running() {
  local pid pat label
  while IFS=$'\t' read -r pid pat label; do
    sb_pid_matches "$pid" "$pat" && printf '%s (pid %s)\n' "$label" "$pid"
  done < <(sb_recorded_pids "$1")
  return 0
}

# sb_stop LIST [GRACE_S]: LIST holds "PID<TAB>PATTERN<TAB>LABEL" lines. SIGTERM to
# every matching process (repeated every second: mariadbd loses a SIGTERM that
# arrives early in its startup), wait up to GRACE_S (20), SIGKILL what is left,
# wait until all are gone.
sb_stop() {
  local list=$1 grace=${2:-20} pid pat label alive deadline
  local -a pids=() pats=() labels=()
  while IFS=$'\t' read -r pid pat label; do
    [[ -n $pid ]] || continue
    if sb_pid_matches "$pid" "$pat"; then
      pids+=("$pid"); pats+=("$pat"); labels+=("$label")
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done <<<"$list"
  (( ${#pids[@]} )) || return 0
  deadline=$(( $(sb_now_ms) + grace * 1000 ))
  local i killed=0 polls=0
  while :; do
    alive=0 polls=$((polls + 1))
    for i in "${!pids[@]}"; do
      if sb_pid_matches "${pids[$i]}" "${pats[$i]}"; then
        alive=1
        (( killed || polls % 20 )) || kill -TERM "${pids[$i]}" 2>/dev/null || true
      fi
    done
    (( alive )) || return 0
    if (( ! killed && $(sb_now_ms) > deadline )); then
      for i in "${!pids[@]}"; do
        if sb_pid_matches "${pids[$i]}" "${pats[$i]}"; then
          sb_log "${labels[$i]} (pid ${pids[$i]}) ignored SIGTERM for ${grace}s: SIGKILL"
          kill -KILL "${pids[$i]}" 2>/dev/null || true
        fi
      done
      killed=1; deadline=$(( $(sb_now_ms) + 10000 ))
    elif (( killed && $(sb_now_ms) > deadline )); then
      sb_err "processes still alive after SIGKILL: ${pids[*]}"; return 1
    fi
    sleep 0.05
  done
}

# sb_launch_server SB_DIR K: starts dcK's mariadbd in the background, detached
# (setsid: it must not die with the caller's terminal or process group; fd 9,
# the lock, is not inherited), records its PID in dcK/mariadbd.pid and in
# SB_LAUNCHED_PID. Needs MARIADBD.
sb_launch_server() {
  local d=$1/dc$2
  setsid "$MARIADBD" --defaults-file="$d/my.cnf" </dev/null >>"$d/mariadbd.out" 2>&1 9>&- &
  SB_LAUNCHED_PID=$!
  disown "$SB_LAUNCHED_PID"
  echo "$SB_LAUNCHED_PID" >"$d/mariadbd.pid"
}

# sb_wait_server SB_DIR K PORT PID DEADLINE_MS: waits until dcK answers SELECT 1;
# fails (with the log tail) if the process exits or the deadline passes.
sb_wait_server() {
  local d=$1/dc$2 k=$2 port=$3 pid=$4 deadline=$5
  while ! sb_sql "$port" 'SELECT 1' >/dev/null 2>&1; do
    if ! sb_pid_matches "$pid" "--defaults-file=$d/my.cnf"; then
      tail -n 15 "$d/error.log" "$d/mariadbd.out" >&2 2>/dev/null || true
      sb_err "mariadbd dc$k exited during startup (log above)"; return 1
    fi
    if (( $(sb_now_ms) > deadline )); then
      sb_err "mariadbd dc$k did not accept connections in time"; return 1
    fi
    sleep 0.05
  done
}

# sb_remove_sandbox DIR: rm -rf, one DC dir per background job: on this ext4
# (mounted with discard) deleting a datadir waits on the disk, not the CPU, so
# parallel deletes take about as long as one.
sb_remove_sandbox() {
  local d pids=()
  [[ -e $1 ]] || return 0
  for d in "$1"/dc*/; do
    [[ -d $d ]] || continue
    rm -rf "$d" & pids+=($!)
  done
  (( ${#pids[@]} == 0 )) || wait "${pids[@]}" || true
  rm -rf "$1"
}

# sb_lock BASE_PORT: takes the per-port lock on fd 9 (waits up to 120 s).
sb_lock() {
  mkdir -p "$SB_ROOT" 2>/dev/null || sb_die "cannot create $SB_ROOT"
  # Shared by all users of the machine, like /tmp.
  [[ -O $SB_ROOT ]] && chmod 1777 "$SB_ROOT" 2>/dev/null || true
  SB_LOCK_FILE="$SB_ROOT/.$1.lock"
  exec 9>>"$SB_LOCK_FILE" || sb_die "cannot open lock file $SB_LOCK_FILE"
  if ! flock -n 9; then
    sb_log "waiting for another up/down on base port $1"
    flock -w 120 9 || sb_die "another sandbox command on base port $1 holds $SB_LOCK_FILE"
  fi
}

# sb_load_env BASE_PORT: sources the sandbox.env of a running sandbox.
sb_load_env() {
  local dir; dir=$(sb_dir "$1")
  [[ -f $dir/sandbox.env ]] || sb_die "no sandbox on base port $1 ($dir/sandbox.env missing): run sandbox/up --base-port $1"
  # shellcheck source=/dev/null
  source "$dir/sandbox.env"
}
