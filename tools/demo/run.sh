#!/usr/bin/env bash
# Builds Rollbook and shows it working on the bundled demo ledger (events/demo): a day's register,
# one pupil's amended session, the register as it stood before the amendment, and verification
# by both verifiers, and the HTML reports (written to a temporary directory). Read-only: the demo
# ledger is not changed.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release >&2
bin=.build/release
export ROLLBOOK_LEDGER=events/demo

echo "== rollbook register --date 2025-09-15 (Hollins Lane Primary, Monday of week 3)"
"$bin/rollbook" register --date 2025-09-15
echo
echo "== rollbook-replay history: every value one amended session ever had"
"$bin/rollbook-replay" history --upn J009382001000 --date 2025-09-12 --session AM
echo
echo "== rollbook register --date 2025-09-12 --group 3A --session AM --as-of 2025-09-12T10:00:00Z (before the N was chased)"
"$bin/rollbook" register --date 2025-09-12 --group 3A --session AM --as-of 2025-09-12T10:00:00Z
echo
echo "== the same register now: the N became M on 15 September (* amended)"
"$bin/rollbook" register --date 2025-09-12 --group 3A --session AM
echo "== rollbook stats --to 2025-09-19 --group 3A (the DfE figures), then stages and the officer's worklist for that day"
"$bin/rollbook" stats --to 2025-09-19 --group 3A
"$bin/rollbook" stages --on 2025-09-19
"$bin/rollbook" worklist --on 2025-09-19
echo
echo "== rollbook stages --as-of 2025-09-12 (what stages printed on Friday 12 September, before the N was chased)"
"$bin/rollbook" stages --as-of 2025-09-12
echo
reports=$(mktemp -d)
echo "== rollbook stats --by pp, and the HTML reports (school and one pupil) written to $reports"
"$bin/rollbook" stats --to 2025-09-23 --by pp
"$bin/rollbook" report --on 2025-09-23 --out "$reports/school.html"
"$bin/rollbook" report --on 2025-09-23 --upn Q009382001033 --out "$reports/pupil.html"
echo
echo "== rollbook verify, then the independent tools/verify_ledger.py"
"$bin/rollbook" verify
python3 tools/verify_ledger.py events/demo
echo
echo "== rollbook digest (keep this outside the school; verify --digest proves the log still extends it)"
"$bin/rollbook" digest
