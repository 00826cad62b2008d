/// The `type` of every event in the log: each on-disk name written once, here.
///
/// The general encoder and decoder (`Event+JSON.swift`), the fast encoder (``MarkRecordEncoder``)
/// and the fast decoder (``EventLineDecoder``) all take the names from this enum, and a test checks
/// that every case round-trips through both paths.
public enum EventType: String, CaseIterable, Sendable {
    /// `ledger.opened`.
    case ledgerOpened = "ledger.opened"
    /// `calendar.term-added`.
    case termAdded = "calendar.term-added"
    /// `calendar.closure-recorded`.
    case closureRecorded = "calendar.closure-recorded"
    /// `pupil.admitted`.
    case pupilAdmitted = "pupil.admitted"
    /// `pupil.details-changed`.
    case pupilDetailsChanged = "pupil.details-changed"
    /// `pupil.deleted`.
    case pupilDeleted = "pupil.deleted"
    /// `register.taken`.
    case registerTaken = "register.taken"
    /// `mark.recorded`.
    case markRecorded = "mark.recorded"
    /// `mark.amended`.
    case markAmended = "mark.amended"
    /// `intervention.recorded`.
    case interventionRecorded = "intervention.recorded"
    /// `returns.sent`.
    case returnsSent = "returns.sent"
    /// `retention.disposed`.
    case retentionDisposed = "retention.disposed"
}

/// The member names of events in the log: each written once, here, for the general encoder and
/// decoder and the fast paths (which build their byte patterns from these constants).
public enum EventMember {
    /// `"type"`.
    public static let type = "type"
    /// `"v"`.
    public static let v = "v"
    /// `"author"`.
    public static let author = "author"
    /// `"position"`.
    public static let position = "position"
    /// `"urn"`.
    public static let urn = "urn"
    /// `"name"`.
    public static let name = "name"
    /// `"la"`.
    public static let la = "la"
    /// `"estab"`.
    public static let estab = "estab"
    /// `"policy"`.
    public static let policy = "policy"
    /// `"am_register"`.
    public static let amRegister = "am_register"
    /// `"pm_register"`.
    public static let pmRegister = "pm_register"
    /// `"policy_document"`.
    public static let policyDocument = "policy_document"
    /// `"from"`.
    public static let from = "from"
    /// `"to"`.
    public static let to = "to"
    /// `"session"`.
    public static let session = "session"
    /// `"code"`.
    public static let code = "code"
    /// `"reason"`.
    public static let reason = "reason"
    /// `"upn"`.
    public static let upn = "upn"
    /// `"forename"`.
    public static let forename = "forename"
    /// `"surname"`.
    public static let surname = "surname"
    /// `"dob"`.
    public static let dob = "dob"
    /// `"year_group"`.
    public static let yearGroup = "year_group"
    /// `"group"`.
    public static let group = "group"
    /// `"admitted"`.
    public static let admitted = "admitted"
    /// `"sen"`.
    public static let sen = "sen"
    /// `"ehcp"`.
    public static let ehcp = "ehcp"
    /// `"pp"`.
    public static let pp = "pp"
    /// `"fsm"`.
    public static let fsm = "fsm"
    /// `"sex"`.
    public static let sex = "sex"
    /// `"on"`.
    public static let `on` = "on"
    /// `"ground"`.
    public static let ground = "ground"
    /// `"date"`.
    public static let date = "date"
    /// `"minutes_late"`.
    public static let minutesLate = "minutes_late"
    /// `"note"`.
    public static let note = "note"
    /// `"recorded_at"`.
    public static let recordedAt = "recorded_at"
    /// `"original"`.
    public static let original = "original"
    /// `"original_minutes_late"`.
    public static let originalMinutesLate = "original_minutes_late"
    /// `"amended"`.
    public static let amended = "amended"
    /// `"amended_on"`.
    public static let amendedOn = "amended_on"
    /// `"action"`.
    public static let action = "action"
    /// `"entries"`.
    public static let entries = "entries"
    /// `"kind"`.
    public static let kind = "kind"
    /// `"before"`.
    public static let before = "before"
    /// `"ranges"`.
    public static let ranges = "ranges"
    /// `"first_seq"`.
    public static let firstSeq = "first_seq"
    /// `"last_seq"`.
    public static let lastSeq = "last_seq"
    /// `"count"`.
    public static let count = "count"
    /// `"seal"`.
    public static let seal = "seal"

    /// The bytes before a string member's value: `,"name":"`.
    public static func stringKey(_ name: String) -> [UInt8] { Array(",\"\(name)\":\"".utf8) }

    /// The bytes before a number member's value: `,"name":`.
    public static func numberKey(_ name: String) -> [UInt8] { Array(",\"\(name)\":".utf8) }
}
