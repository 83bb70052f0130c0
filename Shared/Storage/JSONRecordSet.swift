import Foundation
import WebhookCore

/// Writes a JSON array of flat objects for `jsonb_to_recordset`, byte by byte: the batch statements
/// bind one such parameter instead of many, and writing it directly costs a fraction of
/// `JSONEncoder`. Text is made storable on the way (PostgreSQL text cannot hold NUL) in the same
/// pass that escapes it.
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
        text(value)
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
        object(value)
    }

    /// `map` as one JSON object (a `jsonb` value bound as text), its text escaped as a record set's.
    static func object(_ map: [String: String]) -> String {
        var writer = JSONRecordSet(capacity: 64 * (map.count + 1))
        writer.out.removeAll(keepingCapacity: true)
        writer.object(map)
        return String(decoding: writer.out, as: UTF8.self)
    }

    private mutating func object(_ value: [String: String]) {
        out.append(UInt8(ascii: "{"))
        var first = true
        for (k, v) in value {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            text(k)
            out.append(UInt8(ascii: ":"))
            text(v)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The finished array.
    consuming func finish() -> String {
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes `value` as a JSON string for PostgreSQL in one pass: UTF-8 is copied as it is (runs
    /// of plain bytes in one go), only `"`, `\` and control characters are escaped, and NUL, which
    /// PostgreSQL text cannot hold, becomes U+FFFD.
    private mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { bytes in
            out.reserveCapacity(out.count + bytes.count + 2)
            out.append(UInt8(ascii: "\""))
            var runStart = 0
            for (offset, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<offset]))
                runStart = offset + 1
                switch byte {
                case 0x22: out.append(contentsOf: #"\""#.utf8)
                case 0x5C: out.append(contentsOf: #"\\"#.utf8)
                case 0x0A: out.append(contentsOf: #"\n"#.utf8)
                case 0x0D: out.append(contentsOf: #"\r"#.utf8)
                case 0x09: out.append(contentsOf: #"\t"#.utf8)
                case 0x00: out.append(contentsOf: #"\ufffd"#.utf8)
                default:
                    out.append(contentsOf: #"\u00"#.utf8)
                    out.append(Self.hexDigits[Int(byte >> 4)])
                    out.append(Self.hexDigits[Int(byte & 0x0F)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
            out.append(UInt8(ascii: "\""))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
