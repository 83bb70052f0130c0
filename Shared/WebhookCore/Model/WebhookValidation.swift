import Foundation

/// Why a webhook definition was rejected. `code` is stable and part of the API.
public struct WebhookValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var field: String

    public init(code: String, message: String, field: String) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { "\(code) (\(field)): \(message)" }
}

/// Checks on webhook fields, shared by every API dialect and every write (create, update, PUT,
/// PATCH, enable): the registry refuses at least everything delivery could not send.
public enum WebhookValidation {
    /// Longest URL accepted.
    public static let maximumURLLength = 2048

    /// Accepts an absolute `http`/`https` URL with a host, an optional port from 1 to 65535 and no
    /// credentials, holding no whitespace, control or invisible formatting character anywhere (a CR
    /// or LF would end a request line; delivery's client refuses such URLs at send time).
    /// The text is checked as given: callers must not trim anything but plain spaces before.
    public static func validateURL(_ text: String) throws(WebhookValidationError) {
        func fail(_ message: String) -> WebhookValidationError {
            WebhookValidationError(code: "E_INVALID_URL", message: message, field: "url")
        }
        guard !text.isEmpty, text.utf8.count <= maximumURLLength else { throw fail("'url' must be 1 to \(maximumURLLength) bytes") }
        guard !containsSpaceOrControl(text) else {
            throw fail("'url' must not contain spaces, line breaks, tabs or other control characters (percent-encode them)")
        }
        let bytes = Array(text.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { throw fail("'url' is not an absolute URL (no scheme)") }
        let scheme = String(decoding: bytes[..<colon], as: UTF8.self).lowercased()
        guard scheme == "http" || scheme == "https" else { throw fail("'url' must use http or https") }
        guard bytes[(colon + 1)...].starts(with: Array("//".utf8)) else { throw fail("'url' must start with \(scheme)://") }
        let authority = bytes[(colon + 3)...].prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        guard !authority.contains(UInt8(ascii: "@")) else {
            throw fail("'url' must not contain credentials; use custom headers for authentication")
        }
        let (host, port) = split(authority: Array(authority))
        guard let host, !host.isEmpty else { throw fail("'url' has no host") }
        if let port {
            guard (1...5).contains(port.count), port.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let number = Int(String(decoding: port, as: UTF8.self)), (1...65535).contains(number)
            else { throw fail("'url' has an invalid port: a port is a number from 1 to 65535") }
        }
        guard let components = URLComponents(string: text), components.host.map({ !$0.isEmpty }) == true else {
            throw fail("'url' is not a valid absolute URL")
        }
    }

    /// The host and the port text of an authority (`host`, `host:port`, `[v6]`, `[v6]:port`); the
    /// host is `nil` when the brackets of an IPv6 literal do not close or are followed by anything
    /// but a port.
    static func split(authority: [UInt8]) -> (host: [UInt8]?, port: [UInt8]?) {
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return (nil, nil) }
            let host = Array(authority[1..<close])
            let rest = authority[(close + 1)...]
            if rest.isEmpty { return (host, nil) }
            guard rest.first == UInt8(ascii: ":") else { return (nil, nil) }
            return (host, Array(rest.dropFirst()))
        }
        guard let colon = authority.firstIndex(of: UInt8(ascii: ":")) else { return (authority, nil) }
        return (Array(authority[..<colon]), Array(authority[(colon + 1)...]))
    }

    /// Whether `text` holds a space or other white space, a control character (C0, DEL, C1) or an
    /// invisible formatting character (zero-width space, bidirectional overrides, BOM, ...).
    static func containsSpaceOrControl(_ text: String) -> Bool {
        for byte in text.utf8 where byte <= 0x20 || byte == 0x7F { return true }
        guard text.utf8.contains(where: { $0 >= 0x80 }) else { return false }
        return text.unicodeScalars.contains { scalar in
            scalar.value >= 0x80
                && (scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
                    || scalar.properties.generalCategory == .format)
        }
    }

    /// Accepts a non-empty list of valid event filters.
    public static func validateEvents(_ events: [String]) throws(WebhookValidationError) {
        guard !events.isEmpty else {
            throw WebhookValidationError(code: "E_INVALID_EVENTS", message: "'events' must name at least one event type (or '*')", field: "events")
        }
        guard events.count <= 256 else {
            throw WebhookValidationError(code: "E_INVALID_EVENTS", message: "'events' may list at most 256 filters", field: "events")
        }
        for filter in events where !EventTypeFilter.isValid(filter) {
            throw WebhookValidationError(
                code: "E_INVALID_EVENTS", message: "'\(filter)' is not an event type, a 'prefix.*' wildcard or '*'", field: "events")
        }
    }
}
