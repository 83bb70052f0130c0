import WebhookCore

/// Turns a schema document into `SchemaNode`s, refusing what the subset does not allow.
enum SchemaCompiler {
    /// Refuses arrays and objects nested deeper than `JSONSchema.maximumDepth`, and numbers too large
    /// to be finite (`DocumentLimits`).
    static func checkDepth(_ value: JSONValue, at location: FilterLocation) throws(JSONSchemaError) {
        guard let (problem, place) = DocumentLimits.firstProblem(value, maximumDepth: JSONSchema.maximumDepth, at: location) else { return }
        switch problem {
        case .notFinite:
            throw JSONSchemaError(kind: .invalidKeyword, message: "a number in the schema is too large to be finite", path: place.rendered)
        case .tooDeep:
            throw JSONSchemaError(
                kind: .tooDeep, message: "the schema nests arrays and objects deeper than \(JSONSchema.maximumDepth) levels", path: place.rendered)
        }
    }

    /// Compiles a schema object (the document, or a subschema).
    static func node(_ value: JSONValue, at location: FilterLocation) throws(JSONSchemaError) -> SchemaNode {
        guard case .object(let members) = value else {
            throw JSONSchemaError(kind: .notAnObject, message: "a schema must be a JSON object, not \(article(value))", path: location.rendered)
        }
        var parts = SchemaParts()
        for (keyword, operand) in members {
            let here = location.member(keyword)
            switch keyword {
            case "type": parts.types = try types(operand, at: here)
            case "properties":
                guard case .object(let properties) = operand else { throw invalid(keyword, "an object of schemas", operand, at: here) }
                parts.properties = []
                for (name, schema) in properties {
                    parts.properties.append((name, try node(schema, at: here.member(name))))
                }
            case "required":
                guard case .array(let names) = operand else { throw invalid(keyword, "an array of strings", operand, at: here) }
                var seen = Set<String>()
                parts.required = []
                for (index, name) in names.enumerated() {
                    guard case .string(let text) = name else { throw invalid(keyword, "an array of strings", name, at: here.element(index)) }
                    guard seen.insert(text).inserted else {
                        throw JSONSchemaError(kind: .invalidKeyword, message: "'required' names '\(text)' twice", path: here.element(index).rendered)
                    }
                    parts.required.append(text)
                }
            case "additionalProperties":
                switch operand {
                case .bool(let allowed): parts.additional = allowed ? .any : .forbidden
                case .object: parts.additional = .schema(try node(operand, at: here))
                default: throw invalid(keyword, "a boolean or a schema", operand, at: here)
                }
            case "items":
                guard case .object = operand else { throw invalid(keyword, "a schema (an object)", operand, at: here) }
                parts.items = try node(operand, at: here)
            case "enum":
                guard case .array(let values) = operand, !values.isEmpty else { throw invalid(keyword, "a non-empty array", operand, at: here) }
                parts.enumValues = values
            case "const": parts.constValue = operand
            case "minimum": parts.minimum = try number(keyword, operand, at: here)
            case "maximum": parts.maximum = try number(keyword, operand, at: here)
            case "exclusiveMinimum": parts.exclusiveMinimum = try number(keyword, operand, at: here)
            case "exclusiveMaximum": parts.exclusiveMaximum = try number(keyword, operand, at: here)
            case "minLength": parts.minLength = try count(keyword, operand, at: here)
            case "maxLength": parts.maxLength = try count(keyword, operand, at: here)
            case "minItems": parts.minItems = try count(keyword, operand, at: here)
            case "maxItems": parts.maxItems = try count(keyword, operand, at: here)
            case "pattern":
                guard case .string(let source) = operand else { throw invalid(keyword, "a string (an RE2 pattern)", operand, at: here) }
                parts.pattern = (source, try regex(source, at: here))
            case "$schema", "title", "description":
                guard case .string = operand else { throw invalid(keyword, "a string", operand, at: here) }
            default:
                throw JSONSchemaError(
                    kind: .unknownKeyword,
                    message: "'\(keyword)' is not a supported keyword; supported are \(JSONSchema.keywords.sorted().joined(separator: ", "))",
                    path: here.rendered)
            }
        }
        return SchemaNode(parts)
    }

    /// `type`: a name or a non-empty array of distinct names.
    private static func types(_ operand: JSONValue, at location: FilterLocation) throws(JSONSchemaError) -> SchemaTypes {
        func named(_ value: JSONValue, at location: FilterLocation) throws(JSONSchemaError) -> SchemaTypes {
            guard case .string(let name) = value, let type = SchemaTypes.named.first(where: { $0.name == name })?.type else {
                throw JSONSchemaError(
                    kind: .invalidKeyword,
                    message: "'type' names object, array, string, number, integer, boolean or null, not \(describe(value))",
                    path: location.rendered)
            }
            return type
        }
        switch operand {
        case .array(let names):
            guard !names.isEmpty else { throw invalid("type", "a type name or a non-empty array of them", operand, at: location) }
            var types: SchemaTypes = []
            for (index, name) in names.enumerated() {
                let type = try named(name, at: location.element(index))
                guard !types.contains(type) else {
                    throw JSONSchemaError(kind: .invalidKeyword, message: "'type' names a type twice", path: location.element(index).rendered)
                }
                types.insert(type)
            }
            return types
        default:
            return try named(operand, at: location)
        }
    }

    /// A bound of `minimum`, `maximum`, ...: any JSON number.
    private static func number(_ keyword: String, _ operand: JSONValue, at location: FilterLocation) throws(JSONSchemaError) -> JSONValue {
        switch operand {
        case .integer, .double: return operand
        default: throw invalid(keyword, "a number", operand, at: location)
        }
    }

    /// A count of `minLength`, `maxItems`, ...: a non-negative integer (`2.0` too).
    private static func count(_ keyword: String, _ operand: JSONValue, at location: FilterLocation) throws(JSONSchemaError) -> Int {
        switch operand {
        case .integer(let text):
            if let n = Int(text), n >= 0 { return n }
            if text.hasPrefix("-") { break }
            return Int.max
        case .double(let d) where d >= 0 && d.rounded() == d:
            return d < 9.2e18 ? Int(d) : Int.max
        default: break
        }
        throw invalid(keyword, "a non-negative integer", operand, at: location)
    }

    /// Compiles a `pattern` with RE2, refusing what RE2 refuses and what costs too much to run.
    private static func regex(_ source: String, at location: FilterLocation) throws(JSONSchemaError) -> ResourcePattern {
        guard !source.utf8.contains(0) else {
            throw JSONSchemaError(kind: .invalidPattern, message: "'pattern' contains a NUL character", path: location.rendered)
        }
        let compiled: ResourcePattern
        do throws(PatternError) {
            compiled = try ResourcePattern(source)
        } catch {
            throw JSONSchemaError(kind: .invalidPattern, message: "'pattern' is not a valid RE2 pattern: \(error.reason)", path: location.rendered)
        }
        let size = compiled.programSize
        guard size <= PatternBudget.maximumProgramSizePerPattern else {
            throw JSONSchemaError(
                kind: .invalidPattern,
                message: "'pattern' compiles to \(size) RE2 instructions; at most \(PatternBudget.maximumProgramSizePerPattern) are allowed",
                path: location.rendered)
        }
        return compiled
    }

    private static func invalid(_ keyword: String, _ expected: String, _ operand: JSONValue, at location: FilterLocation) -> JSONSchemaError {
        JSONSchemaError(kind: .invalidKeyword, message: "'\(keyword)' takes \(expected), not \(describe(operand))", path: location.rendered)
    }

    /// `a string`, `a negative number`, ... for messages.
    private static func describe(_ value: JSONValue) -> String {
        if case .string(let s) = value, s.count <= 32 { return "'\(s)'" }
        return article(value)
    }

    static func article(_ value: JSONValue) -> String {
        let kind = value.kindName
        return (kind.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + kind
    }
}
