import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a python3 snippet as an independent reference implementation.
public enum PythonOracle {
    /// Runs `script` with `input` on stdin and returns stdout.
    public static func run(_ script: String, input: [UInt8]) throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("webhooks-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputFile = directory.appendingPathComponent("in").path
        let outputFile = directory.appendingPathComponent("out").path
        try Data(input).write(to: URL(fileURLWithPath: inputFile))
        var environment = ProcessInfo.processInfo.environment
        environment["ORACLE_SCRIPT"] = script
        environment["ORACLE_IN"] = inputFile
        environment["ORACLE_OUT"] = outputFile
        let pid = try Subprocess.spawn(
            "/bin/bash", ["-c", #"python3 -c "$ORACLE_SCRIPT" < "$ORACLE_IN" > "$ORACLE_OUT""#],
            environment: environment)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitStatus = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exitStatus == 0 else { throw OracleError(status: exitStatus) }
        return Array(try Data(contentsOf: URL(fileURLWithPath: outputFile)))
    }

    public struct OracleError: Error {
        public let status: Int32
    }
}
