import Hummingbird
import WebhookCore

/// Applies `StorableText`'s rule to what a request carries: its JSON body, its query and its path.
/// Refusals are 400 `E_INVALID_CHARACTER` naming the field or parameter.
public enum InputText {
    /// Refuses a JSON body with NUL in any string or key (`StorableText`).
    ///
    /// JSON can carry NUL only as the escape `\u0000` (a raw control byte is not JSON): bodies
    /// without those six bytes pass at the cost of one scan. Otherwise the body is parsed to find
    /// the field. A body with them that does not parse here (too deep, say) is refused rather than
    /// left to a decoder that might accept it.
    public static func checkBody(_ bytes: some Collection<UInt8>) throws(APIError) {
        guard mayHoldNUL(bytes) else { return }
        guard let json = try? JSONParser.parse(bytes) else {
            throw invalidCharacter("the body contains the NUL character (U+0000) where it cannot be located; remove it")
        }
        if let path = StorableText.firstUnstorablePath(in: json) {
            throw invalidCharacter("field '\(path)' must not contain the NUL character (U+0000)")
        }
    }

    /// Refuses control characters (C0 and DEL) in the percent-decoded path and in every query
    /// parameter, name or value.
    public static func checkParameters(_ request: Request) throws(APIError) {
        let uri = request.uri
        if StorableText.containsControlCharacter(percentDecoded(uri.path)) {
            throw invalidCharacter("the path must not contain control characters")
        }
        for (name, value) in uri.queryParameters {
            // Hummingbird decodes values, not names.
            let decodedName = percentDecoded(String(name))
            if StorableText.containsControlCharacter(decodedName) {
                throw invalidCharacter("query parameter names must not contain control characters")
            }
            if StorableText.containsControlCharacter(value) {
                throw invalidCharacter("query parameter '\(decodedName)' must not contain control characters")
            }
        }
    }

    static func invalidCharacter(_ message: String) -> APIError {
        .badRequest(StorableText.invalidCharacterCode, message)
    }

    /// Whether `bytes` contain `\u0000`.
    static func mayHoldNUL(_ bytes: some Collection<UInt8>) -> Bool {
        let pattern = Array(#"\u0000"#.utf8)
        var matched = 0
        for byte in bytes {
            if byte == pattern[matched] {
                matched += 1
                if matched == pattern.count { return true }
            } else {
                matched = byte == pattern[0] ? 1 : 0
            }
        }
        return false
    }

    /// `text` with `%XX` escapes decoded byte by byte (invalid escapes kept as they are); the bytes
    /// are read as UTF-8 with repair, which keeps every control byte visible to the check.
    static func percentDecoded(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
