/// The files of a ledger directory, as `events/FORMAT.md` lays them out.
public struct LedgerPaths: Sendable, Hashable {
    /// The ledger directory.
    public let directory: String

    /// Creates the paths of the ledger in `directory`.
    public init(directory: String) {
        var d = directory
        while d.count > 1 && d.hasSuffix("/") { d.removeLast() }
        self.directory = d
    }

    /// `DIR/segments`.
    public var segments: String { directory + "/segments" }
    /// `DIR/checkpoint`.
    public var checkpoint: String { directory + "/checkpoint" }
    /// `DIR/checkpoint.tmp`, written and renamed over the checkpoint.
    public var checkpointTemporary: String { directory + "/checkpoint.tmp" }
    /// `DIR/snapshot`, a cache of projection state the writer keeps (see `events/FORMAT.md`).
    public var snapshot: String { directory + "/snapshot" }
    /// `DIR/snapshot.tmp`, written and renamed over the snapshot.
    public var snapshotTemporary: String { directory + "/snapshot.tmp" }
    /// `DIR/recovered`, where recovery moves bytes it takes out of the log (never deleting them).
    public var recovered: String { directory + "/recovered" }
    /// `DIR/lock`, the file the writer holds an OS lock on.
    public var lock: String { directory + "/lock" }

    /// The file name of segment `number`, e.g. `000001.jsonl`.
    public static func segmentName(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".jsonl"
    }

    /// The path of segment `number`.
    public func segment(_ number: Int) -> String { segments + "/" + LedgerPaths.segmentName(number) }

    /// The path of segment `number` relative to the ledger directory, as reports name it.
    public static func relativeSegment(_ number: Int) -> String { "segments/" + segmentName(number) }
}
