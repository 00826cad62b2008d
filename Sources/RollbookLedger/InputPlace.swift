/// Where in the input a problem is: a command-line option or a CSV file's line and column.
///
/// Messages name the place, never the value found there (a shifted column of a pupils file could put a
/// name anywhere).
public enum InputPlace: Sendable, Hashable, CustomStringConvertible {
    /// A command-line option, e.g. `--date` (or a pair, `--from/--to`).
    case option(String)
    /// A CSV file's line (1 is the header) and, when one column is at fault, its name.
    case csv(line: Int, column: String?)

    /// How a message names it: `--date`, `line 7, column "code"`.
    public var description: String {
        switch self {
        case .option(let name): name
        case .csv(let line, let column?): "line \(line), column \"\(column)\""
        case .csv(let line, nil): "line \(line)"
        }
    }
}

/// The fields of a mark, named once for both ways a mark arrives: options of `rollbook mark`/`amend` and
/// columns of a `marks import` file.
public enum MarkField: String, Sendable, CaseIterable {
    case upn, date, session, code
    case minutesLate = "minutes_late"
    case recordedAt = "recorded_at"
    case note

    /// The command-line option for this field.
    public var option: String {
        switch self {
        case .upn: "--upn"
        case .date: "--date"
        case .session: "--session"
        case .code: "--code"
        case .minutesLate: "--minutes-late"
        case .recordedAt: "--recorded-at"
        case .note: "--note"
        }
    }
}

/// Where a mark came from, so that a problem can be placed lazily (no message is built for a good row).
public enum MarkSource: Sendable, Hashable {
    /// Options on the command line.
    case options
    /// A line of an import file.
    case csv(line: Int)

    /// The place of one field of the mark.
    public func place(_ field: MarkField) -> InputPlace {
        switch self {
        case .options: .option(field.option)
        case .csv(let line): .csv(line: line, column: field.rawValue)
        }
    }

    /// The place of the mark as a whole (a session, a duplicate).
    public var whole: InputPlace {
        switch self {
        case .options: .option("--date/--session")
        case .csv(let line): .csv(line: line, column: nil)
        }
    }
}
