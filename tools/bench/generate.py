#!/usr/bin/env python3
"""Generates a large school's ledger and CSV files for the Rollbook benchmark, deterministically.

Usage: tools/bench/generate.py OUT_DIR [--years N] [--pupils N] [--weeks N] [--seed N]

A secondary school of --pupils pupils (default 2,000, five year groups 7-11 in registration groups
of 25) over --years academic years (default 1) ending with 2024-25. Every year a new year 7 is
admitted and year 11 leaves (pupil.deleted). Each academic year has six terms; --weeks limits each
term to its first N weeks (for small test ledgers). Years before 2024-25 are migrated history: their
marks carry recorded_at and use the codes of their day, legacy ones included (H, J, Y; never the
2024 codes). 2024-25 is kept live: each register is taken at 09:05 / 13:50 with register.taken
events, N codes are resolved by mark.amended a school day later, and about 3% of marks are amended
in all. Each year has an INSET day (#) and an unplanned closure (Y, or Y1 from 2024-25); closed
sessions have no marks.

Writes, under OUT_DIR:
  ledger/                    the ledger, in the exact format of events/FORMAT.md (seq, at, prev, checkpoint)
  pupils.csv                 the pupils on roll in the last year (for `rollbook pupils import`)
  terms.csv                  name,from,to of the last year's terms
  closures.csv               from,to,session,code,reason of the last year's closures
  marks.csv                  the last year's marks, upn,date,session,code,minutes_late (for `marks import`)
  summary.json               counts

The same arguments always give the same bytes. Python standard library only.
"""
import argparse, hashlib, json, os, random, shutil, sys
from datetime import date, timedelta

AUTHOR = ('"author":"Sam Patel","position":"Attendance Officer"')
MIGRATION = ('"author":"Data Migration","position":"Data Manager"')
HEAD = ('"author":"Alex Morgan","position":"Headteacher"')
CHANGE_2024 = date(2024, 8, 19)

FORENAMES = ["Amelia", "Noah", "Olivia", "Leo", "Isla", "Oscar", "Ava", "Arthur", "Freya", "Muhammad", "Lily",
             "George", "Sophia", "Harry", "Grace", "Jack", "Mia", "Theo", "Poppy", "Finley", "Ella", "Henry"]
SURNAMES = ["Khan", "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Roberts",
            "Walker", "Wright", "Hughes", "Green", "Hall", "Clarke", "Patel", "Ali", "Lewis", "Young"]



def with_check_letter(digits):
    """The UPN for twelve digits: DfE's check letter (weights 2-13, sum mod 23) then the digits."""
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    return letters[sum(int(c) * (i + 2) for i, c in enumerate(digits)) % 23] + digits

def terms_of(year, weeks):
    """The six terms of the academic year starting in September of `year`."""
    def monday_on_or_after(d):
        return d + timedelta(days=(7 - d.weekday()) % 7)
    starts = [date(year, 9, 2), date(year, 11, 1), date(year + 1, 1, 4), date(year + 1, 2, 20),
              date(year + 1, 4, 15), date(year + 1, 6, 3)]
    lengths = [7, 7, 6, 6, 6, 7]
    names = ["Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2"]
    out = []
    for name, start, length in zip(names, starts, lengths):
        first = monday_on_or_after(start)
        n = min(length, weeks) if weeks else length
        out.append((f"{name} {year}", first, first + timedelta(days=7 * n - 3)))
    return out


def school_days(terms):
    for _, first, last in terms:
        d = first
        while d <= last:
            if d.weekday() < 5:
                yield d
            d += timedelta(days=1)


class Ledger:
    """Writes lines exactly as Rollbook's LogWriter frames them."""

    def __init__(self, directory):
        self.dir = directory
        os.makedirs(os.path.join(directory, "segments"), mode=0o700)
        self.segment = 0
        self.file = None
        self.next_segment()
        self.seq = 0
        self.prev = "0" * 64

    def next_segment(self):
        if self.file:
            self.file.close()
            os.chmod(self.path, 0o600)
        self.segment += 1
        self.path = os.path.join(self.dir, "segments", "%06d.jsonl" % self.segment)
        self.file = open(self.path, "wb", buffering=1 << 20)
        self.offset = 0

    def add(self, at, body):
        self.seq += 1
        line = ('{"seq":%d,"at":"%s","prev":"%s",%s}' % (self.seq, at, self.prev, body)).encode()
        self.prev = hashlib.sha256(line).hexdigest()
        # Like the writer, start a new segment rather than grow one past 64 MiB (each line is one write here).
        if self.offset > 0 and self.offset + len(line) + 1 > 64 << 20:
            self.next_segment()
        self.file.write(line + b"\n")
        self.offset += len(line) + 1

    def close(self, urn):
        self.file.close()
        os.chmod(self.path, 0o600)
        with open(os.path.join(self.dir, "checkpoint"), "w") as f:
            f.write('{"label":"rollbook/%s","count":%d,"head":"%s","segment":%d,"offset":%d}\n'
                    % (urn, self.seq, self.prev, self.segment, self.offset))
        os.chmod(os.path.join(self.dir, "checkpoint"), 0o600)
        open(os.path.join(self.dir, "lock"), "w").close()
        os.chmod(os.path.join(self.dir, "lock"), 0o600)


def stamp(d, hh, mm):
    return "%sT%02d:%02d:00.000Z" % (d.isoformat(), hh, mm)


def pick_code(rng, d, session, profile):
    """A realistic code for one session: ~93% present, the rest absence, lateness and activities."""
    legacy = d < CHANGE_2024
    r = rng.random() * profile
    if r < 0.925:
        return ("/" if session == "AM" else "\\"), None
    r = rng.random()
    if r < 0.30: return "I", None
    # Minutes late count from the register's opening (AM 08:40-09:00, PM 13:40-13:45): L within it, U after.
    window = 20 if session == "AM" else 5
    if r < 0.40: return "L", rng.randint(1, window)
    if r < 0.44: return "U", rng.randint(window + 1, 60)
    if r < 0.54: return "M", None
    if r < 0.64: return "N", None
    if r < 0.70: return "O", None
    if r < 0.76: return "G", None
    if r < 0.80: return "E", None
    if r < 0.84: return "R", None
    if r < 0.86: return "B", None
    if r < 0.88: return "P", None
    if r < 0.90: return "V", None
    if r < 0.92: return "D", None
    if r < 0.94: return ("H" if legacy else "C"), None
    if r < 0.96: return ("J" if legacy else "J1"), None
    if r < 0.97: return ("Y" if legacy else "Q"), None
    if r < 0.98: return ("C" if legacy else "C1"), None
    if r < 0.99: return ("W" if legacy else "K"), None
    return "T", None


RESOLVE = ["I", "M", "O", "G", "E", "R"]


def main():
    ap = argparse.ArgumentParser(description="Generate a benchmark school ledger.")
    ap.add_argument("out")
    ap.add_argument("--years", type=int, default=1)
    ap.add_argument("--pupils", type=int, default=2000)
    ap.add_argument("--weeks", type=int, default=0, help="limit each term to its first N weeks")
    ap.add_argument("--seed", type=int, default=20240902)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    out = a.out
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    ledger = Ledger(os.path.join(out, "ledger"))
    urn = "137000"
    first_year = 2024 - a.years + 1
    years = list(range(first_year, 2025))
    per_year = max(1, a.pupils // 5)
    group_size = 25

    opened = stamp(date(2024, 7, 1), 9, 0)
    ledger.add(opened, '"type":"ledger.opened","v":1,%s,"urn":"%s","name":"Bench Park Academy","la":"938","estab":"4001",'
                       '"policy":"dfe","am_register":"08:40-09:00","pm_register":"13:40-13:45"' % (HEAD, urn))
    all_terms = {y: terms_of(y, a.weeks) for y in years}
    for y in years:
        for name, first, last in all_terms[y]:
            ledger.add(opened, '"type":"calendar.term-added","v":1,%s,"name":"%s","from":"%s","to":"%s"'
                       % (HEAD, name, first.isoformat(), last.isoformat()))
    # Closures: an INSET day (#, whole day) and an unplanned closure (one session) each year.
    closures = {}  # (date, session) -> code
    closure_rows = []
    for y in years:
        days = list(school_days(all_terms[y]))
        inset = days[len(days) // 3]
        snow = days[len(days) // 2 + 3]
        ycode = "Y" if snow < CHANGE_2024 else "Y1"
        for d, session, code, reason in [(inset, None, "#", "INSET day (staff training)"),
                                         (snow, "AM", ycode, "Snow: transport disrupted")]:
            for s in (["AM", "PM"] if session is None else [session]):
                closures[(d, s)] = code
            ledger.add(opened, '"type":"calendar.closure-recorded","v":1,%s,"from":"%s","to":"%s","session":%s,"code":"%s","reason":"%s"'
                       % (HEAD, d.isoformat(), d.isoformat(), "null" if session is None else '"%s"' % session, code, reason))
            if y == years[-1]:
                closure_rows.append((d.isoformat(), d.isoformat(), session or "", code, reason))

    # Pupils: cohorts by year of entry into year 7. The cohort entering in September of year c is in
    # year group 7 + (y - c) during academic year y, and leaves after year 11.
    cohorts = {}
    serial = 0
    for c in range(first_year - 4, 2025):
        members = []
        for k in range(per_year):
            serial += 1
            upn = with_check_letter("%011d%d" % (93800000000 + serial, serial % 10))
            members.append(dict(upn=upn, forename=FORENAMES[serial % len(FORENAMES)], surname=SURNAMES[(serial * 7) % len(SURNAMES)],
                                dob=date(c - 11, 1 + serial % 12, 1 + serial % 28), k=k,
                                profile=1.0 if serial % 9 else 1.08))  # one pupil in nine is often absent
        cohorts[c] = members

    def on_roll(y):
        for c in range(y - 4, y + 1):
            for p in cohorts[c]:
                yield c, p

    def group_of(y, c, p):
        return "%d%s" % (7 + y - c, "ABCDEFGHIJKLMNOP"[p["k"] // group_size])

    admitted = set()
    marks_csv = None
    pupils_csv_rows = []
    mark_count = amend_count = register_count = 0
    for y in years:
        live = (y == 2024)
        terms = all_terms[y]
        first_day = terms[0][1]
        batch_at = stamp(date(2024, 7, 2 + years.index(y)), 10, 0) if not live else None
        roll = list(on_roll(y))
        # Admissions: everyone on roll this year not yet admitted (the first year: the whole school).
        for c, p in roll:
            if p["upn"] in admitted:
                if y != first_year and (y - c) > 0:
                    # Moved up a year: a details change with the new group.
                    ledger.add(batch_at or stamp(first_day - timedelta(days=3), 9, 0),
                               '"type":"pupil.details-changed","v":1,%s,"upn":"%s","year_group":"%d","group":"%s"'
                               % (HEAD, p["upn"], 7 + y - c, group_of(y, c, p)))
                continue
            admitted.add(p["upn"])
            flags = '"sen":%s,"ehcp":%s,"pp":%s,"fsm":%s' % tuple(
                "true" if rng.random() < q else "false" for q in (0.12, 0.03, 0.25, 0.22))
            ledger.add(batch_at or stamp(first_day - timedelta(days=3), 9, 0),
                       '"type":"pupil.admitted","v":1,%s,"upn":"%s","forename":"%s","surname":"%s","dob":"%s","year_group":"%d","group":"%s","admitted":"%s"%s'
                       % (HEAD, p["upn"], p["forename"], p["surname"], p["dob"].isoformat(), 7 + y - c, group_of(y, c, p),
                          first_day.isoformat(),
                          "," + flags))
        if live:
            marks_csv = open(os.path.join(out, "marks.csv"), "w")
            marks_csv.write("upn,date,session,code,minutes_late\n")
            for c, p in roll:
                pupils_csv_rows.append((p["upn"], p["forename"], p["surname"], p["dob"].isoformat(), str(7 + y - c),
                                        group_of(y, c, p), first_day.isoformat()))
        groups = {}
        for c, p in roll:
            groups.setdefault(group_of(y, c, p), []).append(p)
        pending = []  # (due_day_index, upn, date, session, code)
        days = list(school_days(terms))
        for di, d in enumerate(days):
            for session, (hh, mm) in (("AM", (9, 5)), ("PM", (13, 50))):
                if session == "PM" and live:
                    # Amendments due today, at 11:30 (between the registers).
                    for item in [x for x in pending if x[0] == di]:
                        _, upn, md, ms, old, new = item
                        ledger.add(stamp(d, 11, 30),
                                   '"type":"mark.amended","v":1,%s,"upn":"%s","date":"%s","session":"%s","original":"%s","amended":"%s",'
                                   '"reason":"Reason established by phone","amended_on":"%s"'
                                   % (AUTHOR, upn, md.isoformat(), ms, json.dumps(old)[1:-1], new, d.isoformat()))
                        amend_count += 1
                    pending = [x for x in pending if x[0] != di]
                if (d, session) in closures:
                    continue
                at = stamp(d, hh, mm) if live else batch_at
                author = AUTHOR if live else MIGRATION
                for g in sorted(groups):
                    if live:
                        ledger.add(at, '"type":"register.taken","v":1,%s,"group":"%s","date":"%s","session":"%s"'
                                   % (author, g, d.isoformat(), session))
                        register_count += 1
                    for p in groups[g]:
                        code, minutes = pick_code(rng, d, session, p["profile"])
                        extra = ',"minutes_late":%d' % minutes if minutes is not None else ""
                        if not live:
                            extra += ',"recorded_at":"%s"' % stamp(d, hh, mm)
                        ledger.add(at, '"type":"mark.recorded","v":1,%s,"upn":"%s","date":"%s","session":"%s","code":"%s"%s'
                                   % (author, p["upn"], d.isoformat(), session, "\\\\" if code == "\\" else code, extra))
                        mark_count += 1
                        if marks_csv:
                            marks_csv.write("%s,%s,%s,%s,%s\n" % (p["upn"], d.isoformat(), session, code, "" if minutes is None else minutes))
                        # N is resolved later; a few other marks are corrected too (about 3% in all).
                        if code == "N" or (code not in ("L", "U") and rng.random() < 0.022):
                            new = rng.choice(RESOLVE)
                            if new == code:
                                continue
                            if live:
                                pending.append((di + 1, p["upn"], d, session, code, new))
                            else:
                                ledger.add(at, '"type":"mark.amended","v":1,%s,"upn":"%s","date":"%s","session":"%s","original":"%s","amended":"%s",'
                                           '"reason":"Migrated amendment","amended_on":"%s"'
                                           % (author, p["upn"], d.isoformat(), session, json.dumps(code)[1:-1], new, batch_at[:10]))
                                amend_count += 1
        # Year 11 leaves at the end of the year (not the last year: they are still on roll).
        if y != years[-1]:
            for p in cohorts[y - 4]:
                ledger.add(batch_at, '"type":"pupil.deleted","v":1,%s,"upn":"%s","on":"%d-08-01","ground":"Completed compulsory education"'
                           % (HEAD, p["upn"], y + 1))
    if marks_csv:
        marks_csv.close()
    ledger.close(urn)
    with open(os.path.join(out, "pupils.csv"), "w") as f:
        f.write("upn,forename,surname,dob,year_group,group,admitted\n")
        for row in pupils_csv_rows:
            f.write(",".join(row) + "\n")
    with open(os.path.join(out, "terms.csv"), "w") as f:
        f.write("name,from,to\n")
        for name, first, last in all_terms[years[-1]]:
            f.write("%s,%s,%s\n" % (name, first.isoformat(), last.isoformat()))
    with open(os.path.join(out, "closures.csv"), "w") as f:
        f.write("from,to,session,code,reason\n")
        for row in closure_rows:
            f.write(",".join(row) + "\n")
    summary = dict(years=a.years, pupils=a.pupils, events=ledger.seq, marks=mark_count, amendments=amend_count,
                   registers=register_count, segments=ledger.segment, last_year_first_day=all_terms[years[-1]][0][1].isoformat(),
                   last_year_last_day=all_terms[years[-1]][-1][2].isoformat())
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
