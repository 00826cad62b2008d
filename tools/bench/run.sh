#!/usr/bin/env bash
# Rollbook's benchmark (README "Performance"; PRODUCT.md section 11).
#
# Usage: tools/bench/run.sh [--years "1 6"] [--runs N] [--regenerate]
#
# Builds release, generates the data sets with tools/bench/generate.py (once; under build/bench/, never
# in git), then times each figure as a whole command: several runs, the median. The same import and
# per-pupil figures go through sqlite3 on the same CSV in the same run, with ratios. Peak memory comes
# from /usr/bin/time -v when it is installed (apt-get install time). Needs bash, python3, awk and,
# for the comparison, sqlite3; hyperfine is not needed.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
years_list="1 6"
runs=5
regenerate=0
while [ $# -gt 0 ]; do
  case "$1" in
    --years) years_list="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --regenerate) regenerate=1; shift ;;
    *) echo "usage: tools/bench/run.sh [--years \"1 6\"] [--runs N] [--regenerate]" >&2; exit 64 ;;
  esac
done

echo "== build (release)" >&2
swift build -c release --product rollbook >&2
swift build -c release --product rollbook-replay >&2
swift build -c release --product rollbook-bench >&2
bin="$root/.build/release"
work="$root/build/bench"
mkdir -p "$work"
export ROLLBOOK_AUTHOR="Bench Runner" ROLLBOOK_POSITION="Attendance Officer"
unset ROLLBOOK_LEDGER

have_time=0
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then have_time=1; fi
have_sqlite=0
if command -v sqlite3 >/dev/null 2>&1; then have_sqlite=1; fi

now_ns() { date +%s%N; }
# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan" } else if (NR % 2) { print v[(NR + 1) / 2] } else { print (v[NR / 2] + v[NR / 2 + 1]) / 2 } }'; }
# time_ms N SETUP COMMAND...: runs SETUP (a shell snippet, untimed) then COMMAND, N times; prints the median
# wall time in ms. The median CPU time (user + system, from /usr/bin/time when installed) goes to $work/last.cpu.
time_ms() {
  local n="$1" setup="$2"; shift 2
  local i t0 t1
  : > "$work/cpu.list"
  for ((i = 0; i < n; i++)); do
    eval "$setup"
    if [ "$have_time" = 1 ]; then
      t0=$(now_ns); /usr/bin/time -f "%U %S" -o "$work/cpu.one" "$@" >/dev/null 2>"$work/last.err" || { cat "$work/last.err" >&2; echo "FAILED: $*" >&2; exit 1; }
      t1=$(now_ns)
      awk '{ printf "%d\n", ($1 + $2) * 1000000 }' "$work/cpu.one" >> "$work/cpu.list"
    else
      t0=$(now_ns); "$@" >/dev/null 2>"$work/last.err" || { cat "$work/last.err" >&2; echo "FAILED: $*" >&2; exit 1; }
      t1=$(now_ns)
    fi
    echo $(( (t1 - t0) / 1000 ))
  done | median | awk '{ printf "%.1f", $1 / 1000 }'
  if [ -s "$work/cpu.list" ]; then median < "$work/cpu.list" | awk '{ printf "%.1f", $1 / 1000 }' > "$work/last.cpu"; else echo "n/a" > "$work/last.cpu"; fi
}
cpu() { cat "$work/last.cpu"; }
# peak_kb COMMAND...: maximum resident set size in kB, or "n/a" without /usr/bin/time.
peak_kb() {
  if [ "$have_time" = 1 ]; then
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }'
  else
    echo "n/a"
  fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "n/a" }'; }
verdict() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN { ok = (dir == "<") ? (v < t) : (v >= t); print ok ? "MET" : "not met" }'; }

echo "== machine"
echo "cpus (nproc): $(nproc); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "swift: $(swift --version 2>/dev/null | head -1)"
[ "$have_time" = 1 ] || echo "note: /usr/bin/time is not installed (apt-get install time): peak memory is not measured"
[ "$have_sqlite" = 1 ] || echo "note: sqlite3 is not installed: no comparison"
echo "runs per figure: $runs (median)"

start_ms=$(time_ms "$runs" ":" "$bin/rollbook" --help)
echo "process start (rollbook --help): $start_ms ms (cpu $(cpu) ms)"
replay_start_ms=$(time_ms "$runs" ":" "$bin/rollbook-replay" --help)
echo "process start (rollbook-replay --help): $replay_start_ms ms (cpu $(cpu) ms)"

for years in $years_list; do
  data="$work/${years}y"
  if [ "$regenerate" = 1 ] || [ ! -f "$data/summary.json" ]; then
    echo "== generating $years year(s) into $data" >&2
    python3 tools/bench/generate.py "$data" --years "$years" >&2
  fi
  ledger="$data/ledger"
  events=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['events'])" "$data/summary.json")
  marks=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['marks'])" "$data/summary.json")
  bytes=$(cat "$ledger"/segments/*.jsonl | wc -c)
  first=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['last_year_first_day'])" "$data/summary.json")
  last=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['last_year_last_day'])" "$data/summary.json")
  csv_rows=$(($(wc -l < "$data/marks.csv") - 1))
  upn=$(sed -n 2p "$data/pupils.csv" | cut -d, -f1)
  group=$(sed -n 2p "$data/pupils.csv" | cut -d, -f6)
  day="2025-03-12"
  echo
  echo "== $years academic year(s): $events events, $marks marks, $((bytes / 1048576)) MiB of log"

  # 1. Verify + replay into every projection.
  replay_ms=$(time_ms "$runs" ":" "$bin/rollbook-bench" replay "$ledger"); replay_cpu=$(cpu)
  inproc=$("$bin/rollbook-bench" replay "$ledger")
  sha=$("$bin/rollbook-bench" sha "$ledger")
  verify_ms=$(time_ms "$runs" ":" "$bin/rollbook" verify --ledger "$ledger"); verify_cpu=$(cpu)
  eps=$(awk -v e="$events" -v ms="$replay_ms" 'BEGIN { printf "%d", e / (ms / 1000) }')
  eps_cpu=$(awk -v e="$events" -v ms="$replay_cpu" 'BEGIN { if (ms + 0 > 0) printf "%d", e / (ms / 1000); else print "n/a" }')
  echo "verify + replay (rollbook-bench replay, whole command): $replay_ms ms = $eps events/s wall"
  echo "  cpu (user + sys, all cores): $replay_cpu ms = $eps_cpu events per cpu-second [target >= 2000000 on one core: $(verdict "${eps_cpu/n\/a/0}" 2000000 ">=")]"
  echo "  in process: $inproc"
  echo "  bound: $sha"
  echo "  rollbook verify (chain only, whole command): $verify_ms ms (cpu $verify_cpu ms)"

  # 2. Projection memory.
  peak=$(peak_kb "$bin/rollbook-bench" replay "$ledger")
  per_mark=$(echo "$inproc" | sed -n 's/.*bytes_per_mark=\([0-9.]*\).*/\1/p')
  rss_per_mark=$(awk -v kb="$peak" -v m="$marks" 'BEGIN { if (kb ~ /^[0-9]+$/) printf "%.1f", kb * 1024 / m; else print "n/a" }')
  echo "projection memory: mark store $per_mark bytes/mark [target < 64: $(verdict "$per_mark" 64 "<")]; peak RSS of the replay ${peak} kB = $rss_per_mark bytes/mark (all projections, two 2 MiB read blocks, process)"

  # 3. Cold whole-school register for one day; one pupil's session; one durable append.
  register_ms=$(time_ms "$runs" ":" "$bin/rollbook" register --ledger "$ledger" --date "$day")
  echo "one-day whole-school register, cold, no snapshot (rollbook register --date $day): $register_ms ms (cpu $(cpu) ms) [target < 100: $(verdict "$register_ms" 100 "<")]"
  # The auditor's history keeps its own cache outside the ledger (under $XDG_CACHE_HOME): the first query
  # verifies the whole log and builds it; later queries read only what they answer.
  export XDG_CACHE_HOME="$work/xdg-cache-${years}y"
  rm -rf "$XDG_CACHE_HOME"
  if "$bin/rollbook-replay" history --help >/dev/null 2>&1; then
    history=("$bin/rollbook-replay" history --ledger "$ledger" --upn "$upn" --date "$day" --session AM)
    history_label="rollbook-replay history --upn $upn --date $day --session AM"
  else
    history=("$bin/rollbook" register --ledger "$ledger" --date "$day" --session AM --group "$group")
    history_label="no history command in this build; proxy: rollbook register --date $day --session AM --group $group"
  fi
  first_history_ms=$(time_ms 1 ":" "${history[@]}"); first_history_cpu=$(cpu)
  echo "one pupil's session, first query (verifies the log, builds the auditor's cache): $first_history_ms ms (cpu $first_history_cpu ms)"
  history_ms=$(time_ms "$runs" ":" "${history[@]}"); history_cpu=$(cpu)
  history_net=$(awk -v a="$history_ms" -v s="$replay_start_ms" 'BEGIN { printf "%.1f", a - s }')
  echo "one pupil's session, later query ($history_label): $history_ms ms (cpu $history_cpu ms) = $history_net ms plus rollbook-replay's process start [target < 10: $(verdict "$history_net" 10 "<")]"

  copy="$work/append-${years}y"
  rm -rf "$copy"; cp -a --reflink=auto "$ledger" "$copy"
  # The first write on a ledger with no snapshot reads the whole log, appends, then writes DIR/snapshot
  # (a second read of the log and the file): its cost is reported; later writes read only the tail.
  t0=$(now_ns); ROLLBOOK_NOW=2025-08-20T09:00:00.000Z "$bin/rollbook" calendar term --ledger "$copy" --name "Autumn 1 2025" --from 2025-09-01 --to 2025-10-17 >/dev/null; t1=$(now_ns)
  echo "first write without a snapshot (rollbook calendar term; reads the log, appends, writes the snapshot): $(( (t1 - t0) / 1000000 )) ms; snapshot $(( $(stat -c %s "$copy/snapshot" 2>/dev/null || echo 0) / 1024 )) KiB"
  snap_ms=$(time_ms "$runs" ":" "$bin/rollbook" register --ledger "$copy" --date "$day")
  echo "one-day whole-school register, cold, with the snapshot (rollbook register --date $day): $snap_ms ms (cpu $(cpu) ms) [target < 100: $(verdict "$snap_ms" 100 "<")]"
  echo "  snapshot (the page index): $(( $(stat -c %s "$copy/snapshot") / 1048576 )) MiB = $(awk -v b="$(stat -c %s "$copy/snapshot")" -v m="$marks" 'BEGIN { printf "%.1f", b / m }') bytes per mark on disk, mapped, read a page at a time"
  stages_ms=$(time_ms "$runs" ":" "$bin/rollbook" stages --ledger "$copy" --on "$day")
  echo "stages of every pupil on $day, cold, with the snapshot (rollbook stages --on $day): $stages_ms ms (cpu $(cpu) ms) [target < 250: $(verdict "$stages_ms" 250 "<")]"
  worklist_ms=$(time_ms "$runs" ":" "$bin/rollbook" worklist --ledger "$copy" --on "$day")
  echo "worklist on $day, cold, with the snapshot (rollbook worklist --on $day): $worklist_ms ms (cpu $(cpu) ms) [target < 250: $(verdict "$worklist_ms" 250 "<")]"
  # Single marks: more runs than the other figures (each is a few milliseconds); one pupil each, so no
  # run is refused as a repeat. The snapshot is refreshed once every 1,000 events, not within these runs.
  mark_runs=$((runs * 4))
  sed -n "2,$((mark_runs + 1))p" "$data/pupils.csv" | cut -d, -f1 > "$work/append-upns"
  : > "$work/append.wall"; : > "$work/append.cpu"
  for ((i = 0; i < mark_runs; i++)); do
    u=$(sed -n "$((i + 1))p" "$work/append-upns")
    if [ "$have_time" = 1 ]; then
      t0=$(now_ns); ROLLBOOK_NOW=2025-09-01T09:05:00.000Z /usr/bin/time -f "%U %S" -o "$work/cpu.one" "$bin/rollbook" mark --ledger "$copy" --upn "$u" --date 2025-09-01 --session AM --code / >/dev/null; t1=$(now_ns)
      awk '{ printf "%d\n", ($1 + $2) * 1000000 }' "$work/cpu.one" >> "$work/append.cpu"
    else
      t0=$(now_ns); ROLLBOOK_NOW=2025-09-01T09:05:00.000Z "$bin/rollbook" mark --ledger "$copy" --upn "$u" --date 2025-09-01 --session AM --code / >/dev/null; t1=$(now_ns)
    fi
    echo $(( (t1 - t0) / 1000 )) >> "$work/append.wall"
  done
  append_times=$(median < "$work/append.wall" | awk '{ printf "%.1f", $1 / 1000 }')
  append_cpu=$( [ -s "$work/append.cpu" ] && median < "$work/append.cpu" | awk '{ printf "%.1f", $1 / 1000 }' || echo n/a)
  append_net=$(awk -v a="$append_times" -v s="$start_ms" 'BEGIN { printf "%.1f", a - s }')
  echo "one durable single-mark append (rollbook mark, median of $mark_runs): $append_times ms (cpu $append_cpu ms) = $append_net ms plus process start [target < 2: $(verdict "$append_net" 2 "<")]"
  rm -rf "$copy"

  # 4. marks import of the last year's CSV into a fresh ledger (durable), and sqlite3 on the same CSV.
  base="$work/import-base-${years}y"
  if [ ! -f "$base/checkpoint" ] || [ "$base/checkpoint" -ot "$data/summary.json" ]; then
    rm -rf "$base"
    export ROLLBOOK_NOW=2024-08-20T09:00:00.000Z
    "$bin/rollbook" init --ledger "$base" --urn 137000 --name "Bench Park Academy" --la 938 --estab 4001 >/dev/null
    tail -n +2 "$data/terms.csv" | while IFS=, read -r name from to; do
      "$bin/rollbook" calendar term --ledger "$base" --name "$name" --from "$from" --to "$to" >/dev/null
    done
    tail -n +2 "$data/closures.csv" | while IFS=, read -r from to session code reason; do
      if [ -n "$session" ]; then s=(--session "$session"); else s=(); fi
      "$bin/rollbook" calendar closure --ledger "$base" --from "$from" --to "$to" "${s[@]}" --code "$code" --reason "$reason" >/dev/null
    done
    "$bin/rollbook" pupils import --ledger "$base" "$data/pupils.csv" >/dev/null
    unset ROLLBOOK_NOW
  fi
  imported="$work/import-${years}y"
  export ROLLBOOK_NOW=2025-07-31T18:00:00.000Z
  import_ms=$(time_ms "$runs" 'rm -rf "$imported"; cp -a "$base" "$imported"' "$bin/rollbook" marks import --ledger "$imported" "$data/marks.csv"); import_cpu=$(cpu)
  unset ROLLBOOK_NOW
  mps=$(awk -v r="$csv_rows" -v ms="$import_ms" 'BEGIN { printf "%d", r / (ms / 1000) }')
  mps_cpu=$(awk -v r="$csv_rows" -v ms="$import_cpu" 'BEGIN { if (ms + 0 > 0) printf "%d", r / (ms / 1000); else print "n/a" }')
  echo "marks import, durable ($csv_rows rows): $import_ms ms = $mps marks/s wall [target >= 750000: $(verdict "$mps" 750000 ">=")]; cpu $import_cpu ms = $mps_cpu marks per cpu-second"
  figures_ms=$(time_ms "$runs" ":" "$bin/rollbook-bench" figures "$imported" --from "$first" --to "$last"); figures_cpu=$(cpu)
  ours=$("$bin/rollbook-bench" figures "$imported" --from "$first" --to "$last" | tail -1)
  echo "full-year figures per pupil, cold, from the snapshot the import wrote (rollbook-bench figures): $figures_ms ms (cpu $figures_cpu ms) -> $ours"

  if [ "$have_sqlite" = 1 ]; then
    db="$work/sqlite-${years}y.db"
    cat > "$work/import.sql" <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=FULL;
CREATE TABLE marks(upn TEXT NOT NULL, date TEXT NOT NULL, session TEXT NOT NULL, code TEXT NOT NULL, minutes_late INTEGER,
  PRIMARY KEY (upn, date, session)) WITHOUT ROWID;
.mode csv
.import --skip 1 $data/marks.csv marks
SQL
    cat > "$work/figures.sql" <<SQL
CREATE TEMP TABLE codes(code TEXT PRIMARY KEY, possible INT, attend INT, auth INT, unauth INT, late INT);
INSERT INTO codes VALUES ('/',1,1,0,0,0),('\\',1,1,0,0,0),('L',1,1,0,0,1),('K',1,1,0,0,0),('V',1,1,0,0,0),('P',1,1,0,0,0),
 ('W',1,1,0,0,0),('B',1,1,0,0,0),('C1',1,0,1,0,0),('M',1,0,1,0,0),('J1',1,0,1,0,0),('S',1,0,1,0,0),('C2',1,0,1,0,0),('C',1,0,1,0,0),
 ('T',1,0,1,0,0),('R',1,0,1,0,0),('I',1,0,1,0,0),('E',1,0,1,0,0),('G',1,0,0,1,0),('N',1,0,0,1,0),('O',1,0,0,1,0),('U',1,0,0,1,1),
 ('D',0,0,0,0,0),('X',0,0,0,0,0),('Q',0,0,0,0,0),('Y1',0,0,0,0,0),('Y2',0,0,0,0,0),('Y3',0,0,0,0,0),('Y4',0,0,0,0,0),('Y5',0,0,0,0,0),
 ('Y6',0,0,0,0,0),('Y7',0,0,0,0,0),('Z',0,0,0,0,0),('#',0,0,0,0,0);
.mode csv
SELECT count(*), sum(p), sum(a), sum(au), sum(un), sum(l) FROM (
  SELECT upn, sum(possible) p, sum(attend) a, sum(auth) au, sum(unauth) un, sum(late) l
  FROM marks JOIN codes USING (code) WHERE date BETWEEN '$first' AND '$last' GROUP BY upn);
SQL
    sqlite_import_ms=$(time_ms "$runs" 'rm -f "$db" "$db-wal" "$db-shm"' sqlite3 "$db" ".read $work/import.sql"); sqlite_import_cpu=$(cpu)
    sqlite_figures_ms=$(time_ms "$runs" ":" sqlite3 "$db" ".read $work/figures.sql"); sqlite_figures_cpu=$(cpu)
    theirs=$(sqlite3 "$db" ".read $work/figures.sql" | tail -1 | tr -d "\r")
    sqlite_history_ms=$(time_ms "$runs" ":" sqlite3 "$db" "SELECT * FROM marks WHERE upn='$upn' AND date='$day' AND session='AM';")
    echo "sqlite3 import (same CSV, primary key, synchronous=FULL): $sqlite_import_ms ms (cpu $sqlite_import_cpu ms); rollbook speed / sqlite3 speed: $(ratio "$import_ms" "$sqlite_import_ms")x wall, $(ratio "$import_cpu" "$sqlite_import_cpu")x cpu"
    echo "sqlite3 full-year figures per pupil: $sqlite_figures_ms ms (cpu $sqlite_figures_cpu ms) -> $theirs; rollbook speed / sqlite3 speed: $(ratio "$figures_ms" "$sqlite_figures_ms")x wall, $(ratio "$figures_cpu" "$sqlite_figures_cpu")x cpu"
    ours_csv=$(echo "$ours" | cut -d, -f1-6)
    if [ "$ours_csv" = "$theirs" ]; then echo "  figures agree"; else echo "  FIGURES DIFFER: rollbook $ours_csv, sqlite3 $theirs"; fi
    total_ours=$(awk -v a="$import_ms" -v b="$figures_ms" 'BEGIN { printf "%.1f", a + b }')
    total_theirs=$(awk -v a="$sqlite_import_ms" -v b="$sqlite_figures_ms" 'BEGIN { printf "%.1f", a + b }')
    cpu_ours=$(awk -v a="$import_cpu" -v b="$figures_cpu" 'BEGIN { printf "%.1f", a + b }')
    cpu_theirs=$(awk -v a="$sqlite_import_cpu" -v b="$sqlite_figures_cpu" 'BEGIN { printf "%.1f", a + b }')
    echo "import + full-year figures: rollbook $total_ours ms, sqlite3 $total_theirs ms; rollbook is $(ratio "$total_ours" "$total_theirs")x as fast (wall) [target >= 2 (at most half the time): $(verdict "$(ratio "$total_ours" "$total_theirs")" 2 ">=")]; cpu $cpu_ours vs $cpu_theirs ms = $(ratio "$cpu_ours" "$cpu_theirs")x"
    echo "one pupil's session: sqlite3 $sqlite_history_ms ms (indexed lookup, cold process); rollbook/sqlite3 speed ratio $(ratio "$history_ms" "$sqlite_history_ms")x"
    rm -f "$db" "$db-wal" "$db-shm"
  fi
  rm -rf "$imported"
done
