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

/// Checks on webhook fields, shared by every API dialect.
public enum WebhookValidation {
    /// Longest URL accepted.
    public static let maximumURLLength = 2048

    /// Accepts absolute http(s) URLs with a host and no credentials.
    public static func validateURL(_ text: String) throws(WebhookValidationError) {
        func fail(_ message: String) -> WebhookValidationError {
            WebhookValidationError(code: "E_INVALID_URL", message: message, field: "url")
        }
        guard !text.isEmpty, text.utf8.count <= maximumURLLength else { throw fail("'url' must be 1 to \(maximumURLLength) characters") }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw fail("'url' is not a valid absolute URL")
        }
        guard scheme == "http" || scheme == "https" else { throw fail("'url' must use http or https, not \(scheme)") }
        guard let host = components.host, !host.isEmpty else { throw fail("'url' has no host") }
        guard components.user == nil, components.password == nil else {
            throw fail("'url' must not contain credentials; use custom headers for authentication")
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
