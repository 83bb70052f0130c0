import Foundation

/// One of the platform's executables started as a real process, its output kept in a log file.
public final class ServiceProcess: @unchecked Sendable {
    // @unchecked: `process` is only mutated in init and read afterwards; Foundation's Process is
    // thread-safe for `terminate`, `isRunning` and `waitUntilExit`.
    public let name: String
    public let logFile: URL
    private let process: Process

    /// Starts `bin/name` with `environment` added to the current one.
    public init(name: String, binDirectory: String, environment: [String: String]) throws {
        self.name = name
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("webhooks-tests", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        logFile = directory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8)).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process = Process()
        process.executableURL = URL(fileURLWithPath: binDirectory).appendingPathComponent(name)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    public var isRunning: Bool { process.isRunning }

    /// Sends SIGTERM and waits for the exit (SIGKILL after `timeout`); returns the exit status.
    @discardableResult
    public func stop(timeout: Duration = .seconds(15)) async -> Int32 {
        if process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Kills the process at once (SIGKILL), as a crash would.
    public func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The last lines the process wrote, for failure messages.
    public func logTail(lines: Int = 40) -> String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
