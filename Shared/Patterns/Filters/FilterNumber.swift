/// How a value compares with an operand.
enum FilterOrder: Sendable, Equatable {
    case less
    case equal
    case greater

    /// The order seen from the other side.
    var reversed: FilterOrder {
        switch self {
        case .less: .greater
        case .equal: .equal
        case .greater: .less
        }
    }
}

/// Exact comparison of JSON numbers: integers as their decimal text (any size), floating-point
/// values as `Double`. No comparison goes through a rounding conversion, so integers beyond
/// `Double`'s 53 bits compare exactly, with each other and with doubles.
enum FilterNumber {
    /// Orders two normalised integer literals (no `+`, no leading zeros, `0` not `-0`); `value` is
    /// `b` as an `Int64` when it fits, parsed once by the caller.
    static func compare(integer a: String, integer b: String, value: Int64?) -> FilterOrder {
        if let y = value, let x = Int64(a) { return order(x, y) }
        return compareText(integer: a, integer: b)
    }

    /// Orders two normalised integer literals (no `+`, no leading zeros, `0` not `-0`).
    static func compare(integer a: String, integer b: String) -> FilterOrder {
        if let x = Int64(a), let y = Int64(b) { return order(x, y) }
        return compareText(integer: a, integer: b)
    }

    /// Orders two normalised integer literals by sign, number of digits, then digits.
    private static func compareText(integer a: String, integer b: String) -> FilterOrder {
        let aNegative = a.utf8.first == UInt8(ascii: "-")
        let bNegative = b.utf8.first == UInt8(ascii: "-")
        if aNegative != bNegative { return aNegative ? .less : .greater }
        let aDigits = a.utf8.dropFirst(aNegative ? 1 : 0)
        let bDigits = b.utf8.dropFirst(bNegative ? 1 : 0)
        let magnitude: FilterOrder
        if aDigits.count != bDigits.count {
            magnitude = aDigits.count < bDigits.count ? .less : .greater
        } else if aDigits.elementsEqual(bDigits) {
            magnitude = .equal
        } else {
            magnitude = aDigits.lexicographicallyPrecedes(bDigits) ? .less : .greater
        }
        return aNegative ? magnitude.reversed : magnitude
    }

    /// Orders an integer literal and a double, exactly; `nil` when the double is NaN.
    static func compare(integer a: String, double d: Double) -> FilterOrder? {
        guard !d.isNaN else { return nil }
        if let i = Int64(a) { return compare(i, d) }
        // |a| >= 2^63. Rounding to Double is monotonic, so a strict order of the rounded value is
        // the order of `a`; a tie means `d` is an integer of at least 2^63, compared digit by digit.
        let rounded = Double(a) ?? (a.utf8.first == UInt8(ascii: "-") ? -.infinity : .infinity)
        if rounded < d { return .less }
        if rounded > d { return .greater }
        return compare(integer: a, integer: exactDecimal(d))
    }

    /// Orders two doubles; `nil` when either is NaN.
    static func compare(double a: Double, double b: Double) -> FilterOrder? {
        if a < b { return .less }
        if a > b { return .greater }
        return a == b ? .equal : nil
    }

    private static func order(_ x: Int64, _ y: Int64) -> FilterOrder {
        x < y ? .less : (x > y ? .greater : .equal)
    }

    /// Orders an `Int64` and a (non-NaN) double exactly.
    private static func compare(_ i: Int64, _ d: Double) -> FilterOrder {
        if d >= 9_223_372_036_854_775_808.0 { return .less }
        if d < -9_223_372_036_854_775_808.0 { return .greater }
        let floor = d.rounded(.down)
        let whole = Int64(floor)  // exact: floor is an integer within Int64's range
        if i != whole { return i < whole ? .less : .greater }
        return d > floor ? .less : .equal
    }

    /// The exact decimal text of an integral finite double (used only for |d| >= 2^63).
    static func exactDecimal(_ d: Double) -> String {
        let magnitude = d.magnitude
        var significand = (UInt64(1) << 52) | magnitude.significandBitPattern
        var digits: [UInt8] = []  // least significant first
        while significand > 0 {
            digits.append(UInt8(significand % 10))
            significand /= 10
        }
        let shift = Int(magnitude.exponent) - 52
        if shift > 0 {
            for _ in 0..<shift {
                var carry: UInt8 = 0
                for index in digits.indices {
                    let doubled = digits[index] * 2 + carry
                    digits[index] = doubled % 10
                    carry = doubled / 10
                }
                if carry > 0 { digits.append(carry) }
            }
        }
        let text = String(decoding: digits.reversed().map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
        return d < 0 ? "-" + text : text
    }
}
