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
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw OracleError(status: process.terminationStatus) }
        return Array(output)
    }

    public struct OracleError: Error {
        public let status: Int32
    }
}
