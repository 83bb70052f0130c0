import Foundation

/// A hand-written parser for the RFC 3339 profile events carry: `YYYY-MM-DDTHH:MM:SS`, optional
/// fractional seconds (1 to 9 digits), then `Z` or a `±HH:MM` offset. Pure and allocation-free.
///
/// It takes only what it can read exactly as Foundation's ISO 8601 parser does (the same instant,
/// bit for bit): years 1900 to 9999 (Foundation's calendar is Julian before 1582), real calendar
/// dates and times, offsets up to ±14:00. Anything else is `nil` here, and `Timestamp.parse` leaves
/// it to Foundation, so no text is read otherwise than before.
enum RFC3339 {
    /// Seconds from 1970-01-01 to 2001-01-01, Foundation's reference date.
    private static let referenceOffset: Int64 = 978_307_200
    private static let powersOfTen: [Double] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]

    /// The instant `text` names, or `nil` when it is not of the profile above.
    static func parse(_ text: String) -> Date? {
        text.utf8.withContiguousStorageIfAvailable { parse(bytes: $0) } ?? nil
    }

    /// As `parse(_:)`, on the text's UTF-8 bytes.
    static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Date? {
        guard b.count >= 20, b[4] == .dash, b[7] == .dash, b[10] == .t, b[13] == .colon, b[16] == .colon,
            let year = number(b, 0, 4), let month = number(b, 5, 2), let day = number(b, 8, 2),
            let hour = number(b, 11, 2), let minute = number(b, 14, 2), let second = number(b, 17, 2),
            (1900...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var i = 19
        var fraction: Int64 = 0
        var digits = 0
        if b[i] == .dot {
            i += 1
            while i < b.count, let d = digit(b[i]) {
                guard digits < 9 else { return nil }
                fraction = fraction * 10 + Int64(d)
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
        }
        guard i < b.count else { return nil }
        var offset: Int64 = 0
        switch b[i] {
        case .z:
            guard i + 1 == b.count else { return nil }
        case .plus, .dash:
            guard i + 6 == b.count, b[i + 3] == .colon, let hours = number(b, i + 1, 2), let minutes = number(b, i + 4, 2),
                hours <= 14, minutes < 60, hours < 14 || minutes == 0
            else { return nil }
            offset = (hours * 3600 + minutes * 60) * (b[i] == .plus ? 1 : -1)
        default:
            return nil
        }
        let days = daysSince1970(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        // As Foundation computes it: whole seconds from its reference date, then the fraction.
        return Date(timeIntervalSinceReferenceDate: Double(seconds - referenceOffset) + Double(fraction) / powersOfTen[digits])
    }

    /// The decimal number of `count` ASCII digits at `start`.
    private static func number(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int64? {
        var value: Int64 = 0
        for i in start..<(start + count) {
            guard let d = digit(b[i]) else { return nil }
            value = value * 10 + Int64(d)
        }
        return value
    }

    private static func digit(_ byte: UInt8) -> UInt8? {
        byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : nil
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar.
    private static func daysSince1970(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension UInt8 {
    fileprivate static let dash = UInt8(ascii: "-")
    fileprivate static let colon = UInt8(ascii: ":")
    fileprivate static let dot = UInt8(ascii: ".")
    fileprivate static let plus = UInt8(ascii: "+")
    fileprivate static let t = UInt8(ascii: "T")
    fileprivate static let z = UInt8(ascii: "Z")
}
