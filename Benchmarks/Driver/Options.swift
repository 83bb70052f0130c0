/// `--name value` options of the benchmark command, with typed defaults.
struct Options: Sendable {
    private var values: [String: String] = [:]
    /// Words that are not options (the scenario names).
    private(set) var words: [String] = []

    init(_ arguments: [String]) throws(BenchError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("--") {
                guard index + 1 < arguments.count else { throw .usage("\(argument) needs a value") }
                values[String(argument.dropFirst(2))] = arguments[index + 1]
                index += 2
            } else {
                words.append(argument)
                index += 1
            }
        }
    }

    func string(_ name: String, _ fallback: String) -> String { values[name] ?? fallback }

    /// The value when given and not empty.
    func values(_ name: String) -> String? { values[name].flatMap { $0.isEmpty ? nil : $0 } }

    func int(_ name: String, _ fallback: Int) throws(BenchError) -> Int {
        guard let text = values[name] else { return fallback }
        guard let value = Int(text), value > 0 else { throw .usage("--\(name) must be a positive whole number, not '\(text)'") }
        return value
    }

    func required(_ name: String) throws(BenchError) -> String {
        guard let value = values[name], !value.isEmpty else { throw .usage("--\(name) is required") }
        return value
    }
}

/// Why a benchmark could not run.
enum BenchError: Error, CustomStringConvertible {
    case usage(String)
    case failed(String)

    var description: String {
        switch self {
        case .usage(let text): "usage: \(text)"
        case .failed(let text): text
        }
    }
}
