/// The platform's one rule for text that reaches PostgreSQL: U+0000 (NUL) is refused.
///
/// PostgreSQL `text` cannot hold NUL (error 22021, "invalid byte sequence for encoding UTF8: 0x00"),
/// and `jsonb` refuses the escape `\u0000` in its strings (22P05). Such a value must be refused where
/// it enters, with 400 `E_INVALID_CHARACTER` naming the field or parameter, never reach the database
/// and come back as a 500. Where the rule applies, field by field:
///
/// - **Registry request bodies**: every string of the JSON body, object keys included, at any depth
///   (webhook fields, header names and values, event filters, patterns, user names, passwords,
///   secrets, token subjects, ...). Each ends in a `text` or `jsonb` column, in a bcrypt hash (which
///   stops at the first NUL) or in a JWT claim: none can carry NUL faithfully. Checked by
///   `ServiceKit`'s `BodyReader` before a body is decoded.
/// - **Registry query and path parameters** (percent-decoded): every C0 control character and DEL,
///   not only NUL. Parameters are ids, enum values, times, event types and association ids; none has
///   a legitimate control character. Checked by `ServiceKit`'s `ParameterTextMiddleware` for every
///   route.
/// - **Ingest events**: the string members `id`, `type`, `occurred_at`, `association_type`,
///   `association_id`, `resource_key` (and member names) go to `text` columns as they are: NUL is
///   refused there (`EventValidation`, which delivery applies to directly published messages too).
///   `data` is **accepted** with NUL in its strings or keys: the event is stored as its canonical
///   JSON text (the `payload` column is `text`, migration 10), where NUL is the six-character
///   escape `\u0000`, so it is stored and delivered byte for byte, on every attempt.
/// - Webhook URLs and custom header values have stricter rules of their own (no control characters
///   at all; see `WebhookValidation`), because they end up on the wire.
public enum StorableText {
    /// The stable error code of a refused character.
    public static let invalidCharacterCode = "E_INVALID_CHARACTER"

    /// Whether `text` can be stored in a PostgreSQL `text` or `jsonb` string: it holds no NUL.
    @inlinable
    public static func isStorable(_ text: some StringProtocol) -> Bool {
        !text.utf8.contains(0)
    }

    /// Whether `text` holds a C0 control character (U+0000–U+001F) or DEL (U+007F): what request
    /// parameters may not carry.
    public static func containsControlCharacter(_ text: some StringProtocol) -> Bool {
        // Both ranges are single bytes in UTF-8; every byte of a longer scalar is 0x80 or above.
        text.utf8.contains { $0 < 0x20 || $0 == 0x7F }
    }

    /// The path of the first string in `value` (an object key or a string value, at any depth) that
    /// is not storable, e.g. `headers.X-Token` or `events[2]`; `nil` when every string is storable.
    /// A key that is itself not storable is shown with its NUL written as `\u0000`.
    public static func firstUnstorablePath(in value: JSONValue) -> String? {
        firstUnstorable(in: value, path: "")
    }

    private static func firstUnstorable(in value: JSONValue, path: String) -> String? {
        switch value {
        case .string(let s):
            return isStorable(s) ? nil : (path.isEmpty ? "(the body)" : path)
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = firstUnstorable(in: item, path: "\(path)[\(index)]") { return found }
            }
            return nil
        case .object(let members):
            for member in members {
                let key = isStorable(member.key) ? member.key : visible(member.key)
                let memberPath = path.isEmpty ? key : "\(path).\(key)"
                if !isStorable(member.key) { return memberPath }
                if let found = firstUnstorable(in: member.value, path: memberPath) { return found }
            }
            return nil
        case .null, .bool, .integer, .double:
            return nil
        }
    }

    /// `text` with each NUL replaced by U+FFFD, as delivery stores what a receiver answered (a
    /// response may hold any bytes; PostgreSQL text cannot hold NUL).
    public static func storable(_ text: String) -> String {
        guard !isStorable(text) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            out.unicodeScalars.append(scalar.value == 0 ? "\u{FFFD}" : scalar)
        }
        return out
    }

    /// `text` with each NUL written as `\u0000`, for messages.
    static func visible(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value == 0 { out += "\\u0000" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
