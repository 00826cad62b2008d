import RollbookLog
import RollbookProjections

/// The stage policies a ledger may name: a preset id, or the path of a policy JSON file.
public enum PolicyName {
    /// The preset ids.
    public static let presets = ["dfe", "burton-pru", "wimborne", "primary-bands", "danesgate"]

    /// Whether the name is a preset or an existing `.json` file (checked when the command line is parsed).
    public static func isKnown(_ name: String) -> Bool {
        presets.contains(name) || (name.hasSuffix(".json") && FileSystem.exists(name))
    }

    /// The policy a name refers to.
    public static func load(_ name: String) throws -> StagePolicy {
        if let preset = StagePolicy.preset(name) { return preset }
        return try StagePolicy(json: try read(name), source: name)
    }

    /// The bytes of a policy file, or an error naming the presets.
    static func read(_ name: String) throws(LedgerError) -> [UInt8] {
        do { return try FileSystem.read(name) } catch { throw .unknownPolicy(name, presets: presets) }
    }
}
