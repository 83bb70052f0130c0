import Foundation
import WebhookCore

/// Writes a JSON array of flat objects for `jsonb_to_recordset`, byte by byte: the batch statements
/// bind one such parameter instead of many, and writing it directly costs a fraction of
/// `JSONEncoder`. Text is made storable on the way (PostgreSQL text cannot hold NUL).
struct JSONRecordSet {
    private var out: [UInt8] = [UInt8(ascii: "[")]
    private var rows = 0
    private var fields = 0

    init(capacity: Int = 0) { out.reserveCapacity(capacity) }

    /// Starts the next object.
    mutating func beginRecord() {
        if rows > 0 { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "{"))
        rows += 1
        fields = 0
    }

    /// Ends the current object.
    mutating func endRecord() { out.append(UInt8(ascii: "}")) }

    private mutating func key(_ name: StaticString) {
        if fields > 0 { out.append(UInt8(ascii: ",")) }
        fields += 1
        out.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: "\":".utf8)
    }

    private mutating func null() { out.append(contentsOf: "null".utf8) }

    mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        guard let value else { return null() }
        CanonicalJSON.writeString(Self.storable(value), into: &out)
    }

    mutating func field(_ name: StaticString, _ value: Int64?) {
        key(name)
        guard let value else { return null() }
        out.append(contentsOf: String(value).utf8)
    }

    mutating func field(_ name: StaticString, _ value: Int?) { field(name, value.map(Int64.init)) }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        out.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// A timestamp in RFC 3339 with milliseconds.
    mutating func field(_ name: StaticString, _ value: Date?) { field(name, value.map(Timestamp.format)) }

    /// A JSON object of string values (a `jsonb` column).
    mutating func field(_ name: StaticString, _ value: [String: String]) {
        key(name)
        out.append(UInt8(ascii: "{"))
        var first = true
        for (k, v) in value {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            CanonicalJSON.writeString(Self.storable(k), into: &out)
            out.append(UInt8(ascii: ":"))
            CanonicalJSON.writeString(Self.storable(v), into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The finished array.
    consuming func finish() -> String {
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// PostgreSQL text cannot hold NUL: replace it (response bodies may contain anything).
    static func storable(_ text: String) -> String {
        text.utf8.contains(0) ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
    }
}
