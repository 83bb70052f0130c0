import Foundation

/// The standard `process_*` figures of the running process, read from `/proc/self` at scrape time.
struct ProcessStatistics: Sendable, Equatable {
    var cpuSeconds: Double
    var residentBytes: Int
    var virtualBytes: Int
    var openFileDescriptors: Int
    var startTimeSeconds: Double

    /// The figures of this process, or `nil` where `/proc` is not available.
    static func read() -> ProcessStatistics? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8)
        else { return nil }
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let uptimeSeconds = Double(uptime.split(separator: " ").first ?? "0") ?? 0
        return parse(
            stat: stat, ticksPerSecond: ticks, pageSize: page, openFileDescriptors: descriptors,
            bootTime: Date().timeIntervalSince1970 - uptimeSeconds)
    }

    /// Parses `/proc/self/stat` (see proc(5)); the command name in parentheses may hold spaces.
    static func parse(
        stat: String, ticksPerSecond: Double, pageSize: Int, openFileDescriptors: Int,
        bootTime: Double
    ) -> ProcessStatistics? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the name, numbered from 3 (state) in proc(5).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        func field(_ number: Int) -> Double? { fields.count > number - 3 ? Double(fields[number - 3]) : nil }
        guard let utime = field(14), let stime = field(15), let start = field(22), let vsize = field(23), let rss = field(24),
            ticksPerSecond > 0
        else { return nil }
        return ProcessStatistics(
            cpuSeconds: (utime + stime) / ticksPerSecond, residentBytes: Int(rss) * pageSize, virtualBytes: Int(vsize),
            openFileDescriptors: openFileDescriptors, startTimeSeconds: bootTime + start / ticksPerSecond)
    }

    /// Appends the figures in the text exposition format.
    func emit(into out: inout [UInt8]) {
        func line(_ name: String, _ type: String, _ help: String, _ value: String) {
            out.append(contentsOf: "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n".utf8)
        }
        line("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", String(cpuSeconds))
        line("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", String(residentBytes))
        line("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", String(virtualBytes))
        line("process_open_fds", "gauge", "Number of open file descriptors.", String(openFileDescriptors))
        line("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch in seconds.", String(Int(startTimeSeconds)))
    }
}
