import Foundation
import Outbound

/// The python loopback receiver (receiver.py) running as a subprocess.
final class Receiver {
    let port: Int
    private let process = Process()
    private let input = Pipe()

    struct StartError: Error, CustomStringConvertible {
        let description: String
    }

    init() throws {
        guard let script = Bundle.module.url(forResource: "receiver", withExtension: "py") else {
            throw StartError(description: "receiver.py resource not found")
        }
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var data = Data()
        while !data.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw StartError(description: "receiver exited before printing its port") }
            data.append(chunk)
        }
        let line = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            throw StartError(description: "unexpected receiver output: \(line)")
        }
        self.port = port
    }

    /// `http://127.0.0.1:<port>`
    var base: String { "http://127.0.0.1:\(port)" }

    /// How many requests the receiver counted under `tag`.
    func seen(tag: String) async throws -> Int {
        let client = OutboundClient(policy: TestPolicies.loopbackAllowed, userAgent: "seen")
        let response = try await client.send(OutboundRequest(url: "\(base)/seen?tag=\(tag)", method: "GET"))
        await client.shutdown()
        return Int(String(decoding: response.body, as: UTF8.self)) ?? -1
    }

    private var stopped = false

    func stop() {
        // Once only: after the child is reaped its pid may belong to another process.
        guard !stopped else { return }
        stopped = true
        try? input.fileHandleForWriting.close()
        // Kill and reap the child directly: Foundation's `waitUntilExit` can miss an exit and spin.
        let pid = process.processIdentifier
        guard pid > 0 else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }

    deinit { stop() }
}

enum TestPolicies {
    /// The default SSRF policy plus an allow-list entry for loopback.
    static let loopbackAllowed = AddressPolicy(allowList: [CIDR("127.0.0.0/8")!])
}

/// The error `send` threw, or nil if it succeeded.
func sendError(_ client: OutboundClient, _ request: OutboundRequest) async -> OutboundError? {
    do {
        _ = try await client.send(request)
        return nil
    } catch {
        return error
    }
}

/// A unique tag for counting requests at the receiver.
func uniqueTag() -> String { UUID().uuidString }
