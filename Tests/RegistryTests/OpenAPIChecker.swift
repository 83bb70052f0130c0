import Foundation

/// Checks responses against the registry's own `/openapi.json`: the operation must exist, document
/// the answered status, and the body must match its schema (the JSON Schema subset the document
/// uses: `type` (also as a list), `properties`, `required`, `items`, `additionalProperties`, `enum`,
/// `$ref`).
struct OpenAPIChecker {
    let document: [String: Any]

    init(json: Any?) throws {
        guard let document = json as? [String: Any], document["openapi"] as? String == "3.1.0" else {
            throw CheckError(problems: ["/openapi.json is not an OpenAPI 3.1 document"])
        }
        self.document = document
    }

    struct CheckError: Error, CustomStringConvertible {
        let problems: [String]
        var description: String { problems.joined(separator: "\n") }
    }

    /// Problems of `reply` as the answer to `method template` (e.g. `get /api/v1/webhooks/{webhook_id}`).
    func problems(_ method: String, _ template: String, _ reply: Reply) -> [String] {
        guard let paths = document["paths"] as? [String: Any], let item = paths[template] as? [String: Any] else {
            return ["\(template) is not documented"]
        }
        guard let operation = item[method.lowercased()] as? [String: Any] else { return ["\(method) \(template) is not documented"] }
        guard let responses = operation["responses"] as? [String: Any], let response = responses[String(reply.status)] as? [String: Any] else {
            return ["\(method) \(template): status \(reply.status) is not documented"]
        }
        guard let content = response["content"] as? [String: Any] else {
            return reply.text.isEmpty ? [] : ["\(method) \(template) \(reply.status): documented without a body, got \(reply.text.prefix(200))"]
        }
        guard let schema = (content["application/json"] as? [String: Any])?["schema"] as? [String: Any] else {
            return ["\(method) \(template) \(reply.status): no JSON schema"]
        }
        guard let body = reply.json else { return ["\(method) \(template) \(reply.status): the body is not JSON"] }
        return validate(body, schema, at: "$").map { "\(method) \(template) \(reply.status): \($0)" }
    }

    func validate(_ value: Any, _ schema: [String: Any], at path: String) -> [String] {
        if let ref = schema["$ref"] as? String {
            let name = String(ref.split(separator: "/").last ?? "")
            guard let target = ((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?[name] as? [String: Any] else {
                return ["\(path): unresolved \(ref)"]
            }
            return validate(value, target, at: path)
        }
        var problems: [String] = []
        if let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map({ [$0] }) {
            guard types.contains(where: { matches(value, $0) }) else { return ["\(path): expected \(types.joined(separator: "|")), got \(value)"] }
        }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" }) {
            problems.append("\(path): \(value) is not one of \(allowed)")
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): required '\(key)' is missing")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, member) in object {
                if let sub = properties[key] as? [String: Any] {
                    problems += validate(member, sub, at: "\(path).\(key)")
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    problems += validate(member, additional, at: "\(path).\(key)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (i, element) in array.enumerated() { problems += validate(element, items, at: "\(path)[\(i)]") }
        }
        return problems
    }

    func matches(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return isBool(value)
        case "integer": return !isBool(value) && (value as? NSNumber).map { $0.doubleValue == $0.doubleValue.rounded() } ?? false
        case "number": return !isBool(value) && value is NSNumber
        default: return false
        }
    }

    func isBool(_ value: Any) -> Bool {
        guard let n = value as? NSNumber else { return false }
        return type(of: n) == type(of: NSNumber(value: true)) || String(cString: n.objCType) == "c"
    }
}
