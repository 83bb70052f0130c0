import WebhookCore

/// A JSON Schema document compiled once into a validator: what an event type's `data` must look
/// like (the event-type catalogue's `schema`).
///
/// The supported subset of JSON Schema (2020-12 meaning):
/// - `type`: one of `object`, `array`, `string`, `number`, `integer`, `boolean`, `null`, or an
///   array of them (`integer` also accepts a number with no fraction, such as `2.0`);
/// - objects: `properties`, `required`, `additionalProperties` (a boolean or a schema);
/// - arrays: `items` (one schema for every element), `minItems`, `maxItems`;
/// - any value: `enum`, `const` (numbers compare by value: `1` equals `1.0`);
/// - numbers: `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` (numbers, compared exactly);
/// - strings: `minLength`, `maxLength` (in Unicode scalars), `pattern` (RE2 syntax, matching
///   anywhere in the string unless anchored with `^` or `$`, as JSON Schema's `pattern` does);
/// - `$schema`, `title`, `description` are accepted and ignored.
///
/// Every other keyword is refused (`E_SCHEMA_UNKNOWN_KEYWORD`) rather than silently ignored, so a
/// schema never looks stricter than it is. A document is at most `maximumDocumentBytes` of
/// canonical JSON and `maximumDepth` levels of arrays and objects.
public struct JSONSchema: Sendable {
    /// Largest schema document, in bytes of canonical JSON.
    public static let maximumDocumentBytes = 64 << 10
    /// Deepest nesting of arrays and objects in a schema document.
    public static let maximumDepth = 32

    /// The keywords of the subset.
    public static let keywords: Set<String> = [
        "type", "properties", "required", "additionalProperties", "items", "enum", "const", "minimum", "maximum",
        "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems", "maxItems",
        "$schema", "title", "description",
    ]

    /// The document as given.
    public let document: JSONValue
    let root: SchemaNode

    /// Checks and compiles a schema document.
    /// - Throws: `JSONSchemaError` with a stable code and the JSONPath of the offending part.
    public static func compile(_ document: JSONValue) throws(JSONSchemaError) -> JSONSchema {
        let size = CanonicalJSON.encode(document).count
        guard size <= maximumDocumentBytes else {
            throw JSONSchemaError(
                kind: .tooLarge, message: "the schema is \(size) bytes of JSON; at most \(maximumDocumentBytes) are allowed", path: "$")
        }
        try SchemaCompiler.checkDepth(document, at: FilterLocation())
        return JSONSchema(document: document, root: try SchemaCompiler.node(document, at: FilterLocation()))
    }

    /// The first place where `value` breaks the schema, or `nil` when it conforms.
    /// - Parameter root: how the path of a violation starts (`$` for `value` itself, `$.data`
    ///   when `value` is an event's `data`).
    public func validate(_ value: JSONValue, root: String = "$") -> JSONSchemaViolation? {
        guard let failure = SchemaValidator.check(value, self.root) else { return nil }
        var location = FilterLocation()
        for step in failure.steps.reversed() {
            switch step {
            case .member(let name): location = location.member(name)
            case .element(let index): location = location.element(index)
            }
        }
        return JSONSchemaViolation(path: root + location.rendered.dropFirst(), message: failure.message)
    }
}

/// The JSON types `type` names.
struct SchemaTypes: OptionSet, Sendable {
    let rawValue: UInt8

    static let object = SchemaTypes(rawValue: 1 << 0)
    static let array = SchemaTypes(rawValue: 1 << 1)
    static let string = SchemaTypes(rawValue: 1 << 2)
    static let number = SchemaTypes(rawValue: 1 << 3)
    static let integer = SchemaTypes(rawValue: 1 << 4)
    static let boolean = SchemaTypes(rawValue: 1 << 5)
    static let null = SchemaTypes(rawValue: 1 << 6)

    /// Names in the order messages list them.
    static let named: [(name: String, type: SchemaTypes)] = [
        ("object", .object), ("array", .array), ("string", .string), ("number", .number), ("integer", .integer),
        ("boolean", .boolean), ("null", .null),
    ]

    var names: [String] { Self.named.filter { contains($0.type) }.map(\.name) }
}

/// What `additionalProperties` allows.
enum SchemaAdditional: Sendable {
    /// Absent or `true`: any other member.
    case any
    /// `false`: no member outside `properties`.
    case forbidden
    /// A schema every other member must conform to.
    case schema(SchemaNode)
}

/// A compiled (sub)schema; immutable.
final class SchemaNode: Sendable {
    let types: SchemaTypes?
    /// `properties` in document order.
    let properties: [(name: String, node: SchemaNode)]
    let propertyNames: Set<String>
    let required: [String]
    let additional: SchemaAdditional
    let items: SchemaNode?
    let enumValues: [JSONValue]?
    let constValue: JSONValue?
    let minimum: JSONValue?
    let maximum: JSONValue?
    let exclusiveMinimum: JSONValue?
    let exclusiveMaximum: JSONValue?
    let minLength: Int?
    let maxLength: Int?
    let pattern: (source: String, regex: ResourcePattern)?
    let minItems: Int?
    let maxItems: Int?

    init(_ parts: SchemaParts) {
        types = parts.types
        properties = parts.properties
        propertyNames = Set(parts.properties.map(\.name))
        required = parts.required
        additional = parts.additional
        items = parts.items
        enumValues = parts.enumValues
        constValue = parts.constValue
        minimum = parts.minimum
        maximum = parts.maximum
        exclusiveMinimum = parts.exclusiveMinimum
        exclusiveMaximum = parts.exclusiveMaximum
        minLength = parts.minLength
        maxLength = parts.maxLength
        pattern = parts.pattern
        minItems = parts.minItems
        maxItems = parts.maxItems
    }
}

/// A node's keywords while it is being compiled.
struct SchemaParts {
    var types: SchemaTypes?
    var properties: [(name: String, node: SchemaNode)] = []
    var required: [String] = []
    var additional: SchemaAdditional = .any
    var items: SchemaNode?
    var enumValues: [JSONValue]?
    var constValue: JSONValue?
    var minimum: JSONValue?
    var maximum: JSONValue?
    var exclusiveMinimum: JSONValue?
    var exclusiveMaximum: JSONValue?
    var minLength: Int?
    var maxLength: Int?
    var pattern: (source: String, regex: ResourcePattern)?
    var minItems: Int?
    var maxItems: Int?
}
