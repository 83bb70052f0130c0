import Foundation

/// CPU time and peak resident memory of the system's processes, read from `/proc`: each watched
/// process counts with all its descendants (PostgreSQL's backends are children of the postmaster).
struct ProcessWatch: Sendable {
    /// Watched processes by name (`delivery`, `postgres`, ...).
    let processes: [(name: String, pid: Int32)]

    /// As given: `name=pid,name=pid`.
    let list: String

    /// From `name=pid,name=pid`.
    init(_ list: String) throws(BenchError) {
        self.list = list
        var parsed: [(String, Int32)] = []
        for item in list.split(separator: ",") where !item.isEmpty {
            let parts = item.split(separator: "=")
            guard parts.count == 2, let pid = Int32(parts[1]) else { throw .usage("--pids takes name=pid pairs, not '\(item)'") }
            parsed.append((String(parts[0]), pid))
        }
        processes = parsed
    }

    /// A reading: CPU seconds per name, taken at one instant.
    struct Reading: Sendable {
        let at: ContinuousClock.Instant
        let cpuSeconds: [String: Double]
    }

    func read() -> Reading {
        let parents = Self.parents()
        var cpu: [String: Double] = [:]
        for (name, pid) in processes {
            cpu[name, default: 0] += Self.family(of: pid, parents: parents).reduce(0) { $0 + Self.cpuSeconds(of: $1) }
        }
        return Reading(at: .now, cpuSeconds: cpu)
    }

    /// Starts peak-RSS accounting afresh (Linux: `5` to `clear_refs` resets VmHWM).
    func resetPeaks() {
        let parents = Self.parents()
        for (_, pid) in processes {
            for member in Self.family(of: pid, parents: parents) {
                try? "5".write(toFile: "/proc/\(member)/clear_refs", atomically: false, encoding: .ascii)
            }
        }
    }

    /// Figures since `start`: cores used by each process (CPU seconds per wall second) and the peak
    /// RSS of each (the largest member's, in MiB), plus CPU microseconds per unit at `rate`.
    func figures(since start: Reading, rate: Double?) -> [String: Double] {
        let end = read()
        let wall = (end.at - start.at).seconds
        let parents = Self.parents()
        var figures: [String: Double] = [:]
        for (name, pid) in processes {
            let cores = ((end.cpuSeconds[name] ?? 0) - (start.cpuSeconds[name] ?? 0)) / max(wall, 1e-9)
            figures["cpu \(name) (cores)"] = (cores * 100).rounded() / 100
            if let rate, rate > 0 { figures["cpu \(name) (µs per unit)"] = (cores / rate * 1e6).rounded() }
            let peak = Self.family(of: pid, parents: parents).map(Self.peakRSSKiB).max() ?? 0
            figures["peak RSS \(name) (MiB)"] = (Double(peak) / 1024).rounded()
        }
        return figures
    }

    // MARK: /proc

    static func parents() -> [Int32: Int32] {
        var map: [Int32: Int32] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let fields = statFields(pid), fields.count > 1, let ppid = Int32(fields[1]) else { continue }
            map[pid] = ppid
        }
        return map
    }

    static func family(of pid: Int32, parents: [Int32: Int32]) -> [Int32] {
        var members: Set<Int32> = [pid]
        var grew = true
        while grew {
            grew = false
            for (child, parent) in parents where members.contains(parent) && !members.contains(child) {
                members.insert(child)
                grew = true
            }
        }
        return members.filter { parents[$0] != nil || $0 == pid }.sorted()
    }

    /// Fields of `/proc/PID/stat` after the command name: [state, ppid, ...].
    static func statFields(_ pid: Int32) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }

    static func cpuSeconds(of pid: Int32) -> Double {
        // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name).
        guard let fields = statFields(pid), fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func peakRSSKiB(of pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }
}
