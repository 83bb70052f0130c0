/// Views that write `null` for absent optional fields instead of leaving the key out (the synthesised
/// `Encodable` omits them), so clients always find every documented key.
protocol ExplicitNulls: Encodable {}

extension ExplicitNulls {
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: NullKey.self)
        for child in Mirror(reflecting: self).children {
            guard let label = child.label else { continue }
            let key = NullKey(stringValue: label)
            let mirror = Mirror(reflecting: child.value)
            if mirror.displayStyle == .optional {
                guard let wrapped = mirror.children.first?.value else {
                    try container.encodeNil(forKey: key)
                    continue
                }
                try encodeValue(wrapped, key, &container)
            } else {
                try encodeValue(child.value, key, &container)
            }
        }
    }

    private func encodeValue(_ value: Any, _ key: NullKey, _ container: inout KeyedEncodingContainer<NullKey>) throws {
        guard let encodable = value as? any Encodable else {
            throw EncodingError.invalidValue(value, .init(codingPath: [key], debugDescription: "not Encodable"))
        }
        try container.encode(encodable, forKey: key)
    }
}

struct NullKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
