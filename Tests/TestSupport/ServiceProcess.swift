import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One of the platform's executables started as a real process, its output kept in a log file.
public final class ServiceProcess: Sendable {
    public let name: String
    public let logFile: URL
    private let pid: pid_t
    private let exitStatus = Mutex<Int32?>(nil)

    /// Starts `bin/name` with `environment` added to the current one.
    public init(name: String, binDirectory: String, environment: [String: String]) throws {
        self.name = name
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("webhooks-tests", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        logFile = directory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8)).log")
        var settings = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        // The malloc the services run with elsewhere (test.sh exports deploy/local/allocator.sh's choice).
        if let preload = settings["SERVICE_PRELOAD"], !preload.isEmpty { settings["LD_PRELOAD"] = preload }
        pid = try Subprocess.spawn(binDirectory + "/" + name, [], environment: settings, logFile: logFile.path)
    }

    private func reap() -> Int32? {
        exitStatus.withLock { status in
            if status == nil { status = Subprocess.poll(pid) }
            return status
        }
    }

    public var isRunning: Bool { reap() == nil }

    /// Sends SIGTERM and waits for the exit (SIGKILL after `timeout`); returns the exit status.
    @discardableResult
    public func stop(timeout: Duration = .seconds(15)) async -> Int32 {
        if let status = reap() { return status }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = reap() { return status }
            try? await Task.sleep(for: .milliseconds(20))
        }
        kill(pid, SIGKILL)
        while true {
            if let status = reap() { return status }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Kills the process at once (SIGKILL), as a crash would.
    public func kill9() async {
        kill(pid, SIGKILL)
        while reap() == nil { try? await Task.sleep(for: .milliseconds(10)) }
    }

    /// The last lines the process wrote, for failure messages.
    public func logTail(lines: Int = 40) -> String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
