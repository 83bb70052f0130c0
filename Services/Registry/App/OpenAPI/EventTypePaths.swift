/// The event-type catalogue's paths (`EventTypeRoutes`).
enum EventTypePaths {
    typealias Node = Schema.Node
    typealias Ex = OpenAPIExamples

    static let tag = "event-types"
    static let writers = ["admin (without tenant)"]

    static let typeParam = OpenAPIOperation.param(
        "type", in: "path",
        ["type": "string", "minLength": 1, "maxLength": 128, "pattern": "^[A-Za-z0-9_:-]+(\\.[A-Za-z0-9_:-]+)*$"] as Node,
        "the event type, e.g. job.failed")

    static func op(
        _ id: String, _ summary: String, roles: [String], params: [Node] = [], body: (schema: Node, example: any Sendable)? = nil,
        ok: OpenAPIOperation.Answer, errors: [Int] = [], description: String
    ) -> Node {
        OpenAPIOperation.make(
            id, summary, tag: tag, roles: roles, envelope: .canonical, params: params, body: body, ok: ok, errors: errors,
            description: description)
    }

    static let entry = Schema.envelope(Schema.ref("EventType"))

    static let schemaExample: Node = [
        "type": "object", "required": ["amount", "user"],
        "properties": [
            "amount": ["type": "number", "minimum": 0] as Node,
            "user": ["type": "object", "required": ["id"], "properties": ["id": ["type": "string"] as Node] as Node] as Node,
        ] as Node,
    ]

    static let example: Node = [
        "type": "invoice.paid", "description": "an invoice was paid", "category": "billing", "schema": schemaExample,
        "deprecated": false, "created_at": Ex.time, "updated_at": Ex.time,
    ]

    static let writeNote = """
        The catalogue is platform-wide: only an admin without tenant changes it (403 for everyone else). \
        A schema is a JSON Schema subset (type, properties, required, additionalProperties, items, enum, const, minimum, \
        maximum, exclusiveMinimum, exclusiveMaximum, minLength, maxLength, pattern, minItems, maxItems; $schema, title and \
        description are ignored); any other keyword, a wrong operand, an RE2 pattern RE2 refuses, more than 32 levels or 64 KiB \
        answer 422 (E_SCHEMA_UNKNOWN_KEYWORD, E_SCHEMA_INVALID_KEYWORD, E_SCHEMA_INVALID_PATTERN, E_SCHEMA_NOT_OBJECT, \
        E_SCHEMA_TOO_DEEP, E_SCHEMA_TOO_LARGE) with the JSONPath of the mistake in the message. With INGEST_CATALOGUE=strict, \
        ingest checks each event's data against its type's schema after its next refresh.
        """

    static let paths: [String: Node] = [
        "/api/v1/event-types": [
            "get": op(
                "listEventTypes", "The event-type catalogue", roles: CanonicalPaths.readers,
                params: [OpenAPIOperation.param("include_deprecated", Schema.boolean, "true: deprecated entries too (default false)")],
                ok: .init(
                    200, Schema.envelope(Schema.object(["items": Schema.array(Schema.ref("EventType"))], required: ["items"])), "event types, by type",
                    example: Ex.canonical(["items": [example]] as Node)),
                description: "Every admin and viewer, of a tenant or not, reads the platform-wide catalogue."),
            "post": op(
                "createEventType", "Add an event type to the catalogue", roles: writers,
                body: (
                    Schema.ref("EventTypeInput"),
                    ["type": "invoice.paid", "description": "an invoice was paid", "category": "billing", "schema": schemaExample] as Node
                ),
                ok: .init(201, entry, "the new entry", example: Ex.canonical(example, "Event type created")), errors: [409, 422],
                description: "409 E_EVENT_TYPE_EXISTS when the type is in the catalogue already; the type follows ingest's rules (400 E_INVALID_EVENT_TYPE). "
                    + writeNote),
        ] as Node,
        "/api/v1/event-types/{type}": [
            "get": op(
                "getEventType", "One entry of the catalogue", roles: CanonicalPaths.readers, params: [typeParam],
                ok: .init(200, entry, "the entry (deprecated ones too)", example: Ex.canonical(example)),
                description: "404 E_NOT_FOUND when the type is not in the catalogue."),
            "patch": op(
                "updateEventType", "Change an entry (fields not sent keep their value; schema null removes it)", roles: writers,
                params: [typeParam],
                body: (Schema.ref("EventTypeUpdate"), ["description": "an invoice was paid in full", "deprecated": false] as Node),
                ok: .init(200, entry, "the updated entry", example: Ex.canonical(example, "Event type updated")), errors: [422],
                description: "deprecated false takes a deprecation back. " + writeNote),
        ] as Node,
        "/api/v1/event-types/{type}/deprecate": [
            "post": op(
                "deprecateEventType", "Deprecate an entry", roles: writers, params: [typeParam],
                ok: .init(
                    200, entry, "the entry, deprecated", example: Ex.canonical(example.merging(["deprecated": true]) { _, new in new }, "Event type deprecated")
                ),
                description:
                    "A deprecated type is left out of the listing unless include_deprecated=true; ingest still accepts its events. Only an admin without tenant (403 otherwise)."
            )
        ] as Node,
    ]
}
