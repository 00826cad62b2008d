import CRollbookSHA

/// The compression function behind ``SHA256``: the CPU's SHA instructions, or the portable Swift code.
///
/// Both give the same digests (the tests hold them to the NIST vectors and to each other). The choice
/// is made once, at run time: ``preferred`` is the hardware when this CPU has it. Tests and the
/// benchmark name a backend explicitly through `SHA256(backend:)` and `SHA256.hash(_:backend:)`.
@usableFromInline
package enum SHA256Backend: Sendable, Hashable, CustomStringConvertible {
    /// The Swift compression function in `SHA256.swift`: runs everywhere, and is the reference.
    case portable
    /// The x86 SHA extensions (SHA-NI), through the `CRollbookSHA` target.
    case hardware

    /// Whether this CPU has the instructions the hardware backend needs (asked once, with `cpuid`).
    package static let hardwareAvailable: Bool = rollbook_sha256_hardware_available() != 0

    /// The backend every hasher uses unless told otherwise: the hardware when the CPU has it.
    @usableFromInline
    package static let preferred: SHA256Backend = hardwareAvailable ? .hardware : .portable

    /// The backends that can run on this CPU: always the portable one, then the hardware when present.
    package static var available: [SHA256Backend] { hardwareAvailable ? [.portable, .hardware] : [.portable] }

    /// Whether this backend can run on this CPU.
    package var isAvailable: Bool {
        switch self {
        case .portable: true
        case .hardware: SHA256Backend.hardwareAvailable
        }
    }

    /// The backend's name, as the benchmark prints it.
    @usableFromInline
    package var description: String {
        switch self {
        case .portable: "portable"
        case .hardware: "hardware"
        }
    }
}
