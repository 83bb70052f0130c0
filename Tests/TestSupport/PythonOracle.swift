import Foundation

/// Runs a python3 snippet as an independent reference implementation.
public enum PythonOracle {
    /// Runs `script` with `input` on stdin and returns stdout.
    public static func run(_ script: String, input: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        // Reap the child directly: Foundation's `waitUntilExit` can miss an exit and spin.
        var status: Int32 = 0
        let exitStatus: Int32
        if waitpid(process.processIdentifier, &status, 0) == process.processIdentifier {
            exitStatus = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        } else {
            exitStatus = process.terminationStatus  // already reaped by Foundation
        }
        guard exitStatus == 0 else { throw OracleError(status: exitStatus) }
        return Array(output)
    }

    public struct OracleError: Error {
        public let status: Int32
    }
}
