"""Tests for tools/verify_ledger.py.

Run from the repository root:  python3 -m unittest tools/test_verify_ledger.py

Every ledger here is built from scratch, following events/FORMAT.md, in a
temporary directory.
"""

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "verify_ledger.py")

_spec = importlib.util.spec_from_file_location("verify_ledger", SCRIPT)
vl = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(vl)

ZEROS = "0" * 64
LABEL = "rollbook/123456"
NAMES = ["Zoë O'Brien", 'Siân "Sunny" Jones', "Łukasz Nowak", "Amaka Obi/Eze", "Tom\tLee"]


def sha(b):
    return hashlib.sha256(b).hexdigest()


STUB_RE = re.compile(rb'\{"seq":\d+,"prev":"[0-9a-f]{64}","disposed":"([0-9a-f]{64})"\}\Z')


def chain_hash(line):
    m = STUB_RE.match(line)
    return m.group(1).decode() if m else sha(line)


def at_for(i, base_minute=41):
    # strictly increasing, except lines 3 and 4 share a time (allowed: "never earlier")
    s = i if i != 4 else 3
    return "2025-09-03T08:%02d:%02d.%03dZ" % (base_minute + s // 60, s % 60, (s * 37) % 1000)


def event_body(i):
    return {
        "type": "attendance.marked",
        "v": 1,
        "author": "teacher-%d" % (i % 3),
        "position": {"session": "2025-09-03/AM", "n": i},
        "pupil": NAMES[i % len(NAMES)],
        "mark": "/",
    }


def make_lines(n, bodies=None, ats=None):
    """n chained event lines (bytes, without \\n). bodies/ats: optional dict seq -> value."""
    lines = []
    prev = ZEROS
    for i in range(1, n + 1):
        body = (bodies or {}).get(i) or event_body(i)
        at = (ats or {}).get(i) or at_for(i)
        head = '{"seq":%d,"at":"%s","prev":"%s"' % (i, at, prev)
        rest = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        assert rest.startswith("{")
        line = (head + ("," + rest[1:] if rest != "{}" else "}")).encode("utf-8")
        lines.append(line)
        prev = chain_hash(line)
    return lines


def rechain(lines):
    """Recompute every prev after a content change (a consistent rewrite of history)."""
    out = []
    prev = ZEROS
    for line in lines:
        m = STUB_RE.match(line)
        if m:
            obj = json.loads(line)
            line = ('{"seq":%d,"prev":"%s","disposed":"%s"}'
                    % (obj["seq"], prev, obj["disposed"])).encode()
        else:
            line = re.sub(rb'"prev":"[0-9a-f]{64}"', ('"prev":"%s"' % prev).encode(), line,
                          count=1)
        out.append(line)
        prev = chain_hash(line)
    return out


def stubify(lines, seqs):
    out = list(lines)
    for s in seqs:
        original = lines[s - 1]
        prev = json.loads(original)["prev"]
        out[s - 1] = ('{"seq":%d,"prev":"%s","disposed":"%s"}' % (s, prev, sha(original))).encode()
    return out


def disposal_body(ranges):
    return {"type": "retention.disposed", "v": 1, "author": "admin",
            "ranges": [{"first_seq": a, "last_seq": b} for a, b in ranges]}


def write_ledger(d, lines, split=None, checkpoint=True, label=LABEL, count=None, head=None,
                 segment=None, offset=None, extra=b""):
    """Write lines into DIR/segments (split = list of line counts per segment) and a
    matching checkpoint covering the first `count` lines (default all)."""
    segdir = os.path.join(d, "segments")
    os.makedirs(segdir, exist_ok=True)
    split = split or [len(lines)]
    assert sum(split) == len(lines)
    ends = {}  # seq -> (segment, offset past \n)
    i = 0
    for segnum, k in enumerate(split, 1):
        parts = []
        size = 0
        for _ in range(k):
            parts.append(lines[i] + b"\n")
            size += len(parts[-1])
            i += 1
            ends[i] = (segnum, size)
        if segnum == len(split):
            parts.append(extra)
        with open(os.path.join(segdir, "%06d.jsonl" % segnum), "wb") as f:
            f.write(b"".join(parts))
    if checkpoint:
        c = len(lines) if count is None else count
        seg, off = ends.get(c, (1, 0))
        cp = {"label": label, "count": c,
              "head": head or (chain_hash(lines[c - 1]) if c else ZEROS),
              "segment": seg if segment is None else segment,
              "offset": off if offset is None else offset}
        with open(os.path.join(d, "checkpoint"), "wb") as f:
            f.write((json.dumps(cp, separators=(",", ":")) + "\n").encode())


def write_digest(path, lines, count, label=LABEL):
    with open(path, "w") as f:
        f.write("%s\n%d\n%s\n" % (label, count, chain_hash(lines[count - 1]) if count else ZEROS))


class LedgerTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="rollbook-verify-")
        self.dir = os.path.join(self.tmp, "ledger")
        os.mkdir(self.dir)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def seg(self, n=1):
        return os.path.join(self.dir, "segments", "%06d.jsonl" % n)

    def verify(self, digest=None):
        return vl.verify(self.dir, digest)

    def assertOk(self, count=None, digest=None):
        r = self.verify(digest)
        self.assertTrue(r.ok, r.text())
        if count is not None:
            self.assertEqual(r.count, count)
        return r

    def assertBad(self, seq, segment=None, line=None, digest=None):
        r = self.verify(digest)
        self.assertFalse(r.ok, "expected a failure naming seq %r" % seq)
        self.assertEqual(r.first_bad_seq, seq, r.text())
        if segment is not None:
            self.assertEqual(r.segment, "segments/%s" % segment, r.text())
        if line is not None:
            self.assertEqual(r.line, line, r.text())
        self.assertNoContent(r.text())
        return r

    def assertNoContent(self, text):
        for name in NAMES:
            for part in name.split():
                self.assertNotIn(part, text)
        self.assertNotIn("2025-09-03T", text)  # no timestamps either

    def run_cli(self, *args):
        p = subprocess.run([sys.executable, SCRIPT] + list(args), capture_output=True,
                           text=True, timeout=60)
        return p.returncode, p.stdout, p.stderr

    def read_seg(self, n=1):
        with open(self.seg(n), "rb") as f:
            return f.read()

    def put_seg(self, data, n=1):
        # rewrite in place (much faster than re-creating the file on some file systems)
        fd = os.open(self.seg(n), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            os.pwrite(fd, data, 0)
            os.ftruncate(fd, len(data))
        finally:
            os.close(fd)


class TestIntact(LedgerTest):
    def test_intact(self):
        lines = make_lines(5)
        write_ledger(self.dir, lines)
        r = self.assertOk(5)
        self.assertEqual(r.label, LABEL)
        self.assertEqual(r.head, sha(lines[-1]))
        self.assertEqual(r.text(), "ok: %s, 5 events, head %s" % (LABEL, sha(lines[-1])))

    def test_single_line(self):
        write_ledger(self.dir, make_lines(1))
        self.assertOk(1)

    def test_event_with_only_the_three_members(self):
        lines = make_lines(3, bodies={2: {}})
        self.assertTrue(lines[1].endswith(b'"}'))
        write_ledger(self.dir, lines)
        self.assertOk(3)

    def test_empty_ledger(self):
        r = self.assertOk(0)
        self.assertEqual(r.head, ZEROS)
        self.assertIsNone(r.label)
        os.mkdir(os.path.join(self.dir, "segments"))
        self.assertOk(0)

    def test_equal_times_allowed(self):
        write_ledger(self.dir, make_lines(3, ats={1: "2025-09-03T08:00:00.000Z",
                                                  2: "2025-09-03T08:00:00.000Z",
                                                  3: "2025-09-03T08:00:00.000Z"}))
        self.assertOk(3)

    def test_other_files_ignored(self):
        write_ledger(self.dir, make_lines(3))
        open(os.path.join(self.dir, "lock"), "wb").close()
        open(os.path.join(self.dir, "checkpoint.tmp"), "wb").close()
        open(os.path.join(self.dir, "segments", "notes.txt"), "wb").close()
        self.assertOk(3)


class TestSingleByteChanges(LedgerTest):
    """Every single changed byte of a 5-line ledger fails and names the line holding it."""

    # newline (splits a line), quote and digit (JSON structure and hex), a letter, a flipped
    # low bit (hex digit -> hex digit, e.g. inside prev), and an invalid UTF-8 byte.
    REPLACEMENTS = [0x0A, 0x22, ord("0"), ord("x"), 0xFF]

    def test_every_byte(self):
        lines = make_lines(5)
        write_ledger(self.dir, lines)
        self.assertOk(5)
        data = self.read_seg()
        owner = []
        for i, line in enumerate(lines, 1):
            owner += [i] * (len(line) + 1)
        self.assertEqual(len(owner), len(data))
        tried = 0
        fd = os.open(self.seg(), os.O_RDWR)
        try:
            for pos in range(len(data)):
                for rep in self.REPLACEMENTS + [data[pos] ^ 0x01]:
                    if rep == data[pos]:
                        continue
                    os.pwrite(fd, bytes([rep]), pos)
                    r = self.verify()
                    tried += 1
                    self.assertFalse(r.ok, "byte %d -> %#x accepted" % (pos, rep))
                    self.assertEqual(r.first_bad_seq, owner[pos], "byte %d (line %d) -> %#x: %s"
                                     % (pos, owner[pos], rep, r.text()))
                    self.assertEqual(r.line, owner[pos])
                os.pwrite(fd, data[pos:pos + 1], pos)
        finally:
            os.close(fd)
        self.assertOk(5)
        self.assertGreater(tried, 5 * len(data))

    def test_prev_change_names_its_own_line(self):
        lines = make_lines(5)
        write_ledger(self.dir, lines)
        data = self.read_seg()
        for seq in range(1, 6):
            start = sum(len(l) + 1 for l in lines[:seq - 1])
            p = start + lines[seq - 1].index(b'"prev":"') + len(b'"prev":"')
            for k in (0, 31, 63):
                c = data[p + k]
                rep = ord("1") if c != ord("1") else ord("2")
                self.put_seg(data[:p + k] + bytes([rep]) + data[p + k + 1:])
                r = self.verify()
                self.assertEqual(r.first_bad_seq, seq, r.text())
                self.assertIn("prev", r.message)

    def test_deletion_and_insertion_of_a_byte(self):
        lines = make_lines(5)
        write_ledger(self.dir, lines)
        data = self.read_seg()
        owner = []
        for i, line in enumerate(lines, 1):
            owner += [i] * (len(line) + 1)
        for pos in range(len(data)):
            self.put_seg(data[:pos] + data[pos + 1:])
            r = self.verify()
            self.assertFalse(r.ok)
            self.assertEqual(r.first_bad_seq, owner[pos], "delete byte %d: %s" % (pos, r.text()))
            self.put_seg(data[:pos] + b"7" + data[pos:])
            r = self.verify()
            self.assertFalse(r.ok)
            self.assertEqual(r.first_bad_seq, owner[pos], "insert at %d: %s" % (pos, r.text()))


class TestLines(LedgerTest):
    def setUp(self):
        super().setUp()
        self.lines = make_lines(6)

    def write(self, lines, **kw):
        write_ledger(self.dir, lines, **kw)

    def test_deleted_first_line(self):
        self.write(self.lines)
        self.put_seg(b"".join(l + b"\n" for l in self.lines[1:]))
        self.assertBad(1, "000001.jsonl", 1)

    def test_deleted_middle_line(self):
        self.write(self.lines)
        self.put_seg(b"".join(l + b"\n" for i, l in enumerate(self.lines, 1) if i != 4))
        r = self.assertBad(4, "000001.jsonl", 4)
        self.assertIn("seq 5 where seq 4", r.message)

    def test_deleted_last_line(self):
        self.write(self.lines)
        self.put_seg(b"".join(l + b"\n" for l in self.lines[:-1]))
        self.assertBad(6, "000001.jsonl", 6)

    def test_deleted_last_line_with_consistent_checkpoint_but_digest(self):
        dg = os.path.join(self.tmp, "digest")
        write_digest(dg, self.lines, 6)
        self.write(self.lines[:-1])
        self.assertOk(5)
        self.assertBad(6, digest=dg)

    def test_duplicated_line(self):
        self.write(self.lines)
        dup = self.lines[:3] + [self.lines[2]] + self.lines[3:]
        self.put_seg(b"".join(l + b"\n" for l in dup))
        self.assertBad(4, "000001.jsonl", 4)

    def test_duplicated_last_line(self):
        self.write(self.lines)
        self.put_seg(b"".join(l + b"\n" for l in self.lines + [self.lines[-1]]))
        self.assertBad(7, "000001.jsonl", 7)

    def test_swapped_lines(self):
        self.write(self.lines)
        for a in range(1, 6):
            sw = list(self.lines)
            sw[a - 1], sw[a] = sw[a], sw[a - 1]
            self.put_seg(b"".join(l + b"\n" for l in sw))
            self.assertBad(a, "000001.jsonl", a)

    def test_truncated_mid_line(self):
        self.write(self.lines)
        data = self.read_seg()
        start4 = sum(len(l) + 1 for l in self.lines[:3])
        for cut in (start4 + 1, start4 + 10, start4 + len(self.lines[3]),
                    start4 + len(self.lines[3]) + 1 + 5):
            self.put_seg(data[:cut])
            expected = 4 if cut <= start4 + len(self.lines[3]) else 5
            self.assertBad(expected, "000001.jsonl", expected)

    def test_truncated_at_line_boundary(self):
        self.write(self.lines)
        data = self.read_seg()
        cut = sum(len(l) + 1 for l in self.lines[:2])
        self.put_seg(data[:cut])
        self.assertBad(3, "000001.jsonl", 3)
        self.put_seg(b"")
        self.assertBad(1, "000001.jsonl", 1)
        os.remove(self.seg())
        self.assertBad(1, "000001.jsonl", 1)

    def test_bytes_after_checkpoint(self):
        full = make_lines(8)
        for extra in (b"{", b"\n", full[6][:20], full[6] + b"\n", full[6] + b"\n" + full[7]):
            write_ledger(self.dir, full[:6], extra=extra)
            r = self.assertBad(7, "000001.jsonl", 7)
            self.assertIn("after the 6 committed lines", r.message)

    def test_uncommitted_lines_with_older_checkpoint(self):
        full = make_lines(8)
        write_ledger(self.dir, full, count=6)
        self.assertBad(7, "000001.jsonl", 7)

    def test_blank_line(self):
        self.write(self.lines)
        data = self.read_seg()
        start3 = sum(len(l) + 1 for l in self.lines[:2])
        self.put_seg(data[:start3] + b"\n" + data[start3:])
        r = self.assertBad(3, "000001.jsonl", 3)
        self.assertIn("empty", r.message)

    def test_crlf(self):
        self.write(self.lines)
        self.put_seg(b"".join(l + (b"\r\n" if i == 2 else b"\n")
                              for i, l in enumerate(self.lines, 1)))
        self.assertBad(2)

    def test_bom(self):
        self.write(self.lines)
        self.put_seg(b"\xef\xbb\xbf" + self.read_seg())
        self.assertBad(1)

    def _rewrite_line(self, seq, new):
        lines = list(self.lines)
        lines[seq - 1] = new
        lines = rechain(lines)
        self.write(lines)
        return lines

    def test_rechained_structural_faults(self):
        """Faults that survive a consistent re-chain are found by the line rules."""
        l3 = self.lines[2].decode()
        body = l3[l3.index(',"type"'):]
        prev = json.loads(l3)["prev"]
        at = json.loads(l3)["at"]
        cases = {
            "duplicate key": l3[:-1] + ',"seq":3}',
            "at first": '{"at":"%s","seq":3,"prev":"%s"%s' % (at, prev, body),
            "space": '{"seq": 3,"at":"%s","prev":"%s"%s' % (at, prev, body),
            "seq as string": '{"seq":"3","at":"%s","prev":"%s"%s' % (at, prev, body),
            "seq float": '{"seq":3.0,"at":"%s","prev":"%s"%s' % (at, prev, body),
            "seq leading zero": '{"seq":03,"at":"%s","prev":"%s"%s' % (at, prev, body),
            "seq true": '{"seq":true,"at":"%s","prev":"%s"%s' % (at, prev, body),
            "escaped key": '{"\\u0073eq":3,"at":"%s","prev":"%s"%s' % (at, prev, body),
            "not json": l3[:-1],
            "array": "[" + l3 + "]",
            "trailing space": l3 + " ",
            "NaN": l3[:-1] + ',"x":NaN}',
            "upper hex": '{"seq":3,"at":"%s","prev":"%s"%s' % (at, prev.upper(), body),
            "short hex": '{"seq":3,"at":"%s","prev":"%s"%s' % (at, prev[:63], body),
            "no prev": '{"seq":3,"at":"%s"%s' % (at, body),
            "no at": '{"seq":3,"prev":"%s"%s' % (prev, body),
            "bad utf8": None,
        }
        for name, text in cases.items():
            new = (self.lines[2][:-1] + b',"x":"\xff"}') if text is None else text.encode()
            self._rewrite_line(3, new)
            r = self.verify()
            self.assertEqual(r.first_bad_seq, 3, "%s: %s" % (name, r.text()))

    def test_time_rule(self):
        bad_ats = ["2025-09-03T08:41:0.123Z", "2025-09-03 08:41:03.123Z", "2025-09-03T08:41:03.12Z",
                   "2025-09-03T08:41:03.1234Z", "2025-09-03T08:41:03.123", "2025-09-03T08:41:03.123+00:00",
                   "2025-02-30T08:41:03.123Z", "2025-13-03T08:41:03.123Z", "2025-09-03T24:00:00.000Z",
                   "2025-09-03T08:60:03.123Z", "2025-09-03T08:41:60.123Z", "0000-01-01T00:00:00.000Z",
                   "2025-09-03t08:41:03.123Z", "2025-09-03T08:41:03.123z", "２025-09-03T08:41:03.123Z"]
        for at in bad_ats:
            self.write(make_lines(5, ats={3: at}))
            self.assertBad(3)
        # earlier than the previous line
        self.write(make_lines(5, ats={4: "2025-09-03T08:41:01.000Z"}))
        r = self.assertBad(4)
        self.assertIn("earlier", r.message)
        # leap day is fine
        self.write(make_lines(3, ats={1: "2024-02-29T23:59:59.999Z", 2: "2024-03-01T00:00:00.000Z",
                                      3: "2024-03-01T00:00:00.000Z"}))
        self.assertOk(3)

    def test_later_at_names_the_changed_line_not_the_next(self):
        # line 3's at moved after line 4's: line 4 now breaks the time rule, but the byte
        # that changed is in line 3, whose link to line 4 is broken: line 3 is named.
        self.write(self.lines)
        data = self.read_seg()
        start3 = sum(len(l) + 1 for l in self.lines[:2])
        p = start3 + self.lines[2].index(b'"at":"') + len(b'"at":"2025-09-03T0')
        self.assertEqual(data[p:p + 1], b"8")
        self.put_seg(data[:p] + b"9" + data[p + 1:])
        self.assertBad(3, "000001.jsonl", 3)

    def test_first_prev_not_zeros(self):
        lines = list(self.lines)
        lines[0] = lines[0].replace(ZEROS.encode(), b"1" * 64)
        lines = [lines[0]] + rechain_from(lines[0], self.lines[1:])
        self.write(lines)
        r = self.assertBad(1)
        self.assertIn("64 zeros", r.message)

    def test_checkpoint_head_wrong(self):
        self.write(self.lines, head="ab" * 32)
        self.assertBad(6, "000001.jsonl", 6)

    def test_checkpoint_offset_wrong(self):
        self.write(self.lines, offset=5)
        r = self.assertBad(6, "000001.jsonl", 6)
        self.assertIn("offset", r.message)
        self.write(self.lines, segment=2)
        self.assertBad(6)

    def test_checkpoint_count_too_big(self):
        self.write(self.lines, count=6)
        with open(os.path.join(self.dir, "checkpoint"), "rb") as f:
            cp = json.loads(f.read())
        cp["count"] = 8
        with open(os.path.join(self.dir, "checkpoint"), "w") as f:
            f.write(json.dumps(cp) + "\n")
        self.assertBad(7, "000001.jsonl", 7)

    def test_checkpoint_count_too_small(self):
        # head still that of line 6, count says 5: line 5 does not hash to head.
        self.write(self.lines, count=5, head=sha(self.lines[5]))
        self.assertBad(5)


def rechain_from(prev_line, lines):
    out = rechain([prev_line] + list(lines))[1:]
    return out


class TestCheckpoint(LedgerTest):
    def test_missing_checkpoint(self):
        write_ledger(self.dir, make_lines(4), checkpoint=False)
        r = self.assertBad(1, "000001.jsonl", 1)
        self.assertIn("no checkpoint", r.message)

    def test_missing_checkpoint_empty_segment(self):
        os.makedirs(os.path.join(self.dir, "segments"))
        open(self.seg(), "wb").close()
        self.assertOk(0)

    def test_malformed_checkpoints(self):
        lines = make_lines(3)
        write_ledger(self.dir, lines)
        path = os.path.join(self.dir, "checkpoint")
        with open(path, "rb") as f:
            good = json.loads(f.read())
        variants = [
            b"", b"{", b"[]\n", json.dumps(good).encode(),  # no newline
            (json.dumps(good) + "\n\n").encode(),
            (json.dumps(dict(good, label="rollbook/")) + "\n").encode(),
            (json.dumps(dict(good, label="school/123456")) + "\n").encode(),
            (json.dumps(dict(good, count="3")) + "\n").encode(),
            (json.dumps(dict(good, count=-1)) + "\n").encode(),
            (json.dumps(dict(good, head="AB" * 32)) + "\n").encode(),
            (json.dumps(dict(good, segment=0)) + "\n").encode(),
            (json.dumps(dict(good, extra=1)) + "\n").encode(),
            (json.dumps({k: v for k, v in good.items() if k != "offset"}) + "\n").encode(),
        ]
        for v in variants:
            with open(path, "wb") as f:
                f.write(v)
            r = self.verify()
            self.assertFalse(r.ok, v)
            self.assertIsNone(r.first_bad_seq)
            self.assertEqual(r.segment, "checkpoint")
            self.assertTrue(r.text().startswith("FAIL (checkpoint): "), r.text())

    def test_malformed_checkpoint_still_reports_line_faults(self):
        lines = make_lines(4)
        write_ledger(self.dir, lines)
        with open(os.path.join(self.dir, "checkpoint"), "wb") as f:
            f.write(b"garbage\n")
        self.put_seg(b"".join(l + b"\n" for i, l in enumerate(lines, 1) if i != 2))
        self.assertBad(2)

    def test_checkpoint_with_count_zero(self):
        os.makedirs(os.path.join(self.dir, "segments"))
        with open(os.path.join(self.dir, "checkpoint"), "w") as f:
            f.write(json.dumps({"label": LABEL, "count": 0, "head": ZEROS, "segment": 1,
                                "offset": 0}) + "\n")
        self.assertOk(0)
        write_ledger(self.dir, make_lines(2), checkpoint=False)
        self.assertBad(1)


class TestDigest(LedgerTest):
    def setUp(self):
        super().setUp()
        self.lines = make_lines(8)
        self.dg = os.path.join(self.tmp, "digest")

    def test_digest_ok(self):
        write_ledger(self.dir, self.lines)
        for c in (0, 1, 3, 8):
            write_digest(self.dg, self.lines, c)
            self.assertOk(8, digest=self.dg)

    def test_digest_after_appends(self):
        write_digest(self.dg, self.lines, 5)
        write_ledger(self.dir, self.lines[:5])
        self.assertOk(5, digest=self.dg)
        write_ledger(self.dir, self.lines)
        self.assertOk(8, digest=self.dg)

    def test_rechained_rewrite(self):
        write_digest(self.dg, self.lines, 5)
        changed = list(self.lines)
        changed[1] = make_lines(2, bodies={2: disposal_body([])})[1]  # any other content
        changed = rechain(changed)
        write_ledger(self.dir, changed)
        self.assertOk(8)  # the chain alone cannot tell
        r = self.assertBad(5, "000001.jsonl", 5, digest=self.dg)
        self.assertIn("digest", r.message)
        write_digest(self.dg, self.lines, 1)
        self.assertOk(8, digest=self.dg)  # line 1 unchanged, so that digest still holds
        write_digest(self.dg, self.lines, 8)
        self.assertBad(8, digest=self.dg)

    def test_digest_longer_than_log(self):
        write_digest(self.dg, self.lines, 8)
        write_ledger(self.dir, self.lines[:6])
        self.assertBad(7, "000001.jsonl", 7, digest=self.dg)
        shutil.rmtree(self.dir)
        os.mkdir(self.dir)
        self.assertBad(1, digest=self.dg)

    def test_digest_longer_than_committed_lines(self):
        write_digest(self.dg, self.lines, 8)
        write_ledger(self.dir, self.lines, count=6)
        self.assertBad(7, "000001.jsonl", 7, digest=self.dg)

    def test_digest_label_mismatch(self):
        write_ledger(self.dir, self.lines)
        write_digest(self.dg, self.lines, 4, label="rollbook/654321")
        r = self.assertBad(4, digest=self.dg)
        self.assertIn("label", r.message)

    def test_malformed_digest_is_usage_error(self):
        write_ledger(self.dir, self.lines)
        for text in ("", "rollbook/1\n3\n", "rollbook/1\nx\n%s\n" % ZEROS, "nope\n3\n%s\n" % ZEROS,
                     "rollbook/1\n3\n%s\n" % ("A" * 64), "rollbook/1\n0\n%s\n" % ("a" * 64)):
            with open(self.dg, "w") as f:
                f.write(text)
            with self.assertRaises(vl.UsageError):
                self.verify(self.dg)
        code, out, err = self.run_cli(self.dir, "--digest", self.dg)
        self.assertEqual(code, 2)
        code, out, err = self.run_cli(self.dir, "--digest", os.path.join(self.tmp, "nonexistent"))
        self.assertEqual(code, 2)


class TestStubs(LedgerTest):
    def build(self, n, disposal_at, ranges, stubs, split=None):
        lines = make_lines(n, bodies={disposal_at: disposal_body(ranges)})
        lines = stubify(lines, stubs)
        write_ledger(self.dir, lines, split=split)
        return lines

    def test_covered(self):
        self.build(8, 6, [(2, 3), (5, 5)], [2, 3, 5])
        self.assertOk(8)

    def test_covered_first_line_and_several_events(self):
        lines = make_lines(10, bodies={4: disposal_body([(1, 1)]), 9: disposal_body([(5, 7)])})
        write_ledger(self.dir, stubify(lines, [1, 5, 6, 7]))
        self.assertOk(10)

    def test_uncovered(self):
        self.build(8, 6, [(2, 3)], [2, 3, 5])
        r = self.assertBad(5, "000001.jsonl", 5)
        self.assertIn("stub", r.message)

    def test_no_disposal_event(self):
        lines = stubify(make_lines(6), [3])
        write_ledger(self.dir, lines)
        self.assertBad(3)

    def test_covered_only_by_earlier_event(self):
        # the event at 3 names 5, but it is not *later* than 5
        self.build(8, 3, [(5, 5)], [5])
        self.assertBad(5)

    def test_last_line_stub(self):
        self.build(6, 3, [(6, 6)], [6])
        self.assertBad(6)

    def test_malformed_ranges_do_not_cover(self):
        for ranges in ([{"first_seq": "2", "last_seq": 2}], [[2, 2]], {"first_seq": 2, "last_seq": 2},
                       [{"first_seq": 2}], [{"first_seq": True, "last_seq": 2}]):
            lines = make_lines(6, bodies={5: {"type": "retention.disposed", "ranges": ranges}})
            write_ledger(self.dir, stubify(lines, [2]))
            self.assertBad(2)

    def test_stub_tampering(self):
        lines = self.build(8, 6, [(2, 3)], [2, 3])
        data = self.read_seg()
        start3 = sum(len(l) + 1 for l in lines[:2])
        # a changed byte in the stub's disposed value names the stub
        p = start3 + lines[2].index(b'"disposed":"') + 12
        self.put_seg(data[:p] + (b"1" if data[p:p + 1] != b"1" else b"2") + data[p + 1:])
        self.assertBad(3)
        # a changed byte in its seq or its structure names the stub
        self.put_seg(data[:start3 + 7] + b"9" + data[start3 + 8:])
        self.assertBad(3)
        self.put_seg(data[:start3 + 1] + b"x" + data[start3 + 2:])
        self.assertBad(3)
        # extra member: no longer a stub, and not an event either
        bad = lines[2][:-1] + b',"at":"2025-09-03T08:41:03.000Z"}'
        self.put_seg(data[:start3] + bad + data[start3 + len(lines[2]):])
        self.assertBad(3)

    def test_every_byte_with_stubs(self):
        """Single changed bytes in a ledger with stubs and a disposal event: each names the
        line holding it, except a change inside a stub's own prev (see the next test)."""
        lines = make_lines(6, bodies={5: disposal_body([(2, 3)])})
        lines = stubify(lines, [2, 3])
        write_ledger(self.dir, lines)
        self.assertOk(6)
        data = self.read_seg()
        owner, in_stub_prev = [], []
        for i, line in enumerate(lines, 1):
            owner += [i] * (len(line) + 1)
            p = line.index(b'"prev":"') + 8
            in_stub_prev += [i in (2, 3) and p <= k < p + 64 for k in range(len(line) + 1)]
        fd = os.open(self.seg(), os.O_RDWR)
        try:
            for pos in range(len(data)):
                for rep in (0x0A, ord("0"), data[pos] ^ 0x01):
                    if rep == data[pos]:
                        continue
                    os.pwrite(fd, bytes([rep]), pos)
                    r = self.verify()
                    expected = owner[pos]
                    if in_stub_prev[pos] and bytes([rep]) in b"0123456789abcdef":
                        expected -= 1  # the literal link rule (FORMAT.md ambiguity)
                    self.assertEqual(r.first_bad_seq, expected, "byte %d -> %#x: %s"
                                     % (pos, rep, r.text()))
                os.pwrite(fd, data[pos:pos + 1], pos)
        finally:
            os.close(fd)

    def test_changed_disposal_event_names_the_event_not_the_stub(self):
        lines = make_lines(6, bodies={5: disposal_body([(2, 2)])})
        lines = stubify(lines, [2])
        write_ledger(self.dir, lines)
        data = self.read_seg()
        p = data.index(b'"last_seq":2') + len(b'"last_seq":')
        self.put_seg(data[:p] + b"1" + data[p + 1:])  # the event no longer names seq 2
        self.assertBad(5)

    def test_stub_prev_change_follows_the_literal_link_rule(self):
        # A stub's chain hash is its `disposed` value, so a change to its own prev breaks only
        # the link after the line before it: the literal rule names that earlier line.
        lines = self.build(8, 6, [(3, 3)], [3])
        data = self.read_seg()
        start3 = sum(len(l) + 1 for l in lines[:2])
        p = start3 + lines[2].index(b'"prev":"') + 8
        self.put_seg(data[:p] + (b"1" if data[p:p + 1] != b"1" else b"2") + data[p + 1:])
        self.assertBad(2)

    def test_time_rule_skips_stubs(self):
        # line 4 is disposed; line 5's time is compared with line 3's
        lines = make_lines(7, bodies={6: disposal_body([(4, 4)])},
                           ats={3: "2025-09-03T09:00:00.000Z", 4: "2025-09-03T10:00:00.000Z",
                                5: "2025-09-03T09:30:00.000Z", 6: "2025-09-03T09:31:00.000Z",
                                7: "2025-09-03T09:32:00.000Z"})
        lines_with_stub = stubify(lines, [4])
        write_ledger(self.dir, lines_with_stub)
        self.assertOk(7)
        lines = make_lines(7, bodies={6: disposal_body([(4, 4)])},
                           ats={3: "2025-09-03T09:00:00.000Z", 4: "2025-09-03T09:10:00.000Z",
                                5: "2025-09-03T08:59:00.000Z", 6: "2025-09-03T09:31:00.000Z",
                                7: "2025-09-03T09:32:00.000Z"})
        write_ledger(self.dir, stubify(lines, [4]))
        self.assertBad(5)

    def test_malformed_stub(self):
        lines = make_lines(6, bodies={5: disposal_body([(2, 2)])})
        prev = json.loads(lines[1])["prev"]
        for stub in ('{"seq":2,"prev":"%s","disposed":"%s"}' % (prev.upper(), sha(lines[1])),
                     '{"seq":2, "prev":"%s","disposed":"%s"}' % (prev, sha(lines[1])),
                     '{"seq":2,"disposed":"%s","prev":"%s"}' % (sha(lines[1]), prev),
                     '{"seq":2,"prev":"%s","disposed":"%s"}' % (prev, sha(lines[1])[:-1])):
            changed = list(lines)
            changed[1] = stub.encode()
            write_ledger(self.dir, changed)
            self.assertBad(2)

    def test_stub_across_segments(self):
        self.build(9, 8, [(2, 4)], [2, 3, 4], split=[3, 3, 3])
        self.assertOk(9)


class TestSegments(LedgerTest):
    def setUp(self):
        super().setUp()
        self.lines = make_lines(9)

    def test_multiple_segments(self):
        write_ledger(self.dir, self.lines, split=[4, 3, 2])
        r = self.assertOk(9)
        with open(os.path.join(self.dir, "checkpoint")) as f:
            cp = json.load(f)
        self.assertEqual(cp["segment"], 3)
        self.assertEqual(r.head, sha(self.lines[-1]))

    def test_fault_in_second_segment_names_file_and_line(self):
        lines = list(self.lines)
        write_ledger(self.dir, lines, split=[4, 3, 2])
        data = self.read_seg(2)
        p = data.index(b"\n") + 1 + 30  # a byte inside line 6 = segment 2, line 2
        self.put_seg(data[:p] + b"#" + data[p + 1:], 2)
        self.assertBad(6, "000002.jsonl", 2)

    def test_deleted_line_at_segment_start(self):
        write_ledger(self.dir, self.lines, split=[4, 3, 2])
        data = self.read_seg(2)
        self.put_seg(data[data.index(b"\n") + 1:], 2)
        self.assertBad(5, "000002.jsonl", 1)

    def test_missing_segment(self):
        write_ledger(self.dir, self.lines, split=[4, 3, 2])
        os.remove(self.seg(2))
        r = self.assertBad(5, "000002.jsonl", 1)
        self.assertIn("missing", r.message)

    def test_missing_first_segment(self):
        write_ledger(self.dir, self.lines, split=[4, 3, 2])
        os.remove(self.seg(1))
        self.assertBad(1, "000001.jsonl", 1)

    def test_missing_last_segment(self):
        write_ledger(self.dir, self.lines, split=[4, 3, 2])
        os.remove(self.seg(3))
        self.assertBad(8, "000002.jsonl", 4)

    def test_stray_jsonl_files(self):
        write_ledger(self.dir, self.lines, split=[4, 3, 2])
        for name in ("1.jsonl", "0000004.jsonl", "000000.jsonl", "backup.jsonl", "00000a.jsonl"):
            path = os.path.join(self.dir, "segments", name)
            open(path, "wb").close()
            r = self.verify()
            self.assertFalse(r.ok, name)
            self.assertIsNone(r.first_bad_seq)
            self.assertEqual(r.segment, "segments/" + name)
            os.remove(path)
        self.assertOk(9)

    def test_bytes_in_a_later_segment(self):
        write_ledger(self.dir, self.lines, split=[4, 3, 2])
        self.put_seg(b"{", 4)
        self.assertBad(10, "000004.jsonl", 1)

    def test_empty_later_segment_is_fine(self):
        write_ledger(self.dir, self.lines, split=[4, 3, 2])
        self.put_seg(b"", 4)
        self.assertOk(9)

    def test_unterminated_line_before_next_segment(self):
        write_ledger(self.dir, self.lines, split=[4, 3, 2])
        self.put_seg(self.read_seg(2)[:-1], 2)
        self.assertBad(7, "000002.jsonl", 3)

    def test_checkpoint_at_start_of_next_segment(self):
        write_ledger(self.dir, self.lines, split=[4, 5], count=4, segment=2, offset=0)
        self.assertBad(5)  # lines 5.. are uncommitted
        write_ledger(self.dir, self.lines[:4] + [], split=[4])
        self.put_seg(b"", 2)
        with open(os.path.join(self.dir, "checkpoint")) as f:
            cp = json.load(f)
        cp.update(segment=2, offset=0)
        with open(os.path.join(self.dir, "checkpoint"), "w") as f:
            f.write(json.dumps(cp) + "\n")
        self.assertOk(4)


class TestCli(LedgerTest):
    def test_ok_text_and_json(self):
        lines = make_lines(5)
        write_ledger(self.dir, lines)
        code, out, err = self.run_cli(self.dir)
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "ok: %s, 5 events, head %s\n" % (LABEL, sha(lines[-1])))
        code, out, err = self.run_cli(self.dir, "--json")
        self.assertEqual(code, 0)
        self.assertEqual(json.loads(out), {"ok": True, "label": LABEL, "count": 5,
                                           "head": sha(lines[-1]), "first_bad_seq": None,
                                           "segment": None, "line": None, "message": None})

    def test_fail_text_and_json(self):
        lines = make_lines(5)
        write_ledger(self.dir, lines)
        self.put_seg(b"".join(l + b"\n" for i, l in enumerate(lines, 1) if i != 3))
        code, out, err = self.run_cli(self.dir)
        self.assertEqual(code, 1)
        self.assertRegex(out, r"\AFAIL seq 3 \(segments/000001\.jsonl line 3\): \S.*\.\n\Z")
        self.assertNoContent(out + err)
        code, out, err = self.run_cli(self.dir, "--json")
        self.assertEqual(code, 1)
        j = json.loads(out)
        self.assertEqual(set(j), {"ok", "label", "count", "head", "first_bad_seq", "segment",
                                  "line", "message"})
        self.assertEqual((j["ok"], j["first_bad_seq"], j["segment"], j["line"]),
                         (False, 3, "segments/000001.jsonl", 3))
        self.assertNoContent(out)

    def test_digest_cli(self):
        lines = make_lines(5)
        write_ledger(self.dir, lines)
        dg = os.path.join(self.tmp, "digest")
        write_digest(dg, lines, 3)
        code, out, err = self.run_cli(self.dir, "--digest", dg)
        self.assertEqual(code, 0, out + err)

    def test_null_seq_json(self):
        write_ledger(self.dir, make_lines(3))
        with open(os.path.join(self.dir, "checkpoint"), "w") as f:
            f.write("{}\n")
        code, out, err = self.run_cli(self.dir, "--json")
        self.assertEqual(code, 1)
        j = json.loads(out)
        self.assertEqual((j["ok"], j["first_bad_seq"], j["segment"], j["line"]),
                         (False, None, "checkpoint", None))
        code, out, err = self.run_cli(self.dir)
        self.assertEqual(code, 1)
        self.assertTrue(out.startswith("FAIL (checkpoint): "), out)

    def test_usage_errors(self):
        code, out, err = self.run_cli()
        self.assertEqual(code, 2)
        code, out, err = self.run_cli(os.path.join(self.tmp, "nope"))
        self.assertEqual(code, 2)
        f = os.path.join(self.tmp, "file")
        open(f, "w").close()
        code, out, err = self.run_cli(f)
        self.assertEqual(code, 2)
        code, out, err = self.run_cli(self.dir, "--bogus")
        self.assertEqual(code, 2)

    @unittest.skipIf(hasattr(os, "geteuid") and os.geteuid() == 0, "root can read anything")
    def test_unreadable_directory(self):
        os.chmod(self.dir, 0)
        try:
            code, out, err = self.run_cli(self.dir)
            self.assertEqual(code, 2)
        finally:
            os.chmod(self.dir, 0o700)

    def test_executable(self):
        self.assertTrue(os.access(SCRIPT, os.X_OK))
        with open(SCRIPT, "rb") as f:
            self.assertEqual(f.readline(), b"#!/usr/bin/env python3\n")


class TestScale(LedgerTest):
    def test_many_lines(self):
        n = 10000
        lines = make_lines(n, ats={i: "2025-09-03T08:41:07.123Z" for i in range(1, n + 1)})
        write_ledger(self.dir, lines, split=[3500, 3500, 3000])
        self.assertOk(n)
        data = self.read_seg(3)
        p = len(data) // 2
        self.put_seg(data[:p] + bytes([data[p] ^ 1]) + data[p + 1:], 3)
        r = self.verify()
        self.assertFalse(r.ok)
        self.assertEqual(r.segment, "segments/000003.jsonl")
        self.assertEqual(r.first_bad_seq, 7000 + r.line)


# --------------------------------------------------------------------------- the tree and packs

# Certificate Transparency's published test data (transparency-dev/merkle, testonly/constants.go).
CT_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
             "606162636465666768696a6b6c6d6e6f"]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def ct_leaf(data_hex):
    return hashlib.sha256(b"\x00" + bytes.fromhex(data_hex)).digest()


def mth(hashes):
    """RFC 6962 MTH by its recursive definition (an independent check of tree_root)."""
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return vl.node_hash(mth(hashes[:k]), mth(hashes[k:]))


def path(m, hashes):
    """RFC 6962 section 2.1.1 PATH(m, D[n])."""
    if len(hashes) == 1:
        return []
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    if m < k:
        return path(m, hashes[:k]) + [mth(hashes[k:])]
    return path(m - k, hashes[k:]) + [mth(hashes[:k])]


def subproof(m, hashes, b):
    n = len(hashes)
    if m == n:
        return [] if b else [mth(hashes)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return subproof(m, hashes[:k], b) + [mth(hashes[k:])]
    return subproof(m - k, hashes[k:], False) + [mth(hashes[:k])]


class TreeTest(unittest.TestCase):
    def test_roots_are_the_published_ones(self):
        leaves = [ct_leaf(x) for x in CT_LEAVES]
        for n in range(1, 9):
            self.assertEqual(vl.tree_root(leaves[:n]).hex(), CT_ROOTS[n - 1])
            self.assertEqual(mth(leaves[:n]).hex(), CT_ROOTS[n - 1])

    def test_every_proof_up_to_seventy_verifies_and_altered_ones_fail(self):
        leaves = [hashlib.sha256(bytes([0, i, 7])).digest() for i in range(70)]
        other = hashlib.sha256(b"other").digest()
        for n in range(1, 71):
            root = vl.tree_root(leaves[:n])
            self.assertEqual(root, mth(leaves[:n]))
            for i in range(n):
                p = path(i, leaves[:n])
                self.assertEqual(vl.root_from_inclusion(leaves[i], i, n, p), root)
                self.assertNotEqual(vl.root_from_inclusion(other, i, n, p), root)
                self.assertNotEqual(vl.root_from_inclusion(leaves[i], i, n, p + [root]), root)
                for j in range(len(p)):
                    flipped = list(p)
                    flipped[j] = bytes([p[j][0] ^ 8]) + p[j][1:]
                    self.assertNotEqual(vl.root_from_inclusion(leaves[i], i, n, flipped), root)
                    self.assertNotEqual(vl.root_from_inclusion(leaves[i], i, n, p[:j] + p[j + 1:]),
                                        root)
            for m in range(1, n + 1):
                old = vl.tree_root(leaves[:m])
                c = subproof(m, leaves[:n], True)
                self.assertTrue(vl.verify_consistency(m, n, old, root, c), (m, n))
                self.assertFalse(vl.verify_consistency(m, n, other, root, c))
                self.assertFalse(vl.verify_consistency(m, n, old, root, c + [root]))
                for j in range(len(c)):
                    self.assertFalse(vl.verify_consistency(m, n, old, root, c[:j] + c[j + 1:]))


class DigestFormTest(unittest.TestCase):
    def test_both_forms_parse(self):
        root = hashlib.sha256(b"r").digest()
        head = sha(b"h")
        import base64
        b64 = base64.b64encode(root).decode()
        self.assertEqual(vl.parse_digest("%s\n5\n%s\nchain %s\n" % (LABEL, b64, head)),
                         (LABEL, 5, head, root))
        self.assertEqual(vl.parse_digest("%s\n5\n%s\n" % (LABEL, head)), (LABEL, 5, head, None))
        for bad in ["%s\n5\n%s\n" % (LABEL, b64),                      # no chain line
                    "%s\n5\n%s\nchain %s\n" % (LABEL, b64[:-4], head),  # not 32 bytes
                    "%s\n5\n%s\nchain XY\n" % (LABEL, b64),
                    "%s\n0\n%s\nchain %s\n" % (LABEL, b64, head),
                    "school\n5\n%s\nchain %s\n" % (b64, head)]:
            with self.assertRaises(ValueError):
                vl.parse_digest(bad)


class EvidenceTest(unittest.TestCase):
    """Packs built here from FORMAT.md: a log whose odd lines are about one pupil."""

    def setUp(self):
        import base64
        self.b64 = base64.b64encode
        self.lines = make_lines(13)

    def checkpoint(self, n, label=LABEL):
        leaves = [vl.leaf_hash(chain_hash(x)) for x in self.lines[:n]]
        return "%s\n%d\n%s\nchain %s\n" % (label, n, self.b64(mth(leaves)).decode(),
                                          chain_hash(self.lines[n - 1]))

    def pack(self, n, seqs, digest_size=None):
        leaves = [vl.leaf_hash(chain_hash(x)) for x in self.lines[:n]]
        pack = {"checkpoint": self.checkpoint(n),
                "entries": [{"seq": s, "line": self.lines[s - 1].decode("utf-8"),
                             "proof": [h.hex() for h in path(s - 1, leaves)]} for s in seqs]}
        if digest_size is not None:
            pack["consistency"] = {
                "old_size": digest_size, "new_size": n, "old_root": mth(leaves[:digest_size]).hex(),
                "new_root": mth(leaves).hex(),
                "proof": [h.hex() for h in subproof(digest_size, leaves, True)]}
        return pack

    def digest(self, n, label=LABEL):
        return vl.parse_digest(self.checkpoint(n, label))

    def test_a_true_pack_verifies(self):
        r = vl.check_evidence(self.pack(13, [1, 3, 4, 13]))
        self.assertTrue(r.ok, r.message)
        self.assertEqual(r.entries, 4)

    def test_a_changed_byte_in_any_entry_fails(self):
        for k in range(3):
            pack = self.pack(13, [2, 5, 9])
            line = pack["entries"][k]["line"]
            i = line.index('"mark":"/"') + 8
            pack["entries"][k]["line"] = line[:i] + "\\\\" + line[i + 1:]
            r = vl.check_evidence(pack)
            self.assertFalse(r.ok)
            self.assertEqual(r.seq, [2, 5, 9][k])

    def test_a_changed_seq_a_removed_node_or_a_changed_checkpoint_fails(self):
        pack = self.pack(13, [6])
        pack["entries"][0]["seq"] = 7
        self.assertFalse(vl.check_evidence(pack).ok)
        pack = self.pack(13, [6])
        pack["entries"][0]["proof"].pop(1)
        self.assertFalse(vl.check_evidence(pack).ok)
        pack = self.pack(13, [6])
        pack["checkpoint"] = self.checkpoint(12)
        self.assertFalse(vl.check_evidence(pack).ok)

    def test_a_digest_of_the_same_size_or_an_earlier_one_with_a_consistency_proof(self):
        self.assertTrue(vl.check_evidence(self.pack(13, [3]), self.digest(13)).ok)
        for old in range(1, 13):
            r = vl.check_evidence(self.pack(13, [3], digest_size=old), self.digest(old))
            self.assertTrue(r.ok, (old, r.message))
            self.assertTrue(r.digest_checked)
        # No consistency proof, a proof from another size, a newer digest, another school.
        self.assertFalse(vl.check_evidence(self.pack(13, [3]), self.digest(9)).ok)
        self.assertFalse(vl.check_evidence(self.pack(13, [3], digest_size=8), self.digest(9)).ok)
        self.assertFalse(vl.check_evidence(self.pack(12, [3]), self.digest(13)).ok)
        r = vl.check_evidence(self.pack(13, [3]), self.digest(13, label="rollbook/654321"))
        self.assertFalse(r.ok)
        self.assertIn("rollbook/654321", r.message)

    def test_a_rewrite_before_the_digest_is_refused(self):
        digest = self.digest(8)
        lines = list(self.lines)
        lines[4] = lines[4].replace(b'"mark":"/"', b'"mark":"N"')
        self.lines = rechain(lines)
        pack = self.pack(13, [3], digest_size=8)
        self.assertFalse(vl.check_evidence(pack, digest).ok)
        # Claiming the digest's root for the rewritten history does not help: the proof fails.
        pack["consistency"]["old_root"] = digest[3].hex()
        r = vl.check_evidence(pack, digest)
        self.assertFalse(r.ok)
        self.assertIn("does not verify", r.message)

    def test_the_command_line(self):
        tmp = tempfile.mkdtemp(prefix="rollbook-pack-")
        try:
            p = os.path.join(tmp, "pack.json")
            with open(p, "w") as f:
                json.dump(self.pack(13, [1, 2]), f)
            run = lambda *a: subprocess.run([sys.executable, SCRIPT] + list(a),
                                            capture_output=True, text=True)
            ok = run("--evidence", p)
            self.assertEqual(ok.returncode, 0, ok.stderr)
            self.assertNotIn(NAMES[1], ok.stdout)
            with open(p, "w") as f:
                json.dump(self.pack(13, [1, 2])["entries"], f)
            self.assertEqual(run("--evidence", p).returncode, 1)
            self.assertEqual(run("--evidence", p, tmp).returncode, 2)
        finally:
            shutil.rmtree(tmp)

    def test_a_ledger_directory_with_a_checkpoint_form_digest(self):
        tmp = tempfile.mkdtemp(prefix="rollbook-cpd-")
        try:
            d = os.path.join(tmp, "ledger")
            os.mkdir(d)
            write_ledger(d, self.lines)
            dg = os.path.join(tmp, "digest")
            with open(dg, "w") as f:
                f.write(self.checkpoint(9))
            self.assertTrue(vl.verify(d, dg).ok)
            # The same head but a root from a different history: refused at the digest's count.
            text = self.checkpoint(9)
            other = self.b64(hashlib.sha256(b"x").digest()).decode()
            with open(dg, "w") as f:
                f.write(text.split("\n")[0] + "\n9\n" + other + "\n" + text.split("\n")[3] + "\n")
            r = vl.verify(d, dg)
            self.assertFalse(r.ok)
            self.assertEqual(r.first_bad_seq, 9)
        finally:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    unittest.main()
