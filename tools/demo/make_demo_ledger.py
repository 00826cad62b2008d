#!/usr/bin/env python3
"""Builds the demo ledger in events/demo: a small primary school's first three weeks of autumn 2025.

Usage: tools/demo/make_demo_ledger.py ROLLBOOK_BINARY OUT_DIR

It drives the real `rollbook` executable the way a school would, with ROLLBOOK_NOW set to the moment
each entry is made, so the ledger's times read like a real term: registers taken at 09:05 and 13:50,
lates, N codes chased and amended a day or two later, a planned INSET closure, a pupil admitted
mid-term and one who leaves. Deterministic: the same binary gives the same ledger, byte for byte.
"""
import csv, os, random, shutil, subprocess, sys, tempfile
from datetime import date, timedelta


def with_check_letter(digits):
    """The UPN for twelve digits: DfE's check letter (weights 2-13, sum mod 23) then the digits."""
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    return letters[sum(int(c) * (i + 2) for i, c in enumerate(digits)) % 23] + digits

def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(64)
    rollbook, out = sys.argv[1], sys.argv[2]
    if os.path.exists(out):
        shutil.rmtree(out)
    rng = random.Random(20250903)
    work = tempfile.mkdtemp()
    env = dict(os.environ, ROLLBOOK_LEDGER=out, ROLLBOOK_AUTHOR="Sam Patel", ROLLBOOK_POSITION="Attendance Officer")

    def run(now, *args, author=None):
        e = dict(env, ROLLBOOK_NOW=now)
        if author:
            e["ROLLBOOK_AUTHOR"], e["ROLLBOOK_POSITION"] = author
        r = subprocess.run([rollbook, *args], env=e, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"rollbook {' '.join(args)} failed: {r.stderr}")
        return r.stdout

    head = ("Alex Morgan", "Headteacher")
    run("2025-08-28T09:00:00.000Z", "init", "--urn", "123456", "--name", "Hollins Lane Primary School",
        "--la", "938", "--estab", "2001", "--policy", "dfe", author=head)
    run("2025-08-28T09:05:00.000Z", "calendar", "term", "--name", "Autumn 1", "--from", "2025-09-03", "--to", "2025-10-24", author=head)
    run("2025-08-28T09:06:00.000Z", "calendar", "term", "--name", "Autumn 2", "--from", "2025-11-03", "--to", "2025-12-19", author=head)
    run("2025-08-28T09:07:00.000Z", "calendar", "closure", "--from", "2025-09-19", "--to", "2025-09-19", "--code", "#",
        "--reason", "INSET day (staff training)", author=head)

    forenames = ["Amelia", "Noah", "Olivia", "Leo", "Isla", "Oscar", "Ava", "Arthur", "Freya", "Muhammad", "Lily", "George",
                 "Sophia", "Harry", "Grace", "Jack", "Mia", "Theo", "Poppy", "Finley", "Ella", "Henry", "Evie", "Charlie"]
    surnames = ["Khan", "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Roberts", "Walker",
                "Wright", "Hughes", "Green", "Hall", "Clarke"]
    pupils = []
    for i in range(24):
        group = "3A" if i < 12 else "4B"
        year = "3" if i < 12 else "4"
        upn = with_check_letter("%011d%d" % (938200100 + i, i % 10))
        dob = date(2017 if year == "3" else 2016, 1 + i % 12, 1 + (i * 7) % 27)
        flags = {"sen": "Y" if i in (3, 15) else "N", "ehcp": "Y" if i == 15 else "N",
                 "pp": "Y" if i % 5 == 0 else "N", "fsm": "Y" if i % 5 == 0 else "N"}
        pupils.append(dict(upn=upn, forename=forenames[i], surname=surnames[i % len(surnames)], dob=dob.isoformat(),
                           year_group=year, group=group, admitted="2025-09-03", **flags))
    path = os.path.join(work, "pupils.csv")
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(pupils[0].keys()))
        w.writeheader()
        w.writerows(pupils)
    run("2025-09-01T10:00:00.000Z", "pupils", "import", path)

    # A pupil joins mid-term; another leaves.
    late_joiner = dict(upn="R009382001244", forename="Ruby", surname="Ahmed", dob="2016-06-14", year_group="4", group="4B",
                       admitted="2025-09-15", sen="N", ehcp="N", pp="Y", fsm="N")
    leaver = pupils[7]["upn"]

    day = date(2025, 9, 3)
    end = date(2025, 9, 23)
    pending_n = []  # (resolve_on, upn, date, session, (code, reason))

    def resolve_due(today):
        # N codes whose follow-up falls today are amended at 11:30, between the registers.
        for _, upn, d, session, (code, reason) in [x for x in pending_n if x[0] == today]:
            if upn == leaver and d >= date(2025, 9, 22):
                continue
            run(f"{today.isoformat()}T11:30:00.000Z", "amend", "--upn", upn, "--date", d.isoformat(), "--session", session,
                "--code", code, "--reason", reason)
    while day <= end:
        if day.weekday() < 5:
            if day == date(2025, 9, 15):
                p = os.path.join(work, "joiner.csv")
                with open(p, "w", newline="") as f:
                    w = csv.DictWriter(f, fieldnames=list(late_joiner.keys()))
                    w.writeheader()
                    w.writerow(late_joiner)
                run("2025-09-15T08:00:00.000Z", "pupils", "import", p)
                pupils.append(late_joiner)
            if day == date(2025, 9, 22):
                run("2025-09-22T08:10:00.000Z", "pupils", "leave", "--upn", leaver, "--on", "2025-09-22",
                    "--ground", "moved to another school (regulation 9(1)(b))")
            if day != date(2025, 9, 19):  # INSET day: the closure covers both sessions
                for session, clock in (("AM", "09:05"), ("PM", "13:50")):
                    rows = []
                    for p in pupils:
                        if p["upn"] == leaver and day >= date(2025, 9, 22):
                            continue
                        if p["admitted"] > day.isoformat():
                            continue
                        r = rng.random()
                        code, minutes = ("/" if session == "AM" else "\\"), ""
                        if r < 0.04:
                            code = "N"
                            resolve = day + timedelta(days=1 if day.weekday() < 4 else 3)
                            reason = rng.choice([("I", "parent phoned: pupil was ill"), ("M", "medical appointment letter received"),
                                                 ("O", "no reason given after two calls")])
                            pending_n.append((resolve, p["upn"], day, session, reason))
                        elif r < 0.07:
                            code = "I"
                        elif r < 0.10 and session == "AM":
                            code, minutes = "L", str(rng.randint(3, 18))
                        elif r < 0.11 and session == "AM":
                            code, minutes = "U", str(rng.randint(25, 50))
                        rows.append(dict(upn=p["upn"], date=day.isoformat(), session=session, code=code, minutes_late=minutes))
                    p = os.path.join(work, f"marks-{day}-{session}.csv")
                    with open(p, "w", newline="") as f:
                        w = csv.DictWriter(f, fieldnames=["upn", "date", "session", "code", "minutes_late"])
                        w.writeheader()
                        w.writerows(rows)
                    run(f"{day.isoformat()}T{clock}:00.000Z", "marks", "import", p)
                    if session == "AM":
                        resolve_due(day)
            if day == date(2025, 9, 19):
                resolve_due(day)
        day += timedelta(days=1)
    # A first-day absence call for the mid-term joiner, and a standard letter.
    run("2025-09-23T15:00:00.000Z", "intervene", "--upn", pupils[3]["upn"], "--action", "welfare-call", "--date", "2025-09-23",
        "--note", "first-day absence call")
    shutil.rmtree(work)

if __name__ == "__main__":
    main()
