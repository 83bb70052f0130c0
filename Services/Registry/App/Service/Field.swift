import ServiceKit

/// A field of a partial update: not sent, sent as `null`, or sent with a value.
enum Field<T> {
    case absent
    case null
    case value(T)

    /// The value, or `fallback` when the field was not sent; `null` only where `nullable`.
    func resolve(_ fallback: T, name: String) throws -> T {
        switch self {
        case .absent: return fallback
        case .value(let v): return v
        case .null: throw APIError.badRequest("E_WRONG_TYPE", "field '\(name)' must not be null")
        }
    }

    /// For optional fields: `null` clears, absent keeps `fallback`.
    func resolveOptional(_ fallback: T?) -> T? {
        switch self {
        case .absent: return fallback
        case .null: return nil
        case .value(let v): return v
        }
    }

    var value: T? {
        if case .value(let v) = self { return v }
        return nil
    }

    var isPresent: Bool {
        if case .absent = self { return false }
        return true
    }
}

/// Any JSON key, so one request type can accept each dialect's spelling of a field.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where Key == AnyKey {
    /// The first of `names` present in the object: absent, null or its value.
    func field<T: Decodable>(_ names: String...) throws -> Field<T> {
        for name in names {
            let key = AnyKey(name)
            guard contains(key) else { continue }
            if try decodeNil(forKey: key) { return .null }
            return .value(try decode(T.self, forKey: key))
        }
        return .absent
    }

    /// An id given as a JSON integer or a string of digits (the bkrepo dialect sends ids as strings).
    func flexibleID(_ names: String...) throws -> Int64? {
        for name in names {
            let key = AnyKey(name)
            guard contains(key), !(try decodeNil(forKey: key)) else { continue }
            if let n = try? decode(Int64.self, forKey: key) { return n }
            if let s = try? decode(String.self, forKey: key), let n = Int64(s) { return n }
            throw APIError.badRequest("E_WRONG_TYPE", "field '\(name)' must be an integer id (or a string of digits)")
        }
        return nil
    }
}
