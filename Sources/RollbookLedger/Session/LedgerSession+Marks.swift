import RollbookDomain
import RollbookLog
import RollbookProjections

extension LedgerSession {
    /// Records one mark, durably, after checking it against the rules and the register.
    @discardableResult
    public func record(_ mark: MarkRecorded) throws -> Appended {
        try retryingIfIndexDamaged {
            _ = try author
            try Rules.checkText(mark.note, at: MarkSource.options.place(.note), optional: true)
            let pupil = try state.requirePupil(mark.upn, at: MarkSource.options.place(.upn))
            try state.checkMark(mark, pupil: pupil, madeAt: context.clock(), from: .options)
            try state.refuseMarked(pupil: pupil, date: mark.date, session: mark.session, from: .options)
            return try append([.markRecorded(mark)])
        }
    }

    /// An amendment as asked for: which session, the new code, and why.
    public struct Amendment: Sendable, Hashable {
        /// The pupil's UPN.
        public var upn: String
        /// The session's date.
        public var date: SchoolDate
        /// The session.
        public var session: Session
        /// The amended code.
        public var code: AttendanceCode
        /// Minutes late, with `L` or `U`.
        public var minutesLate: Int?
        /// The reason (statutory).
        public var reason: String
        /// Creates an amendment request.
        public init(upn: String, date: SchoolDate, session: Session, code: AttendanceCode, minutesLate: Int?, reason: String) {
            self.upn = upn
            self.date = date
            self.session = session
            self.code = code
            self.minutesLate = minutesLate
            self.reason = reason
        }
    }

    /// Amends a mark, recording the five statutory facts: the original entry, the amended entry, the
    /// reason, the date of the amendment and the author's name and position.
    @discardableResult
    public func amend(_ request: Amendment) throws -> (amendment: MarkAmended, appended: Appended) {
        try retryingIfIndexDamaged {
            _ = try author
            try Rules.checkText(request.reason, at: .option("--reason"), optional: false)
            let pupil = try state.requirePupil(request.upn, at: .option("--upn"))
            guard let existing = state.mark(pupil: pupil.index, date: request.date, session: request.session) else {
                if let disposal = state.disposal(reaching: request.date) {
                    throw LedgerError.rejected("there is no mark for UPN \(request.upn) on \(request.date) \(request.session) to amend: entries made before \(disposal.event.before) were disposed of after six years (retention, seq \(disposal.seq))",
                                               at: MarkSource.options.whole)
                }
                throw LedgerError.rejected("there is no mark for UPN \(request.upn) on \(request.date) \(request.session) to amend; record one with `rollbook mark`",
                                           at: MarkSource.options.whole)
            }
            // The original entry is a statutory fact: it is taken from the line that made it, never from the cache.
            let original = try standingEntry(existing, upn: request.upn, date: request.date, session: request.session)
            if original.code == request.code && original.minutesLate == request.minutesLate {
                throw LedgerError.rejected("the mark is already \(request.code); an amendment must change it", at: .option("--code"))
            }
            try state.checkCode(request.code, date: request.date, session: request.session, minutesLate: request.minutesLate, from: .options)
            try state.checkRegisterTimes(request.code, date: request.date, session: request.session, minutesLate: request.minutesLate,
                                         madeAt: context.clock(), from: .options)
            let amendment = MarkAmended(upn: request.upn, date: request.date, session: request.session, original: original.code,
                                        originalMinutesLate: original.minutesLate, amended: request.code, minutesLate: request.minutesLate,
                                        reason: Rules.trimmed(request.reason), amendedOn: today)
            return (amendment, try append([.markAmended(amendment)]))
        }
    }


    /// The entry standing for a session, read from the log line that made it (the mark, or its latest
    /// amendment); an error when that line does not say what the cache says it does.
    func standingEntry(_ entry: MarkEntry, upn: String, date: SchoolDate, session: Session) throws -> (code: AttendanceCode, minutesLate: Int?) {
        let seq = entry.amendedSeq ?? entry.seq
        let reader = LogReader(directory: context.directory)
        let disagrees = LedgerError.cacheDisagrees(cache: reader.paths.snapshot, seq: seq)
        guard let found = try reader.line(seq: seq) else { throw disagrees }
        let envelope = try found.bytes.withUnsafeBytes { bytes in
            try EventEnvelope(line: LogLine(seq: seq, at: found.at, bytes: bytes, hash: .zero, segment: 0, lineNumber: 0))
        }
        switch envelope.event {
        case .markRecorded(let m) where m.upn == upn && m.date == date && m.session == session:
            guard m.code == entry.code && m.minutesLate == entry.minutesLate else { throw disagrees }
            return (m.code, m.minutesLate)
        case .markAmended(let a) where a.upn == upn && a.date == date && a.session == session:
            guard a.amended == entry.code && a.minutesLate == entry.minutesLate else { throw disagrees }
            return (a.amended, a.minutesLate)
        default:
            throw disagrees
        }
    }
}
