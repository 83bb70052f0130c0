import Foundation

/// The bare HTTP limit of this machine and receiver: `wrk` POSTing 1 KiB bodies to the same
/// loopback receiver the deliveries go to, so delivery rates can be read as a fraction of it.
enum WrkBaseline {
    static func run(receiver: BenchReceiver, seconds: Int, connections: Int, size: Int, watch: ProcessWatch?) async throws -> ScenarioResult {
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw BenchError.failed("wrk is not installed (deploy/local/bench.sh installs it)")
        }
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("webhooks-bench-post-\(getpid()).lua")
        let body = #"{"n": 0, "padding": "\#(String(repeating: "p", count: max(0, size - 30)))"}"#
        try """
        wrk.method = "POST"
        wrk.body = '\(body)'
        wrk.headers["Content-Type"] = "application/json"
        """.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        watch?.resetPeaks()
        let cpuBefore = watch?.read()
        let output = try await Command.output(wrk, ["-t2", "-c\(connections)", "-d\(seconds)s", "--latency", "-s", script.path, receiver.url(0)])
        receiver.log.reset()
        guard let rate = value(after: "Requests/sec:", in: output) else { throw BenchError.failed("wrk printed no rate:\n\(output)") }
        var figures: [String: Double] = ["connections": Double(connections), "seconds": Double(seconds)]
        // The benchmark process's CPU here is the receiver's: wrk, its child, has exited before the
        // second reading, and a process's own CPU times leave out its children's.
        if let watch, let cpuBefore { figures.merge(watch.figures(since: cpuBefore, rate: rate)) { a, _ in a } }
        for percentile in ["50%", "99%"] {
            if let text = output.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(percentile) }),
                let ms = milliseconds(String(text.split(separator: " ", omittingEmptySubsequences: true).last ?? ""))
            {
                figures["latency p\(percentile.dropLast()) (ms)"] = ms
            }
        }
        return ScenarioResult(
            scenario: "receiver: bare \(size) B POSTs from wrk (\(connections) connections)", rate: rate,
            rateUnit: "requests/s", figures: figures,
            notes: ["the same loopback receiver the deliveries go to; the ceiling of any delivery rate here"]
                + (watch == nil ? [] : ["cpu bench (µs per unit): the receiver's CPU per POST (wrk's own is not counted)"]))
    }

    static func value(after label: String, in text: String) -> Double? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains(label) }) else { return nil }
        return Double(line.split(separator: " ", omittingEmptySubsequences: true).last ?? "")
    }

    /// wrk's `1.23ms`, `450.00us`, `1.02s`.
    static func milliseconds(_ text: String) -> Double? {
        for (suffix, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * factor }
        }
        return nil
    }
}

/// Child processes of the benchmark: started with posix_spawn, reaped with waitpid.
enum Command {
    /// Runs a program to completion and returns what it printed.
    static func output(_ path: String, _ arguments: [String]) async throws -> String {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("webhooks-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).out")
        defer { try? FileManager.default.removeItem(at: log) }
        let pid = try spawn(path, arguments, environment: ProcessInfo.processInfo.environment, output: log.path)
        let status = await wait(pid)
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        guard status == 0 else { throw BenchError.failed("\(path) exited with \(status):\n\(text)") }
        return text
    }

    /// Starts a program with `environment`, its output appended to `output`; returns the pid.
    static func spawn(_ path: String, _ arguments: [String], environment: [String: String], output: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard rc == 0 else { throw BenchError.failed("cannot start \(path): error \(rc)") }
        return pid
    }

    /// Waits for `pid` to exit; returns its exit status (128 + signal when killed).
    static func wait(_ pid: pid_t) async -> Int32 {
        while true {
            var status: Int32 = 0
            let rc = waitpid(pid, &status, WNOHANG)
            if rc == pid { return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
            if rc < 0 { return -1 }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
