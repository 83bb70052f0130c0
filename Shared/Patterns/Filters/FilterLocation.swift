/// Where the compiler is in the filter document, rendered as the normalised JSONPath that
/// `PayloadFilterError.path` documents. Built only while compiling; rendered only on error.
struct FilterLocation: Sendable {
    private enum Step: Sendable {
        case member(String)
        case element(Int)
    }

    private var steps: [Step] = []

    /// The location of member `name` of the value here.
    func member(_ name: String) -> FilterLocation {
        var copy = self
        copy.steps.append(.member(name))
        return copy
    }

    /// The location of element `index` of the array here.
    func element(_ index: Int) -> FilterLocation {
        var copy = self
        copy.steps.append(.element(index))
        return copy
    }

    /// `$`, then `.name`, `["name"]` or `[index]` per step.
    var rendered: String {
        var out = "$"
        for step in steps {
            switch step {
            case .element(let index): out += "[\(index)]"
            case .member(let name):
                if Self.isPlainName(name) {
                    out += "." + name
                } else {
                    out += "[" + Self.quoted(name) + "]"
                }
            }
        }
        return out
    }

    /// Letters, digits, `_` and `$` (ASCII), not empty, not starting with a digit.
    private static func isPlainName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "_"), UInt8(ascii: "$"):
                true
            default: false
            }
        }
    }

    /// `name` as a JSON string literal.
    private static func quoted(_ name: String) -> String {
        var out = "\""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
