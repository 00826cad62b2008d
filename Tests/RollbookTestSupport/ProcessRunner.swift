import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion and captures its exit status and output, as a user's shell would.
package enum ProcessRunner {
    /// What a run gave.
    package struct Result: Sendable {
        /// The exit status (or the signal number, when `signalled`).
        package var status: Int32
        /// Standard output.
        package var stdout: String
        /// Standard error.
        package var stderr: String
        /// Whether the program was killed by a signal (a crash) rather than exiting.
        package var signalled: Bool = false

        /// Creates a result.
        package init(status: Int32, stdout: String, stderr: String, signalled: Bool = false) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
            self.signalled = signalled
        }
    }

    /// Runs `executable` with `arguments` in `directory`; standard error is read on another thread, so
    /// neither pipe can fill up and stall the child.
    package static func run(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil, in directory: URL,
                            input: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inPipe = input.map { _ in Pipe() }
        if let inPipe { process.standardInput = inPipe }
        try process.run()
        if let inPipe, let input {
            inPipe.fileHandleForWriting.write(input)
            try? inPipe.fileHandleForWriting.close()
        }
        nonisolated(unsafe) var errData = Data()
        let errDescriptor = err.fileHandleForReading.fileDescriptor
        let done = DispatchSemaphore(value: 0)
        Thread {
            errData = ProcessRunner.readToEnd(errDescriptor)
            done.signal()
        }.start()
        let outData = ProcessRunner.readToEnd(out.fileHandleForReading.fileDescriptor)
        done.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self), signalled: process.terminationReason == .uncaughtSignal)
    }

    /// Reads a pipe to its end, retrying reads a signal interrupted (Foundation's `readDataToEndOfFile`
    /// traps on `EINTR`, which a busy machine running many children delivers).
    static func readToEnd(_ descriptor: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n > 0 { data.append(contentsOf: buffer[0..<n]); continue }
            if n < 0 && errno == EINTR { continue }
            return data
        }
    }
}
