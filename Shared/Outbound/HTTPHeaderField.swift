/// One HTTP header line as a name/value pair. Order and duplicates are preserved
/// wherever a list of these is used.
public struct HTTPHeaderField: Sendable, Hashable, CustomStringConvertible {
    /// The header name, e.g. `"Content-Type"`. Compared case-insensitively by helpers.
    public var name: String
    /// The header value, without surrounding whitespace.
    public var value: String

    /// Creates a header field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// `"Name: value"`.
    public var description: String { "\(name): \(value)" }
}

extension Array where Element == HTTPHeaderField {
    /// The value of the first field named `name` (ASCII case-insensitive), if any.
    public func first(named name: String) -> String? {
        let wanted = name.lowercased()
        return first { $0.name.lowercased() == wanted }?.value
    }

    /// The values of every field named `name` (ASCII case-insensitive), in order.
    public func all(named name: String) -> [String] {
        let wanted = name.lowercased()
        return filter { $0.name.lowercased() == wanted }.map(\.value)
    }
}
