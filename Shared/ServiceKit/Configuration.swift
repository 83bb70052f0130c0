import Foundation

/// A setting that is missing or malformed. Services stop at start-up with this message.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    /// The environment variable at fault.
    public var name: String
    /// What is wrong with it.
    public var problem: String

    public init(name: String, problem: String) {
        self.name = name
        self.problem = problem
    }

    public var description: String { "configuration error: \(name) \(problem)" }
}

/// Reads settings from the environment; every service uses the same names.
public struct Environment: Sendable {
    private let values: [String: String]

    /// Reads the process environment, or the given values (for tests).
    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    /// A setting that must be present and non-empty.
    public func required(_ name: String) throws -> String {
        guard let value = values[name], !value.isEmpty else {
            throw ConfigurationError(name: name, problem: "is required but not set")
        }
        return value
    }

    /// A setting with a default.
    public func string(_ name: String, default fallback: String) -> String {
        guard let value = values[name], !value.isEmpty else { return fallback }
        return value
    }

    /// An optional setting.
    public func optional(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    /// An integer setting within `range`.
    public func int(_ name: String, default fallback: Int, in range: ClosedRange<Int> = 0...Int.max) throws -> Int {
        guard let text = values[name], !text.isEmpty else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(name: name, problem: "must be an integer in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return value
    }

    /// A boolean setting: `1`, `true`, `yes`, `on` (any case) are true; `0`, `false`, `no`, `off` false.
    public func bool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let text = values[name], !text.isEmpty else { return fallback }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError(name: name, problem: "must be true or false, got '\(text)'")
        }
    }

    /// `JWT_SECRET`, which must be at least 32 bytes for HS256.
    public func jwtSecret() throws -> String {
        let secret = try required("JWT_SECRET")
        guard secret.utf8.count >= 32 else {
            throw ConfigurationError(name: "JWT_SECRET", problem: "must be at least 32 bytes long (HS256 key)")
        }
        return secret
    }
}
