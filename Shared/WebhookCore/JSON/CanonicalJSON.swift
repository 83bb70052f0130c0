/// Serialises JSON exactly as Python's `json.dumps(obj, sort_keys=True)` does: keys sorted by code
/// point, `", "` and `": "` separators, every non-ASCII character escaped as `\uXXXX`, floats in
/// Python's `repr` form.
///
/// A receiver that re-serialises the parsed body with `sort_keys=True` therefore gets back the very
/// bytes that were signed.
public enum CanonicalJSON {
    /// The canonical bytes of `value`.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out)
        return out
    }

    /// The canonical text of `value`.
    public static func string(_ value: JSONValue) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }

    /// Appends the canonical bytes of `value` to `out`.
    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .integer(let literal): out.append(contentsOf: literal.utf8)
        case .double(let d): out.append(contentsOf: PythonFloat.repr(d).utf8)
        case .string(let s): writeString(s, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            // Python sorts str keys by code point; comparing the scalars does the same.
            let sorted = members.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
            for (i, member) in sorted.enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                writeString(member.key, into: &out)
                out.append(contentsOf: ": ".utf8)
                write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func writeUnicodeEscape(_ unit: UInt16, into out: inout [UInt8]) {
        out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u")])
        out.append(hexDigits[Int(unit >> 12) & 0xF])
        out.append(hexDigits[Int(unit >> 8) & 0xF])
        out.append(hexDigits[Int(unit >> 4) & 0xF])
        out.append(hexDigits[Int(unit) & 0xF])
    }

    /// Writes the escape of an ASCII quote, backslash or control character.
    private static func writeEscaped(_ byte: UInt8, into out: inout [UInt8]) {
        switch byte {
        case 0x22: out.append(contentsOf: "\\\"".utf8)
        case 0x5C: out.append(contentsOf: "\\\\".utf8)
        case 0x0A: out.append(contentsOf: "\\n".utf8)
        case 0x0D: out.append(contentsOf: "\\r".utf8)
        case 0x09: out.append(contentsOf: "\\t".utf8)
        case 0x08: out.append(contentsOf: "\\b".utf8)
        case 0x0C: out.append(contentsOf: "\\f".utf8)
        default: writeUnicodeEscape(UInt16(byte), into: &out)
        }
    }

    /// Writes a string literal with Python's `ensure_ascii=True` escaping.
    public static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Fast path: ASCII text (the common case) is copied byte by byte, escaping only what must be.
        let wroteASCII =
            s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
                var end = 0
                while end < bytes.count && bytes[end] < 0x80 { end += 1 }
                guard end == bytes.count else { return false }
                out.reserveCapacity(out.count + bytes.count + 1)
                // Copy runs of bytes that need no escape in one go.
                var runStart = 0
                for (offset, byte) in bytes.enumerated() {
                    switch byte {
                    case 0x22, 0x5C, 0x00..<0x20, 0x7F:
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<offset]))
                        writeEscaped(byte, into: &out)
                        runStart = offset + 1
                    default:
                        continue
                    }
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
                return true
            } ?? false
        if wroteASCII {
            out.append(UInt8(ascii: "\""))
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x22, 0x5C, 0x00..<0x20, 0x7F: writeEscaped(UInt8(scalar.value), into: &out)
            case 0x20..<0x7F: out.append(UInt8(scalar.value))
            case 0x80..<0x10000: writeUnicodeEscape(UInt16(scalar.value), into: &out)
            default:
                let v = scalar.value - 0x10000
                writeUnicodeEscape(UInt16(0xD800 + (v >> 10)), into: &out)
                writeUnicodeEscape(UInt16(0xDC00 + (v & 0x3FF)), into: &out)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// Python's `repr(float)`: the shortest digits that round-trip, positional notation for decimal
/// exponents from -4 to 15, scientific (`1e+16`, `1e-05`) outside, `.0` on integral values.
enum PythonFloat {
    static func repr(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description also prints the shortest round-tripping digits; only the layout differs.
        let (negative, digits, exponent) = decompose(d.description)
        // `exponent` is the decimal exponent of the first digit: value = 0.d1d2... * 10^(exponent+1).
        let decpt = exponent + 1
        var text = negative ? "-" : ""
        if decpt > 16 || decpt < -3 {
            text += String(digits.first!)
            if digits.count > 1 { text += "." + digits.dropFirst() }
            let e = decpt - 1
            text += e < 0 ? "e-" : "e+"
            let magnitude = String(abs(e))
            text += magnitude.count < 2 ? "0" + magnitude : magnitude
        } else if decpt <= 0 {
            text += "0." + String(repeating: "0", count: -decpt) + digits
        } else if digits.count <= decpt {
            text += digits + String(repeating: "0", count: decpt - digits.count) + ".0"
        } else {
            text += digits.prefix(decpt) + "." + digits.dropFirst(decpt)
        }
        return text
    }

    /// Splits Swift's description ("1.25", "1e-05", "1.2345e+16") into sign, significant digits
    /// without leading or trailing zeros, and the decimal exponent of the first digit.
    private static func decompose(_ text: String) -> (Bool, String, Int) {
        var s = Substring(text)
        let negative = s.hasPrefix("-")
        if negative { s = s.dropFirst() }
        var exponentPart = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponentPart = Int(s[s.index(after: e)...]) ?? 0
            s = s[..<e]
        }
        let intPart: Substring
        let fracPart: Substring
        if let dot = s.firstIndex(of: ".") {
            intPart = s[..<dot]
            fracPart = s[s.index(after: dot)...]
        } else {
            intPart = s
            fracPart = ""
        }
        var all = String(intPart) + String(fracPart)
        var firstExponent = intPart.count - 1 + exponentPart
        while all.hasPrefix("0") && all.count > 1 {
            all.removeFirst()
            firstExponent -= 1
        }
        while all.hasSuffix("0") && all.count > 1 { all.removeLast() }
        return (negative, all, firstExponent)
    }
}
