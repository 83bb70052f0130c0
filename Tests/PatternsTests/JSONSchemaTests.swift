import Patterns
import Testing
import WebhookCore

/// A schema, a value, and the violation expected (`nil`: the value conforms).
struct SchemaCase: Sendable, CustomTestStringConvertible {
    let schema: String
    let value: String
    let violation: String?

    init(_ schema: String, _ value: String, _ violation: String?) {
        self.schema = schema
        self.value = value
        self.violation = violation
    }

    var testDescription: String { "\(schema) ∋ \(value) → \(violation ?? "ok")" }
}

/// A refused schema: its error code and where.
struct SchemaErrorCase: Sendable, CustomTestStringConvertible {
    let schema: String
    let code: String
    let path: String

    init(_ schema: String, _ code: String, _ path: String) {
        self.schema = schema
        self.code = code
        self.path = path
    }

    var testDescription: String { "\(schema) → \(code) at \(path)" }
}

private func parse(_ text: String) -> JSONValue {
    do {
        return try JSONParser.parse(text)
    } catch {
        Issue.record("bad test JSON \(text): \(error)")
        return .null
    }
}

@Suite("JSON Schema subset")
struct JSONSchemaTests {
    static let cases: [SchemaCase] = [
        // type
        SchemaCase(#"{"type": "object"}"#, "{}", nil),
        SchemaCase(#"{"type": "object"}"#, "[]", "$: must be object, not array"),
        SchemaCase(#"{"type": "array"}"#, "[1]", nil),
        SchemaCase(#"{"type": "array"}"#, "{}", "$: must be array, not object"),
        SchemaCase(#"{"type": "string"}"#, #""x""#, nil),
        SchemaCase(#"{"type": "string"}"#, "1", "$: must be string, not number"),
        SchemaCase(#"{"type": "number"}"#, "1.5", nil),
        SchemaCase(#"{"type": "number"}"#, "7", nil),
        SchemaCase(#"{"type": "number"}"#, #""7""#, "$: must be number, not string"),
        SchemaCase(#"{"type": "integer"}"#, "7", nil),
        SchemaCase(#"{"type": "integer"}"#, "2.0", nil),
        SchemaCase(#"{"type": "integer"}"#, "123456789012345678901234567890", nil),
        SchemaCase(#"{"type": "integer"}"#, "2.5", "$: must be integer, not number"),
        SchemaCase(#"{"type": "boolean"}"#, "false", nil),
        SchemaCase(#"{"type": "boolean"}"#, "null", "$: must be boolean, not null"),
        SchemaCase(#"{"type": "null"}"#, "null", nil),
        SchemaCase(#"{"type": "null"}"#, "0", "$: must be null, not number"),
        SchemaCase(#"{"type": ["string", "null"]}"#, "null", nil),
        SchemaCase(#"{"type": ["string", "null"]}"#, #""a""#, nil),
        SchemaCase(#"{"type": ["string", "null"]}"#, "true", "$: must be one of string, null, not boolean"),
        // properties, required, additionalProperties
        SchemaCase(#"{"properties": {"a": {"type": "string"}}}"#, #"{"a": "x", "b": 1}"#, nil),
        SchemaCase(#"{"properties": {"a": {"type": "string"}}}"#, #"{"a": 1}"#, "$.a: must be string, not number"),
        SchemaCase(#"{"properties": {"a": {"type": "string"}}}"#, "{}", nil),
        SchemaCase(#"{"properties": {"a": {"type": "string"}}}"#, "5", nil),
        SchemaCase(
            #"{"properties": {"user": {"properties": {"id": {"type": "string"}}, "required": ["id"]}}}"#, #"{"user": {}}"#, "$.user.id: is required"),
        SchemaCase(#"{"required": ["a", "b"]}"#, #"{"a": 1, "b": null}"#, nil),
        SchemaCase(#"{"required": ["a", "b"]}"#, #"{"a": 1}"#, "$.b: is required"),
        SchemaCase(#"{"required": ["odd key"]}"#, "{}", #"$["odd key"]: is required"#),
        SchemaCase(#"{"properties": {"a": {}}, "additionalProperties": false}"#, #"{"a": 1}"#, nil),
        SchemaCase(
            #"{"properties": {"a": {}}, "additionalProperties": false}"#, #"{"a": 1, "b": 2}"#, "$.b: is not allowed (additionalProperties is false)"),
        SchemaCase(#"{"additionalProperties": true}"#, #"{"z": 1}"#, nil),
        SchemaCase(#"{"properties": {"a": {}}, "additionalProperties": {"type": "integer"}}"#, #"{"a": "s", "b": 2}"#, nil),
        SchemaCase(#"{"properties": {"a": {}}, "additionalProperties": {"type": "integer"}}"#, #"{"b": "s"}"#, "$.b: must be integer, not string"),
        // items, minItems, maxItems
        SchemaCase(#"{"items": {"type": "integer"}}"#, "[1, 2, 3]", nil),
        SchemaCase(#"{"items": {"type": "integer"}}"#, #"[1, "2", 3]"#, "$[1]: must be integer, not string"),
        SchemaCase(#"{"items": {"properties": {"sku": {"minLength": 2}}}}"#, #"[{"sku": "ab"}, {"sku": "c"}]"#, "$[1].sku: must be at least 2 characters long"),
        SchemaCase(#"{"minItems": 1}"#, "[0]", nil),
        SchemaCase(#"{"minItems": 1}"#, "[]", "$: must hold at least 1 item"),
        SchemaCase(#"{"maxItems": 2}"#, "[1, 2]", nil),
        SchemaCase(#"{"maxItems": 2}"#, "[1, 2, 3]", "$: must hold at most 2 items"),
        // enum, const
        SchemaCase(#"{"enum": ["a", 1, null]}"#, "1.0", nil),
        SchemaCase(#"{"enum": ["a", 1, null]}"#, "null", nil),
        SchemaCase(#"{"enum": ["a", 1, null]}"#, #""b""#, #"$: must be one of ["a", 1, null]"#),
        SchemaCase(#"{"const": {"x": [1, 2]}}"#, #"{"x": [1, 2.0]}"#, nil),
        SchemaCase(#"{"const": {"x": [1, 2]}}"#, #"{"x": [2, 1]}"#, #"$: must be {"x": [1, 2]}"#),
        SchemaCase(#"{"const": "prod"}"#, #""stage""#, #"$: must be "prod""#),
        // minimum, maximum, exclusiveMinimum, exclusiveMaximum
        SchemaCase(#"{"minimum": 0}"#, "0", nil),
        SchemaCase(#"{"minimum": 0}"#, "-0.5", "$: must be ≥ 0"),
        SchemaCase(#"{"minimum": 0}"#, #""-1""#, nil),
        SchemaCase(#"{"maximum": 10.5}"#, "10.5", nil),
        SchemaCase(#"{"maximum": 10.5}"#, "11", "$: must be ≤ 10.5"),
        SchemaCase(#"{"maximum": 18446744073709551616}"#, "18446744073709551617", "$: must be ≤ 18446744073709551616"),
        SchemaCase(#"{"exclusiveMinimum": 0}"#, "0.001", nil),
        SchemaCase(#"{"exclusiveMinimum": 0}"#, "0", "$: must be > 0"),
        SchemaCase(#"{"exclusiveMaximum": 100}"#, "99", nil),
        SchemaCase(#"{"exclusiveMaximum": 100}"#, "100.0", "$: must be < 100"),
        // minLength, maxLength, pattern
        SchemaCase(#"{"minLength": 2}"#, #""ab""#, nil),
        SchemaCase(#"{"minLength": 2}"#, #""a""#, "$: must be at least 2 characters long"),
        SchemaCase(#"{"maxLength": 3}"#, #""Zoë""#, nil),
        SchemaCase(#"{"maxLength": 3}"#, #""abcd""#, "$: must be at most 3 characters long"),
        SchemaCase(#"{"maxLength": 1}"#, "12345", nil),
        SchemaCase(#"{"pattern": "^[a-z]+-[0-9]+$"}"#, #""job-42""#, nil),
        SchemaCase(#"{"pattern": "^[a-z]+-[0-9]+$"}"#, #""Job-42""#, #"$: must match the pattern "^[a-z]+-[0-9]+$""#),
        SchemaCase(#"{"pattern": "[0-9]"}"#, #""abc1def""#, nil),
        // ignored annotations
        SchemaCase(#"{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "t", "description": "d"}"#, "42", nil),
        // nesting: the first failure, its full path
        SchemaCase(
            #"{"type": "object", "required": ["amount"], "properties": {"amount": {"type": "number", "minimum": 0}}}"#, #"{"amount": -1}"#,
            "$.amount: must be ≥ 0"),
    ]

    @Test(arguments: cases)
    func validates(_ c: SchemaCase) throws {
        let schema = try JSONSchema.compile(parse(c.schema))
        #expect(schema.validate(parse(c.value))?.description == c.violation)
    }

    @Test func pathsStartAtTheRootTheCallerNames() throws {
        let schema = try JSONSchema.compile(parse(#"{"properties": {"user": {"required": ["id"]}}}"#))
        let violation = schema.validate(parse(#"{"user": {}}"#), root: "$.data")
        #expect(violation == JSONSchemaViolation(path: "$.data.user.id", message: "is required"))
    }

    static let refused: [SchemaErrorCase] = [
        SchemaErrorCase("[]", "E_SCHEMA_NOT_OBJECT", "$"),
        SchemaErrorCase(#"{"properties": {"a": true}}"#, "E_SCHEMA_NOT_OBJECT", "$.properties.a"),
        SchemaErrorCase(#"{"multipleOf": 2}"#, "E_SCHEMA_UNKNOWN_KEYWORD", "$.multipleOf"),
        SchemaErrorCase(#"{"properties": {"amount": {"format": "email"}}}"#, "E_SCHEMA_UNKNOWN_KEYWORD", "$.properties.amount.format"),
        SchemaErrorCase(##"{"items": {"$ref": "#/x"}}"##, "E_SCHEMA_UNKNOWN_KEYWORD", "$.items.$ref"),
        SchemaErrorCase(#"{"type": "float"}"#, "E_SCHEMA_INVALID_KEYWORD", "$.type"),
        SchemaErrorCase(#"{"type": ["string", 1]}"#, "E_SCHEMA_INVALID_KEYWORD", "$.type[1]"),
        SchemaErrorCase(#"{"type": ["string", "string"]}"#, "E_SCHEMA_INVALID_KEYWORD", "$.type[1]"),
        SchemaErrorCase(#"{"type": []}"#, "E_SCHEMA_INVALID_KEYWORD", "$.type"),
        SchemaErrorCase(#"{"properties": []}"#, "E_SCHEMA_INVALID_KEYWORD", "$.properties"),
        SchemaErrorCase(#"{"required": "a"}"#, "E_SCHEMA_INVALID_KEYWORD", "$.required"),
        SchemaErrorCase(#"{"required": ["a", 2]}"#, "E_SCHEMA_INVALID_KEYWORD", "$.required[1]"),
        SchemaErrorCase(#"{"required": ["a", "a"]}"#, "E_SCHEMA_INVALID_KEYWORD", "$.required[1]"),
        SchemaErrorCase(#"{"additionalProperties": "no"}"#, "E_SCHEMA_INVALID_KEYWORD", "$.additionalProperties"),
        SchemaErrorCase(#"{"additionalProperties": {"nope": 1}}"#, "E_SCHEMA_UNKNOWN_KEYWORD", "$.additionalProperties.nope"),
        SchemaErrorCase(#"{"items": [{"type": "string"}]}"#, "E_SCHEMA_INVALID_KEYWORD", "$.items"),
        SchemaErrorCase(#"{"enum": []}"#, "E_SCHEMA_INVALID_KEYWORD", "$.enum"),
        SchemaErrorCase(#"{"enum": "a"}"#, "E_SCHEMA_INVALID_KEYWORD", "$.enum"),
        SchemaErrorCase(#"{"minimum": "0"}"#, "E_SCHEMA_INVALID_KEYWORD", "$.minimum"),
        SchemaErrorCase(#"{"maximum": null}"#, "E_SCHEMA_INVALID_KEYWORD", "$.maximum"),
        SchemaErrorCase(#"{"exclusiveMinimum": true}"#, "E_SCHEMA_INVALID_KEYWORD", "$.exclusiveMinimum"),
        SchemaErrorCase(#"{"exclusiveMaximum": []}"#, "E_SCHEMA_INVALID_KEYWORD", "$.exclusiveMaximum"),
        SchemaErrorCase(#"{"minLength": -1}"#, "E_SCHEMA_INVALID_KEYWORD", "$.minLength"),
        SchemaErrorCase(#"{"maxLength": 1.5}"#, "E_SCHEMA_INVALID_KEYWORD", "$.maxLength"),
        SchemaErrorCase(#"{"minItems": "1"}"#, "E_SCHEMA_INVALID_KEYWORD", "$.minItems"),
        SchemaErrorCase(#"{"maxItems": -3}"#, "E_SCHEMA_INVALID_KEYWORD", "$.maxItems"),
        SchemaErrorCase(#"{"title": 5}"#, "E_SCHEMA_INVALID_KEYWORD", "$.title"),
        SchemaErrorCase(#"{"pattern": 5}"#, "E_SCHEMA_INVALID_KEYWORD", "$.pattern"),
        SchemaErrorCase(#"{"properties": {"id": {"pattern": "(a"}}}"#, "E_SCHEMA_INVALID_PATTERN", "$.properties.id.pattern"),
        SchemaErrorCase(#"{"pattern": "a{1000}{1000}"}"#, "E_SCHEMA_INVALID_PATTERN", "$.pattern"),
    ]

    @Test(arguments: refused)
    func refuses(_ c: SchemaErrorCase) {
        #expect(throws: JSONSchemaError.self) { try JSONSchema.compile(parse(c.schema)) }
        do throws(JSONSchemaError) {
            _ = try JSONSchema.compile(parse(c.schema))
        } catch {
            #expect(error.code == c.code, "\(error)")
            #expect(error.path == c.path, "\(error)")
        }
    }

    @Test func unknownKeywordsAreNamed() {
        do throws(JSONSchemaError) {
            _ = try JSONSchema.compile(parse(#"{"properties": {"n": {"multipleOf": 3}}}"#))
            Issue.record("compiled")
        } catch {
            #expect(error.message.hasPrefix("'multipleOf' is not a supported keyword"))
        }
    }

    @Test func limitsDepthAndSize() throws {
        var deep = #"{"type": "string"}"#
        for _ in 0..<15 { deep = #"{"properties": {"x": \#(deep)}}"# }
        #expect(throws: Never.self) { try JSONSchema.compile(parse(deep)) }
        deep = #"{"properties": {"x": \#(deep)}}"#
        do throws(JSONSchemaError) {
            _ = try JSONSchema.compile(parse(deep))
            Issue.record("a schema of 33 levels compiled")
        } catch {
            #expect(error.code == "E_SCHEMA_TOO_DEEP")
        }
        let members = (0..<3000).map { #""p\#($0)": {"type": "string"}"# }.joined(separator: ", ")
        do throws(JSONSchemaError) {
            _ = try JSONSchema.compile(parse(#"{"properties": {\#(members)}}"#))
            Issue.record("a schema over 64 KiB compiled")
        } catch {
            #expect(error.code == "E_SCHEMA_TOO_LARGE")
            #expect(error.path == "$")
        }
    }
}
