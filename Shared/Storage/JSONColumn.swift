import Foundation

/// `[String: String]` to and from JSONB columns (written as text, cast in SQL).
enum JSONColumn {
    static func encode(_ map: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? String(decoding: encoder.encode(map), as: UTF8.self)) ?? "{}"
    }

    static func decode(_ text: String?) -> [String: String] {
        guard let text, let data = text.data(using: .utf8) else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
    }
}
