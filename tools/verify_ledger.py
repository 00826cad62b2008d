#!/usr/bin/env python3
"""Independent verifier for a Rollbook ledger directory.

Written from events/FORMAT.md alone (the format document is the contract);
it shares no code with the Swift implementation. Python 3 standard library only.

    verify_ledger.py DIR [--digest FILE] [--json]
    verify_ledger.py --evidence PACK [--digest FILE] [--json]

With --evidence, checks a pupil's evidence pack (events/FORMAT.md, "The evidence
pack") instead of a ledger: every entry's line is in the log the pack's
checkpoint summarises, and with --digest that checkpoint extends the digest.

Exit status: 0 the ledger verifies, 1 it does not, 2 usage error or an
unreadable directory/file.

Output never contains line contents (they hold pupils' names): only sequence
numbers, file names, line numbers, member names and hashes.
"""

import argparse
import base64
import binascii
import datetime
import hashlib
import json
import os
import re
import sys

ZEROS = "0" * 64
SEGMENT_DIR = "segments"
CHECKPOINT = "checkpoint"

SEGMENT_NAME = re.compile(r"\A([0-9]{6})\.jsonl\Z")
HEX64 = re.compile(r"\A[0-9a-f]{64}\Z")
LABEL = re.compile(r"\Arollbook/[0-9]+\Z")
COUNT = re.compile(r"\A(?:0|[1-9][0-9]*)\Z")
AT = re.compile(
    r"\A([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\.([0-9]{3})Z\Z"
)

# The opening bytes of an event line: {"seq":N,"at":"…","prev":"<64 hex>"
EVENT_HEAD = re.compile(rb'\{"seq":(0|[1-9][0-9]*),"at":"([^"\\]*)","prev":"([0-9a-f]{64})"')
# The same, strict, for the fast path: at has a valid time of day; the date is checked apart.
FAST_HEAD = re.compile(
    rb'\{"seq":([1-9][0-9]*),"at":"((([0-9]{4})-([0-9]{2})-([0-9]{2}))'
    rb'T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{3}Z)","prev":"([0-9a-f]{64})"[,}]')
# A whole stub line: {"seq":N,"prev":"<64 hex>","disposed":"<64 hex>"}
STUB = re.compile(rb'\{"seq":(0|[1-9][0-9]*),"prev":"([0-9a-f]{64})","disposed":"([0-9a-f]{64})"\}')

# Tie-break between faults naming the same sequence number (lower is reported).
R_STRUCT, R_GAP, R_TORN, R_LINK, R_MISSING, R_OFFSET, R_TRAILING, R_STUB, R_DIGEST = range(9)


class UsageError(Exception):
    """Exit status 2: bad arguments, or something that cannot be read at all."""


class Fault:
    __slots__ = ("seq", "rank", "segment", "line", "message")

    def __init__(self, seq, rank, segment, line, message):
        self.seq = seq
        self.rank = rank
        self.segment = segment
        self.line = line
        self.message = message

    def key(self):
        return (self.seq is None, self.seq or 0, self.rank)


class Result:
    def __init__(self, ok, label, count, head, fault=None):
        self.ok = ok
        self.label = label
        self.count = count
        self.head = head
        self.fault = fault

    @property
    def first_bad_seq(self):
        return self.fault.seq if self.fault else None

    @property
    def segment(self):
        return self.fault.segment if self.fault else None

    @property
    def line(self):
        return self.fault.line if self.fault else None

    @property
    def message(self):
        return self.fault.message if self.fault else None

    def as_dict(self):
        return {
            "ok": self.ok,
            "label": self.label,
            "count": self.count,
            "head": self.head,
            "first_bad_seq": self.first_bad_seq,
            "segment": self.segment,
            "line": self.line,
            "message": self.message,
        }

    def text(self):
        if self.ok:
            label = self.label if self.label is not None else "empty ledger"
            return "ok: %s, %d events, head %s" % (label, self.count, self.head)
        f = self.fault
        if f.seq is not None:
            return "FAIL seq %d (%s line %d): %s" % (f.seq, f.segment, f.line, f.message)
        if f.segment is not None:
            return "FAIL (%s): %s" % (f.segment, f.message)
        return "FAIL: %s" % f.message


# --------------------------------------------------------------------------- helpers

class _DuplicateMember(ValueError):
    pass


def _pairs(pairs):
    d = dict(pairs)
    if len(d) != len(pairs):
        raise _DuplicateMember("duplicate member")
    return d


def _no_constants(name):
    raise ValueError("non-standard JSON constant")


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_no_constants)
_scan_once = _DECODER.scan_once


def _loads(text):
    """Strict json.loads: rejects duplicate member names and NaN/Infinity."""
    return _DECODER.decode(text)


def _loads_object_line(text):
    """Parse text that starts with '{' and must be exactly one JSON value (fast path)."""
    try:
        obj, end = _scan_once(text, 0)
    except StopIteration:
        raise ValueError("no JSON value")
    if end != len(text):
        raise ValueError("extra data")
    return obj


_valid_dates = set()
good_dates = set()  # b"YYYY-MM-DD" already known to be real dates


def valid_at(value):
    """True if value is exactly YYYY-MM-DDTHH:MM:SS.sssZ and a real UTC time."""
    if not isinstance(value, str):
        return False
    m = AT.match(value)
    if not m:
        return False
    date = value[:10]
    if date not in _valid_dates:
        try:
            datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return False
        if len(_valid_dates) > 100000:
            _valid_dates.clear()
        _valid_dates.add(date)
    return int(m.group(4)) < 24 and int(m.group(5)) < 60 and int(m.group(6)) < 60


def valid_date(fast):
    """Validate the date groups of a FAST_HEAD match; remember good ones by their bytes."""
    try:
        datetime.date(int(fast.group(4)), int(fast.group(5)), int(fast.group(6)))
    except ValueError:
        return False
    if len(good_dates) > 100000:
        good_dates.clear()
    good_dates.add(fast.group(3))
    return True


def is_int(v):
    return type(v) is int


def seg_rel(num):
    return "%s/%06d.jsonl" % (SEGMENT_DIR, num)


def examine(line, p):
    """Look at one stored line (without its \\n) that should be sequence p.

    Returns (link_prev, chain, at, is_stub, obj, problem):
      link_prev  the line's prev if its opening bytes are readable and carry seq p
                 (only such a line takes part in the link-by-link chain check), else None
      chain      the line's chain hash (SHA-256 of the bytes, or `disposed` of a stub)
      at         the line's `at` if well formed, else None (stubs: None)
      is_stub    whether it is a well-formed stub
      obj        the parsed JSON object (events only), else None
      problem    a sentence fragment describing a structural fault, or None
    """
    if not line:
        return None, hashlib.sha256(line).hexdigest(), None, False, None, \
            "is empty (a blank line)"

    m = STUB.fullmatch(line)
    if m:
        seq = int(m.group(1))
        prev = m.group(2).decode("ascii")
        disposed = m.group(3).decode("ascii")
        if seq != p:
            return None, disposed, None, True, None, \
                "is a disposed-line stub with seq %d where seq %d was expected" % (seq, p)
        return prev, disposed, None, True, None, None

    chain = hashlib.sha256(line).hexdigest()
    head = EVENT_HEAD.match(line)
    link_prev = None
    if head and int(head.group(1)) == p:
        link_prev = head.group(3).decode("ascii")

    def bad(msg):
        return link_prev, chain, None, False, None, msg

    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return bad("is not valid UTF-8")
    try:
        obj = _loads(text)
    except _DuplicateMember:
        return bad("is a JSON object with a duplicated member name")
    except (ValueError, RecursionError):
        return bad("is not valid JSON")
    if not isinstance(obj, dict):
        return bad("is not a JSON object")
    if line[:1] != b"{" or line[-1:] != b"}":
        return bad("has bytes outside its JSON object (whitespace or a carriage return)")
    keys = list(obj)
    if keys == ["seq", "prev", "disposed"]:
        return bad('looks like a disposed-line stub but is not written exactly as '
                   '{"seq":N,"prev":"<64 lowercase hex>","disposed":"<64 lowercase hex>"}')
    if keys[:3] != ["seq", "at", "prev"]:
        return bad("does not start with the members seq, at, prev in that order")
    seq = obj["seq"]
    at = obj["at"]
    prev = obj["prev"]
    if not is_int(seq):
        return bad("has a seq member that is not an integer")
    if not (isinstance(prev, str) and HEX64.match(prev)):
        return bad("has a prev member that is not 64 lowercase hex digits")
    if not valid_at(at):
        return bad("has an at member that is not a real UTC time written exactly as "
                   "YYYY-MM-DDTHH:MM:SS.sssZ")
    if not (head and head.group(1) == str(seq).encode("ascii")
            and head.group(2) == at.encode("ascii") and head.group(3) == prev.encode("ascii")):
        return bad('does not begin with the exact bytes {"seq":N,"at":"…","prev":"…" '
                   "(the leading members must be written compactly, in that order)")
    if seq != p:
        return bad("has seq %d where seq %d was expected" % (seq, p))
    return link_prev, chain, at, False, obj, None


# --------------------------------------------------------------------------- inputs

def parse_digest(text, what="the digest"):
    """Parses a digest in either form (events/FORMAT.md, "The digest"): returns
    (label, count, head hex, root bytes or None). Raises ValueError naming the line."""
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    lines = [ln.strip() for ln in lines]
    if len(lines) < 3:
        raise ValueError("%s must have at least three lines (label, count, and the root "
                         "or head)" % what)
    label, count = lines[0], lines[1]
    if not LABEL.match(label):
        raise ValueError("%s's first line is not a label rollbook/<URN>" % what)
    if not COUNT.match(count):
        raise ValueError("%s's second line is not a count" % what)
    count = int(count)
    if HEX64.match(lines[2]):
        if len(lines) != 3:
            raise ValueError("%s has a hex head on line 3, so it must have exactly three "
                             "lines" % what)
        head = lines[2]
        if count == 0 and head != ZEROS:
            raise ValueError("%s has count 0 but its head is not 64 zeros" % what)
        return label, count, head, None
    try:
        if not re.match(r"\A[A-Za-z0-9+/]+={0,2}\Z", lines[2]):
            raise binascii.Error("not base64")
        root = base64.b64decode(lines[2], validate=True)
    except (binascii.Error, ValueError):
        root = None
    if root is None or len(root) != 32 or base64.b64encode(root).decode("ascii") != lines[2]:
        raise ValueError("%s's third line is neither 64 lowercase hex digits (a head) nor a "
                         "32-byte root in standard base64" % what)
    if count == 0:
        raise ValueError("%s's tree size must be at least 1" % what)
    head = None
    for number, ln in enumerate(lines[3:], start=4):
        if ln == "":
            break
        if not ln.startswith("chain "):
            continue
        if head is not None:
            raise ValueError("%s repeats the chain line (line %d)" % (what, number))
        value = ln[6:].strip()
        if not HEX64.match(value):
            raise ValueError("%s's line %d is not chain <64 lowercase hex digits>" % (what, number))
        head = value
    if head is None:
        raise ValueError("%s has no line chain <head hash>" % what)
    return label, count, head, root


def read_digest(path):
    try:
        with open(path, "rb") as f:
            data = f.read(4096)
    except OSError as e:
        raise UsageError("cannot read the digest file %s: %s" % (path, e.strerror))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError("the digest file %s is not UTF-8 text" % path)
    try:
        return parse_digest(text, "the digest file")
    except ValueError as e:
        raise UsageError(str(e))


# --------------------------------------------------------------------------- the tree (RFC 6962)

def leaf_hash(chain_hex):
    """SHA-256(0x00 || the 32 bytes of a chain hash)."""
    return hashlib.sha256(b"\x00" + bytes.fromhex(chain_hex)).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def tree_root(leaf_hashes):
    """MTH over leaf hashes (at least one): pairing level by level, an odd last node moving up
    unchanged, gives the same tree as RFC 6962's split at the largest power of two."""
    level = list(leaf_hashes)
    while len(level) > 1:
        nxt = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def root_from_inclusion(leaf, index, size, proof):
    """RFC 9162 section 2.1.3.2: the root an inclusion proof leads to, or None."""
    if not (0 <= index < size):
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_consistency(old_size, new_size, old_root, new_root, proof):
    """RFC 9162 section 2.1.4.2."""
    if not (1 <= old_size <= new_size):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


def read_checkpoint(directory):
    """Returns (checkpoint dict or None, Fault or None, missing?)."""
    path = os.path.join(directory, CHECKPOINT)
    if not os.path.lexists(path):
        return None, None, True
    if not os.path.isfile(path):
        raise UsageError("%s is not a regular file" % path)
    try:
        with open(path, "rb") as f:
            data = f.read(1 << 16)
    except OSError as e:
        raise UsageError("cannot read %s: %s" % (path, e.strerror))

    def bad(msg):
        return None, Fault(None, 0, CHECKPOINT, None, msg), False

    if not data.endswith(b"\n") or data.count(b"\n") != 1:
        return bad("The checkpoint is not exactly one line ending in a newline.")
    try:
        cp = _loads(data[:-1].decode("utf-8"))
    except _DuplicateMember:
        return bad("The checkpoint repeats a member name.")
    except (UnicodeDecodeError, ValueError, RecursionError):
        return bad("The checkpoint is not valid JSON.")
    if not isinstance(cp, dict):
        return bad("The checkpoint is not a JSON object.")
    want = {"label", "count", "head", "segment", "offset"}
    if set(cp) != want:
        return bad("The checkpoint must have exactly the members label, count, head, "
                   "segment and offset.")
    if not (isinstance(cp["label"], str) and LABEL.match(cp["label"])):
        return bad("The checkpoint's label is not rollbook/ followed by a school URN.")
    if not (is_int(cp["count"]) and cp["count"] >= 0):
        return bad("The checkpoint's count is not a non-negative integer.")
    if not (isinstance(cp["head"], str) and HEX64.match(cp["head"])):
        return bad("The checkpoint's head is not 64 lowercase hex digits.")
    if not (is_int(cp["segment"]) and cp["segment"] >= 1):
        return bad("The checkpoint's segment is not a positive integer.")
    if not (is_int(cp["offset"]) and cp["offset"] >= 0):
        return bad("The checkpoint's offset is not a non-negative integer.")
    if cp["count"] == 0 and (cp["head"] != ZEROS or cp["segment"] != 1 or cp["offset"] != 0):
        return bad("The checkpoint has count 0 but its head is not 64 zeros or it does not "
                   "point at segment 1, offset 0.")
    return cp, None, False


def list_segments(directory):
    """Returns (contiguous segment numbers from 1, first missing number if later
    segments exist else None, list of stray .jsonl names)."""
    segdir = os.path.join(directory, SEGMENT_DIR)
    if not os.path.lexists(segdir):
        return [], None, []
    if not os.path.isdir(segdir):
        raise UsageError("%s is not a directory" % segdir)
    try:
        names = os.listdir(segdir)
    except OSError as e:
        raise UsageError("cannot list %s: %s" % (segdir, e.strerror))
    numbers = set()
    stray = []
    for name in names:
        if not name.endswith(".jsonl"):
            continue
        m = SEGMENT_NAME.match(name)
        if m and int(m.group(1)) >= 1 and os.path.isfile(os.path.join(segdir, name)):
            numbers.add(int(m.group(1)))
        else:
            stray.append(name)
    contiguous = []
    n = 1
    while n in numbers:
        contiguous.append(n)
        n += 1
    gap = n if len(contiguous) != len(numbers) else None
    return contiguous, gap, sorted(stray)


# --------------------------------------------------------------------------- verifier

def verify(directory, digest_path=None):
    if not os.path.isdir(directory):
        raise UsageError("%s is not a directory" % directory)
    try:
        os.listdir(directory)
    except OSError as e:
        raise UsageError("cannot read the directory %s: %s" % (directory, e.strerror))

    digest = read_digest(digest_path) if digest_path is not None else None
    cp, cp_fault, cp_missing = read_checkpoint(directory)
    segments, gap, stray = list_segments(directory)

    faults = []
    # limit: the number of committed lines; None when the checkpoint is unusable.
    if cp is not None:
        limit = cp["count"]
    elif cp_missing:
        limit = 0
    else:
        limit = None
        faults.append(cp_fault)
    for name in stray:
        faults.append(Fault(None, R_STRUCT, "%s/%s" % (SEGMENT_DIR, name), None,
                            "The segment directory holds a .jsonl file that is not named "
                            "000001.jsonl, 000002.jsonl, … in sequence."))

    digest_count = digest[1] if digest else None
    digest_chain = digest_loc = None
    # the chain hashes of lines 1 … digest count, when the digest has a tree root
    digest_leaves = [] if digest is not None and digest[3] is not None else None

    # Streaming state.
    pos = 0                  # committed lines fully read so far (= seq of the last one)
    prev_chain = ZEROS       # chain hash of line pos
    prev_loc = None
    last_at = None           # `at` of the latest non-stub line
    last_at_seq = None
    struct_fault = None      # first structural/time fault
    broken = None            # (a, loc of a, loc of a+1): first broken link, awaiting attribution
    link_fault = None
    stubs = []               # (seq, segment, line)
    covers = []              # (first, last) ranges named by later retention.disposed events
    count_end = None         # (segment number, offset past \n, size of that segment) of line `limit`
    count_chain = count_loc = None
    torn = None              # (p, segment, line, in last segment?)
    trailing = None          # (segment, line) where bytes after the committed lines start
    last_seg = None          # (segment rel, number of lines seen in it)
    sha256 = hashlib.sha256

    def resolve_link(a, loc_a, loc_a1, next_broken, after):
        """The first broken link is the one after line a; name a, or a+1 when the link
        after a+1 is broken too."""
        if a == 0:
            if next_broken:
                return Fault(1, R_LINK, loc_a1[0], loc_a1[1],
                             "This line's prev is not 64 zeros as the first line's must be, "
                             "and its own chain hash does not match %s: this line was "
                             "changed." % after)
            return Fault(1, R_LINK, loc_a1[0], loc_a1[1],
                         "This line's prev is not 64 zeros as the first line's must be.")
        if next_broken:
            return Fault(a + 1, R_LINK, loc_a1[0], loc_a1[1],
                         "This line's prev does not match the chain hash of seq %d, and its "
                             "own chain "
                         "hash does not match %s: this line was changed." % (a, after))
        return Fault(a, R_LINK, loc_a[0], loc_a[1],
                     "This line's chain hash does not match the prev of seq %d: this line "
                     "was changed "
                     "or replaced." % (a + 1))

    stop = False
    for si, segnum in enumerate(segments):
        if stop:
            break
        rel = seg_rel(segnum)
        path = os.path.join(directory, SEGMENT_DIR, "%06d.jsonl" % segnum)
        is_last_segment = si == len(segments) - 1
        try:
            f = open(path, "rb")
        except OSError as e:
            raise UsageError("cannot read %s: %s" % (path, e.strerror))
        with f:
            try:
                size = os.fstat(f.fileno()).st_size
            except OSError:
                size = None
            lineno = 0
            offset = 0
            try:
                for raw in f:
                    lineno += 1
                    if limit is not None and pos >= limit:
                        trailing = (rel, lineno)
                        stop = True
                        break
                    offset += len(raw)
                    p = pos + 1
                    loc = (rel, lineno)
                    if raw[-1:] != b"\n":
                        torn = (p, rel, lineno, is_last_segment)
                        stop = True
                        break
                    line = raw[:-1]

                    # ---- examine the line (fast path for a well-formed event) ----
                    obj = None
                    problem = None
                    is_stub = False
                    fast = FAST_HEAD.match(line)
                    if (fast is not None and line[-1:] == b"}"
                            and int(fast.group(1)) == p
                            and (fast.group(3) in good_dates or valid_date(fast))):
                        try:
                            obj = _loads_object_line(line.decode("utf-8"))
                        except (ValueError, RecursionError):
                            obj = None
                        if obj is not None:
                            link_prev = fast.group(7).decode("ascii")
                            at = fast.group(2).decode("ascii")
                            # the raw prefix matched and the line is strict JSON without
                            # duplicate members, so these are its first three members
                            if (obj.get("seq") == p and obj.get("at") == at
                                    and obj.get("prev") == link_prev):
                                chain = sha256(line).hexdigest()
                            else:
                                obj = None
                    if obj is None:
                        link_prev, chain, at, is_stub, obj, problem = examine(line, p)

                    # ---- structural and time rules ----
                    if struct_fault is None:
                        if problem is None and at is not None and last_at is not None \
                                and at < last_at:
                            problem = ("has an at member earlier than that of seq %d, the previous "
                                       "line that is not a stub" % last_at_seq)
                        if problem is not None:
                            struct_fault = Fault(p, R_STRUCT, rel, lineno,
                                                 "The line " + problem + ".")
                    if at is not None:
                        last_at = at
                        last_at_seq = p

                    # ---- link by link ----
                    if link_fault is None and link_prev is not None:
                        link_ok = link_prev == prev_chain
                        if broken is not None:
                            if p == broken[0] + 2:
                                link_fault = resolve_link(broken[0], broken[1], broken[2],
                                                          not link_ok, "the prev of seq %d" % p)
                        elif not link_ok:
                            broken = (p - 1, prev_loc, loc)
                    elif link_fault is None and broken is not None and p == broken[0] + 2:
                        # The link after a+1 cannot be tested: attribute to a.
                        link_fault = resolve_link(broken[0], broken[1], broken[2], False, "")

                    # ---- retention bookkeeping ----
                    if is_stub:
                        stubs.append((p, rel, lineno))
                    elif obj is not None and b"retention.disposed" in line \
                            and obj.get("type") == "retention.disposed":
                        ranges = obj.get("ranges")
                        if isinstance(ranges, list):
                            for r in ranges:
                                if isinstance(r, dict) and is_int(r.get("first_seq")) \
                                        and is_int(r.get("last_seq")):
                                    first = r["first_seq"]
                                    last = min(r["last_seq"], p - 1)  # must be *later*
                                    if first <= last:
                                        covers.append((first, last))

                    if digest_leaves is not None and p <= digest_count:
                        digest_leaves.append(chain)
                    if p == digest_count:
                        digest_chain = chain
                        digest_loc = loc
                    if p == limit:
                        count_end = (segnum, offset, size)
                        count_chain = chain
                        count_loc = loc
                    prev_chain = chain
                    prev_loc = loc
                    pos = p
            except OSError as e:
                raise UsageError("cannot read %s: %s" % (path, e.strerror))
            last_seg = (rel, lineno)

    n = pos
    # where line n+1 is, or would be
    if trailing is not None:
        next_loc = trailing
    elif torn is not None:
        next_loc = (torn[1], torn[2])
    elif last_seg is not None:
        next_loc = (last_seg[0], last_seg[1] + 1)
    else:
        next_loc = (seg_rel(1), 1)
    if struct_fault is not None:
        faults.append(struct_fault)

    # ---- end of the readable log ----
    if torn is not None:
        p, rel, lineno, at_end = torn
        if at_end:
            msg = ("The log ends in the middle of this line (it has no terminating newline): "
                   "it was cut or its write was interrupted.")
        else:
            msg = ("The segment ends in the middle of this line (it has no terminating "
                   "newline) although a later segment follows.")
        faults.append(Fault(p, R_TORN, rel, lineno, msg))
    if gap is not None and trailing is None:
        faults.append(Fault(n + 1, R_GAP, seg_rel(gap), 1,
                            "The segment file %06d.jsonl is missing although later segment "
                            "files exist." % gap))
    if limit is not None and n < limit and torn is None:
        faults.append(Fault(n + 1, R_MISSING, next_loc[0], next_loc[1],
                            "The checkpoint records %d committed lines but the log ends after "
                            "seq %d: lines were removed or the log was cut." % (limit, n)))
    if trailing is not None:
        rel, lineno = trailing
        if cp_missing:
            msg = ("There is no checkpoint, so no line is committed, yet the segments hold "
                   "lines: an interrupted first write or a deleted checkpoint.")
        else:
            msg = ("There are bytes after the %d committed lines recorded by the checkpoint: "
                   "an interrupted write that never committed." % limit)
        faults.append(Fault(limit + 1, R_TRAILING, rel, lineno, msg))

    # ---- finish the link check (the link after line `limit` is the checkpoint's head) ----
    if link_fault is None:
        head_test = limit is not None and limit >= 1 and n >= limit
        head_broken = head_test and count_chain != cp["head"]
        if broken is not None:
            a = broken[0]
            if head_test and a + 1 == limit:
                link_fault = resolve_link(a, broken[1], broken[2], head_broken,
                                          "the checkpoint's head")
            else:
                link_fault = resolve_link(a, broken[1], broken[2], False, "")
        elif head_broken:
            link_fault = Fault(limit, R_LINK, count_loc[0], count_loc[1],
                               "This line's chain hash does not match the checkpoint's head: "
                               "the last committed line was changed or replaced.")
    if link_fault is not None:
        faults.append(link_fault)

    # ---- the checkpoint's segment and offset point just past line `limit` ----
    if limit is not None and limit >= 1 and n >= limit:
        seg_n, off, size = count_end
        where = (cp["segment"], cp["offset"])
        ok_places = {(seg_n, off)}
        if size == off and seg_n + 1 in segments:
            ok_places.add((seg_n + 1, 0))
        if where not in ok_places:
            faults.append(Fault(limit, R_OFFSET, count_loc[0], count_loc[1],
                                "The checkpoint's segment and offset (%d, %d) do not point just "
                                "past this line, which ends at segment %d, offset %d."
                                % (cp["segment"], cp["offset"], seg_n, off)))

    # ---- the digest ----
    if digest is not None:
        d_label, d_count, d_head, d_root = digest
        if d_count > n:
            faults.append(Fault(n + 1, R_DIGEST, next_loc[0], next_loc[1],
                                "The digest covers %d lines but the log has only %d committed "
                                "lines: it was cut." % (d_count, n)))
        elif d_count >= 1:
            if cp is not None and cp["label"] != d_label:
                faults.append(Fault(d_count, R_DIGEST, digest_loc[0], digest_loc[1],
                                    "The digest's label %s does not match the checkpoint's "
                                    "label %s." % (d_label, cp["label"])))
            elif digest_chain != d_head:
                faults.append(Fault(d_count, R_DIGEST, digest_loc[0], digest_loc[1],
                                    "The chain hash of this line does not match the digest's "
                                    "head %s: the log was rewritten at or before this line."
                                    % d_head))
            elif d_root is not None and (len(digest_leaves) != d_count or tree_root(
                    [leaf_hash(c) for c in digest_leaves]) != d_root):
                faults.append(Fault(d_count, R_DIGEST, digest_loc[0], digest_loc[1],
                                    "The root of the tree over lines 1 to %d is not the "
                                    "digest's root: the log was rewritten at or before this "
                                    "line." % d_count))
        elif cp is not None and cp["label"] != d_label:
            faults.append(Fault(None, R_DIGEST, CHECKPOINT, None,
                                "The digest's label %s does not match the checkpoint's label %s."
                                % (d_label, cp["label"])))

    # ---- stub coverage (only meaningful when the chain itself is intact) ----
    chain_intact = not any(flt.rank in (R_STRUCT, R_GAP, R_TORN, R_LINK, R_MISSING)
                           and flt.seq is not None for flt in faults)
    if stubs and chain_intact:
        covers.sort()
        merged = []
        for first, last in covers:
            if merged and first <= merged[-1][1] + 1:
                if last > merged[-1][1]:
                    merged[-1][1] = last
            else:
                merged.append([first, last])
        i = 0
        for seq, rel, lineno in stubs:
            while i < len(merged) and merged[i][1] < seq:
                i += 1
            if not (i < len(merged) and merged[i][0] <= seq):
                faults.append(Fault(seq, R_STUB, rel, lineno,
                                    "This line is a disposed-line stub, but no later "
                                    "retention.disposed event names its seq in its ranges."))
                break

    label = cp["label"] if cp is not None else None
    if not faults:
        head = count_chain if (cp is not None and cp["count"] >= 1) else ZEROS
        return Result(True, label, limit if limit is not None else 0, head)
    faults.sort(key=Fault.key)
    return Result(False, label, cp["count"] if cp is not None else None,
                  cp["head"] if cp is not None else None, faults[0])


# --------------------------------------------------------------------------- evidence packs

class EvidenceResult:
    def __init__(self, ok, origin=None, size=None, entries=0, digest_checked=False,
                 seq=None, message=None):
        self.ok = ok
        self.origin = origin
        self.size = size
        self.entries = entries
        self.digest_checked = digest_checked
        self.seq = seq            # the entry at fault, when one is
        self.message = message

    def as_dict(self):
        return {"ok": self.ok, "origin": self.origin, "size": self.size,
                "entries": self.entries, "digest_checked": self.digest_checked,
                "seq": self.seq, "message": self.message}

    def text(self):
        if self.ok:
            note = " (it extends the digest)" if self.digest_checked else ""
            return ("ok: evidence pack for %s at %d events: %d entries, each a line of the log "
                    "the checkpoint summarises%s" % (self.origin, self.size, self.entries, note))
        if self.seq is not None:
            return "FAIL entry seq %d: %s" % (self.seq, self.message)
        return "FAIL: %s" % self.message


def _hex_nodes(value):
    if not isinstance(value, list) or not all(isinstance(h, str) and HEX64.match(h)
                                              for h in value):
        return None
    return [bytes.fromhex(h) for h in value]


def check_evidence(pack, digest=None):
    """Checks a parsed evidence pack (events/FORMAT.md, "The evidence pack"), and with a
    digest (as parse_digest returns it) that the pack's checkpoint extends it."""
    def fail(message, seq=None, **kw):
        return EvidenceResult(False, seq=seq, message=message, **kw)

    if not isinstance(pack, dict):
        return fail("The pack is not a JSON object.")
    text = pack.get("checkpoint")
    if not isinstance(text, str):
        return fail("The pack has no \"checkpoint\" string.")
    try:
        origin, size, head, root = parse_digest(text, "the pack's checkpoint")
    except ValueError as e:
        return fail("The pack's checkpoint is not valid: %s." % e)
    if root is None:
        return fail("The pack's checkpoint has no tree root (it is in the three-line form), "
                    "so no proof can lead to it.")
    entries = pack.get("entries")
    if not isinstance(entries, list) or not entries:
        return fail("The pack has no entries.", origin=origin, size=size)
    done = dict(origin=origin, size=size, entries=len(entries))
    previous = None   # (seq, chain hex) of the entry before
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not is_int(entry.get("seq")) \
                or not isinstance(entry.get("line"), str):
            return fail("Entry %d has no integer \"seq\" or no \"line\" string." % number,
                        **done)
        seq = entry["seq"]
        if previous is not None and seq <= previous[0]:
            return fail("The entries are not in ascending seq order (entry %d)." % number,
                        seq, **done)
        if not (1 <= seq <= size):
            return fail("The seq is outside the checkpoint's %d events." % size, seq, **done)
        proof = _hex_nodes(entry.get("proof"))
        if proof is None:
            return fail("The proof is not a list of 64-digit lowercase hex node hashes.",
                        seq, **done)
        line = entry["line"]
        if "\n" in line:
            return fail("The line holds a newline, so it is not one line of the log.", seq, **done)
        raw = line.encode("utf-8", "surrogatepass")
        try:
            obj = _loads_object_line(line)
        except (ValueError, RecursionError):
            obj = None
        if not isinstance(obj, dict) or obj.get("seq") != seq:
            return fail("The line is not one JSON object whose seq is the entry's.", seq, **done)
        if "disposed" in obj or "at" not in obj:
            return fail("The line is a disposal stub, which holds no content to prove.",
                        seq, **done)
        chain = hashlib.sha256(raw).hexdigest()
        got = root_from_inclusion(leaf_hash(chain), seq - 1, size, proof)
        if got != root:
            return fail("The line is not proven to be line %d of the log: its inclusion proof "
                        "does not lead to the checkpoint's root (the line or the proof was "
                        "changed)." % seq, seq, **done)
        if seq == size and chain != head:
            return fail("The line is the checkpoint's last, but it does not hash to the "
                        "checkpoint's chain head.", seq, **done)
        if previous is not None and previous[0] + 1 == seq and obj.get("prev") != previous[1]:
            return fail("The line's prev is not the chain hash of the entry before it.",
                        seq, **done)
        previous = (seq, chain)

    if digest is None:
        return EvidenceResult(True, **done)
    d_label, d_count, d_head, d_root = digest
    done["digest_checked"] = True
    if d_label != origin:
        return fail("The pack is for %s but the digest is for %s." % (origin, d_label), **done)
    if d_count == size:
        if (d_root is not None and d_root != root) or d_head != head:
            return fail("The pack's checkpoint and the digest cover the same %d events but "
                        "their roots or heads differ: the log was rewritten." % size, **done)
        return EvidenceResult(True, **done)
    if d_count > size:
        return fail("The digest covers %d events, more than the pack's %d: the pack is older "
                    "than the digest. Ask for a new pack made with --digest." % (d_count, size),
                    **done)
    if d_root is None:
        return fail("The digest is in the three-line form, which has no tree root, and covers "
                    "fewer events than the pack: keep digests from `rollbook digest` now, or "
                    "ask for a pack of the digest's size.", **done)
    c = pack.get("consistency")
    if not isinstance(c, dict):
        return fail("The digest covers %d events and the pack %d, but the pack carries no "
                    "\"consistency\" proof between them (make it with --digest)."
                    % (d_count, size), **done)
    nodes = _hex_nodes(c.get("proof"))
    if (c.get("old_size") != d_count or c.get("new_size") != size
            or not isinstance(c.get("old_root"), str) or not isinstance(c.get("new_root"), str)
            or c["old_root"] != d_root.hex() or c["new_root"] != root.hex() or nodes is None):
        return fail("The pack's consistency proof is not from the digest (size %d) to the "
                    "pack's checkpoint (size %d)." % (d_count, size), **done)
    if not verify_consistency(d_count, size, d_root, root, nodes):
        return fail("The consistency proof from the digest's %d events to the pack's %d does "
                    "not verify: the log was rewritten, or the proof was changed."
                    % (d_count, size), **done)
    return EvidenceResult(True, **done)


def verify_evidence(pack_path, digest_path=None):
    digest = read_digest(digest_path) if digest_path is not None else None
    try:
        with open(pack_path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise UsageError("cannot read the evidence pack %s: %s" % (pack_path, e.strerror))
    try:
        pack = _loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return EvidenceResult(False, message="The evidence pack is not valid JSON in UTF-8.")
    return check_evidence(pack, digest)


# --------------------------------------------------------------------------- CLI

def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Verify a Rollbook ledger directory (see events/FORMAT.md).")
    parser.add_argument("dir", metavar="DIR", nargs="?", help="the ledger directory")
    parser.add_argument("--digest", metavar="FILE",
                        help="a digest (rollbook digest's checkpoint, or the earlier three-line "
                             "form) the log or the pack's checkpoint must extend")
    parser.add_argument("--evidence", metavar="PACK",
                        help="check a pupil's evidence pack (rollbook-replay prove) instead of "
                             "a ledger directory")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if (args.dir is None) == (args.evidence is None):
        parser.error("give either a ledger directory DIR or --evidence PACK")
    try:
        if args.evidence is not None:
            result = verify_evidence(args.evidence, args.digest)
        else:
            result = verify(args.dir, args.digest)
    except UsageError as e:
        if args.json:
            print(json.dumps({"ok": False, "label": None, "count": None, "head": None,
                              "first_bad_seq": None, "segment": None, "line": None,
                              "message": str(e)}))
        print("verify_ledger.py: error: %s" % e, file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.as_dict()))
    else:
        print(result.text())
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
