import Foundation
import Patterns
import Testing
import WebhookCore

/// One filter and whether it matches the sample event.
struct FilterCase: Sendable, CustomTestStringConvertible {
    let filter: String
    let matches: Bool

    init(_ filter: String, _ matches: Bool) {
        self.filter = filter
        self.matches = matches
    }

    var testDescription: String { "\(filter) → \(matches)" }
}

/// One refused filter: its error code and where.
struct FilterErrorCase: Sendable, CustomTestStringConvertible {
    let filter: String
    let code: String
    let path: String

    init(_ filter: String, _ code: String, _ path: String) {
        self.filter = filter
        self.code = code
        self.path = path
    }

    var testDescription: String { "\(filter) → \(code) at \(path)" }
}

private func parse(_ text: String) -> JSONValue {
    do {
        return try JSONParser.parse(text)
    } catch {
        Issue.record("bad test JSON \(text): \(error)")
        return .null
    }
}

/// 2026-01-26T10:00:00Z.
private let sampleTime = Date(timeIntervalSince1970: 1_769_421_600)

private let sampleEvent = Event(
    id: "evt_1", type: "job.failed", occurredAt: sampleTime, tenantId: 42, associationType: .project, associationId: "proj-1",
    resourceKey: "/proj/repo/app-1.0.apk",
    data: parse(
        """
        {"status": "failed", "attempts": 3, "ratio": 0.5, "five": 5, "fivef": 5.0, "text5": "5",
         "big": 123456789012345678901234567890, "bigish": 9007199254740993,
         "u64": 18446744073709551616, "u64p1": 18446744073709551617, "negbig": -18446744073709551617,
         "flag": true, "nothing": null, "name": "Zoë",
         "tags": ["a", "b", "c"], "nums": [1, 5, 10],
         "items": [{"sku": "x1", "qty": 2}, {"sku": "y2", "qty": 7}],
         "matrix": [[1, 2], [3, 4]],
         "job": {"status": "failed", "id": "j-7", "steps": [{"name": "build", "ok": true}, {"name": "test", "ok": false}]},
         "obj": {"a": 1, "b": [1, 2]}}
        """)
)

/// A platform-wide event: no tenant, scope or resource key.
private let platformEvent = Event(id: "evt_2", type: "system.maintenance", occurredAt: sampleTime, data: parse(#"{"window": 30}"#))

private func compiled(_ text: String) throws(PayloadFilterError) -> PayloadFilter {
    try PayloadFilter.compile(parse(text))
}

@Suite("Payload filters")
struct PayloadFilterTests {
    static let operatorCases: [FilterCase] = [
        FilterCase(#"{"data.status": "failed"}"#, true),
        FilterCase(#"{"data.status": "ok"}"#, false),
        FilterCase(#"{"data.attempts": {"$eq": 3}}"#, true),
        FilterCase(#"{"data.attempts": {"$eq": 4}}"#, false),
        FilterCase(#"{"data.attempts": {"$neq": 4}}"#, true),
        FilterCase(#"{"data.attempts": {"$neq": 3}}"#, false),
        FilterCase(#"{"data.attempts": {"$gt": 2}}"#, true),
        FilterCase(#"{"data.attempts": {"$gt": 3}}"#, false),
        FilterCase(#"{"data.attempts": {"$gte": 3}}"#, true),
        FilterCase(#"{"data.attempts": {"$gte": 4}}"#, false),
        FilterCase(#"{"data.attempts": {"$lt": 4}}"#, true),
        FilterCase(#"{"data.attempts": {"$lt": 3}}"#, false),
        FilterCase(#"{"data.attempts": {"$lte": 3}}"#, true),
        FilterCase(#"{"data.attempts": {"$lte": 2}}"#, false),
        FilterCase(#"{"data.ratio": {"$gt": 0.25}}"#, true),
        FilterCase(#"{"data.ratio": {"$lt": 0}}"#, false),
        FilterCase(#"{"data.status": {"$gt": "e"}}"#, true),
        FilterCase(#"{"data.status": {"$lt": "f"}}"#, false),
        FilterCase(#"{"data.name": {"$lt": "Zp"}}"#, true),
        FilterCase(#"{"data.name": {"$gt": "Zz"}}"#, false),
        // Unicode scalar order: ë (U+00EB) comes after z.
        FilterCase(#"{"data.name": {"$gt": "Zoz"}}"#, true),
        FilterCase(#"{"data.status": {"$in": ["ok", "failed"]}}"#, true),
        FilterCase(#"{"data.status": {"$in": ["ok"]}}"#, false),
        FilterCase(#"{"data.status": {"$in": []}}"#, false),
        FilterCase(#"{"data.status": {"$nin": ["ok"]}}"#, true),
        FilterCase(#"{"data.status": {"$nin": ["ok", "failed"]}}"#, false),
        FilterCase(#"{"data.nothing": {"$exists": true}}"#, true),
        FilterCase(#"{"data.status": {"$exists": false}}"#, false),
        FilterCase(#"{"resource_key": {"$regex": "\\.apk$"}}"#, true),
        FilterCase(#"{"resource_key": {"$regex": "^app"}}"#, false),
        FilterCase(#"{"data.status": {"$regex": "ail"}}"#, true),
        FilterCase(#"{"data.status": {"$regex": "^ail"}}"#, false),
        FilterCase(#"{"data.status": {"$regex": "^failed$"}}"#, true),
        FilterCase(#"{"data.status": {"$regex": "(?i)FAILED"}}"#, true),
        FilterCase(#"{"data.attempts": {"$regex": "3"}}"#, false),
        FilterCase(#"{"data.attempts": {"$gt": 1, "$lt": 5}}"#, true),
        FilterCase(#"{"data.attempts": {"$gt": 1, "$lt": 3}}"#, false),
        FilterCase(#"{"data.attempts": {"$not": {"$gt": 5}}}"#, true),
        FilterCase(#"{"data.attempts": {"$not": {"$gt": 1, "$lt": 5}}}"#, false),
        FilterCase(#"{"data.status": "failed", "data.attempts": 3}"#, true),
        FilterCase(#"{"data.status": "failed", "data.attempts": 4}"#, false),
        FilterCase(#"{}"#, true),
    ]

    @Test("every operator", arguments: operatorCases)
    func operators(_ test: FilterCase) throws {
        #expect(try compiled(test.filter).matches(sampleEvent) == test.matches)
    }

    static let missingPathCases: [FilterCase] = [
        FilterCase(#"{"data.missing": 1}"#, false),
        FilterCase(#"{"data.missing": null}"#, false),
        FilterCase(#"{"data.missing": {"$eq": null}}"#, false),
        FilterCase(#"{"data.missing": {"$gt": 0}}"#, false),
        FilterCase(#"{"data.missing": {"$lte": "z"}}"#, false),
        FilterCase(#"{"data.missing": {"$in": [null, 1]}}"#, false),
        FilterCase(#"{"data.missing": {"$regex": ""}}"#, false),
        FilterCase(#"{"data.missing": {"$exists": true}}"#, false),
        FilterCase(#"{"data.missing": {"$exists": false}}"#, true),
        FilterCase(#"{"data.missing": {"$neq": 1}}"#, true),
        FilterCase(#"{"data.missing": {"$nin": [1]}}"#, true),
        FilterCase(#"{"data.missing": {"$not": {"$gt": 1}}}"#, true),
        FilterCase(#"{"data.status.deeper": "x"}"#, false),
        FilterCase(#"{"data.job.nope.x": {"$exists": false}}"#, true),
        FilterCase(#"{"data.nothing": null}"#, true),
        FilterCase(#"{"data.nothing.x": {"$exists": true}}"#, false),
    ]

    @Test("missing paths", arguments: missingPathCases)
    func missingPaths(_ test: FilterCase) throws {
        #expect(try compiled(test.filter).matches(sampleEvent) == test.matches)
    }

    static let typeCases: [FilterCase] = [
        FilterCase(#"{"data.text5": "5"}"#, true),
        FilterCase(#"{"data.text5": 5}"#, false),
        FilterCase(#"{"data.five": "5"}"#, false),
        FilterCase(#"{"data.five": {"$gt": "4"}}"#, false),
        FilterCase(#"{"data.text5": {"$lt": 6}}"#, false),
        FilterCase(#"{"data.five": {"$in": ["5"]}}"#, false),
        FilterCase(#"{"data.flag": true}"#, true),
        FilterCase(#"{"data.flag": 1}"#, false),
        FilterCase(#"{"data.nothing": false}"#, false),
        FilterCase(#"{"data.nothing": 0}"#, false),
        FilterCase(#"{"data.obj": "[object]"}"#, false),
    ]

    @Test("values of different types never match", arguments: typeCases)
    func typeMismatches(_ test: FilterCase) throws {
        #expect(try compiled(test.filter).matches(sampleEvent) == test.matches)
    }

    static let numberCases: [FilterCase] = [
        FilterCase(#"{"data.five": 5.0}"#, true),
        FilterCase(#"{"data.fivef": 5}"#, true),
        FilterCase(#"{"data.fivef": {"$in": [4, 5]}}"#, true),
        FilterCase(#"{"data.five": {"$gte": 4.999}}"#, true),
        FilterCase(#"{"data.five": {"$lt": 5.0000001}}"#, true),
        FilterCase(#"{"data.five": {"$gt": 5.0}}"#, false),
        FilterCase(#"{"data.fivef": {"$gte": 5}}"#, true),
        FilterCase(#"{"data.fivef": {"$gt": 5}}"#, false),
        // 2^53 + 1: a double cannot tell it from 2^53; the filter does.
        FilterCase(#"{"data.bigish": 9007199254740993}"#, true),
        FilterCase(#"{"data.bigish": 9007199254740992}"#, false),
        FilterCase(#"{"data.bigish": 9007199254740992.0}"#, false),
        FilterCase(#"{"data.bigish": {"$gt": 9007199254740992.0}}"#, true),
        FilterCase(#"{"data.bigish": {"$lt": 9007199254740994}}"#, true),
        FilterCase(#"{"data.big": 123456789012345678901234567890}"#, true),
        FilterCase(#"{"data.big": 123456789012345678901234567891}"#, false),
        FilterCase(#"{"data.big": {"$gt": 123456789012345678901234567889}}"#, true),
        FilterCase(#"{"data.big": {"$lt": 123456789012345678901234567891}}"#, true),
        FilterCase(#"{"data.big": {"$gt": 123456789012345678901234567890}}"#, false),
        FilterCase(#"{"data.big": {"$gt": 1e29}}"#, true),
        FilterCase(#"{"data.big": {"$lt": 1e30}}"#, true),
        FilterCase(#"{"data.big": {"$lt": 1e29}}"#, false),
        // 2^64 is a double exactly; 2^64 + 1 rounds to it, and is still told apart.
        FilterCase(#"{"data.u64": 18446744073709551616.0}"#, true),
        FilterCase(#"{"data.u64p1": 18446744073709551616.0}"#, false),
        FilterCase(#"{"data.u64p1": {"$gt": 18446744073709551616.0}}"#, true),
        FilterCase(#"{"data.u64p1": {"$lte": 18446744073709551616.0}}"#, false),
        FilterCase(#"{"data.negbig": {"$lt": -18446744073709551616.0}}"#, true),
        FilterCase(#"{"data.negbig": {"$lt": -18446744073709551617}}"#, false),
        FilterCase(#"{"data.negbig": {"$lt": -18446744073709551616}}"#, true),
        FilterCase(#"{"data.negbig": {"$gt": -1}}"#, false),
    ]

    @Test("numbers compare exactly, integers with doubles", arguments: numberCases)
    func numbers(_ test: FilterCase) throws {
        #expect(try compiled(test.filter).matches(sampleEvent) == test.matches)
    }

    static let arrayCases: [FilterCase] = [
        FilterCase(#"{"data.tags": "b"}"#, true),
        FilterCase(#"{"data.tags": "z"}"#, false),
        FilterCase(#"{"data.tags": ["a", "b", "c"]}"#, true),
        FilterCase(#"{"data.tags": ["a", "b"]}"#, false),
        FilterCase(#"{"data.tags": ["c", "b", "a"]}"#, false),
        FilterCase(#"{"data.tags.1": "b"}"#, true),
        FilterCase(#"{"data.tags.1": "a"}"#, false),
        FilterCase(#"{"data.tags.3": {"$exists": true}}"#, false),
        FilterCase(#"{"data.tags.2": {"$exists": true}}"#, true),
        FilterCase(#"{"data.nums": {"$gt": 9}}"#, true),
        FilterCase(#"{"data.nums": {"$gt": 10}}"#, false),
        FilterCase(#"{"data.items.sku": "y2"}"#, true),
        FilterCase(#"{"data.items.sku": "z"}"#, false),
        FilterCase(#"{"data.items.qty": {"$gte": 7}}"#, true),
        FilterCase(#"{"data.items.qty": {"$gt": 7}}"#, false),
        FilterCase(#"{"data.items.1.sku": "y2"}"#, true),
        FilterCase(#"{"data.items.0.sku": "y2"}"#, false),
        FilterCase(#"{"data.tags": {"$in": ["z", "c"]}}"#, true),
        FilterCase(#"{"data.tags": {"$in": ["z"]}}"#, false),
        FilterCase(#"{"data.tags": {"$in": [["a", "b", "c"]]}}"#, true),
        FilterCase(#"{"data.tags": {"$nin": ["c"]}}"#, false),
        FilterCase(#"{"data.tags": {"$nin": ["z"]}}"#, true),
        FilterCase(#"{"data.tags": {"$regex": "^c$"}}"#, true),
        FilterCase(#"{"data.job.steps.name": "test"}"#, true),
        FilterCase(#"{"data.job.steps.ok": false}"#, true),
        FilterCase(#"{"data.job.steps.name": "deploy"}"#, false),
        FilterCase(#"{"data.matrix": [1, 2]}"#, true),
        FilterCase(#"{"data.matrix": 1}"#, false),
        FilterCase(#"{"data.matrix.0.1": 2}"#, true),
        FilterCase(#"{"data.matrix.1.1": 2}"#, false),
        FilterCase(#"{"data.obj": {"b": [1, 2], "a": 1.0}}"#, true),
        FilterCase(#"{"data.obj": {"a": 1}}"#, false),
        FilterCase(#"{"data.obj": {"$eq": {"a": 1, "b": [1, 2]}}}"#, true),
        FilterCase(#"{"data.obj.b": 2}"#, true),
    ]

    @Test("arrays: element matching, indexes, $in", arguments: arrayCases)
    func arrays(_ test: FilterCase) throws {
        #expect(try compiled(test.filter).matches(sampleEvent) == test.matches)
    }

    static let logicalCases: [FilterCase] = [
        FilterCase(#"{"$and": [{"type": "job.failed"}, {"data.attempts": 3}]}"#, true),
        FilterCase(#"{"$and": [{"type": "job.failed"}, {"data.attempts": 4}]}"#, false),
        FilterCase(#"{"$or": [{"type": "x"}, {"data.attempts": 3}]}"#, true),
        FilterCase(#"{"$or": [{"type": "x"}, {"data.attempts": 4}]}"#, false),
        FilterCase(#"{"$not": {"type": "x"}}"#, true),
        FilterCase(#"{"$not": {"type": "job.failed"}}"#, false),
        FilterCase(#"{"$not": {}}"#, false),
        FilterCase(#"{"$or": [{"$and": [{"type": "job.failed"}, {"$not": {"data.attempts": {"$lt": 3}}}]}, {"type": "never"}]}"#, true),
        FilterCase(#"{"$or": [{"$and": [{"type": "job.failed"}, {"$not": {"data.attempts": {"$lte": 3}}}]}, {"type": "never"}]}"#, false),
        FilterCase(
            #"{"$and": [{"$or": [{"data.status": "ok"}, {"data.job.status": "failed"}]}, {"$not": {"$or": [{"tenant_id": 1}, {"tenant_id": 2}]}}]}"#,
            true),
        FilterCase(#"{"$and": [{"$or": [{"data.status": "ok"}, {"data.job.status": "ok"}]}, {"type": "job.failed"}]}"#, false),
        FilterCase(#"{"type": "job.failed", "$or": [{"data.flag": false}, {"data.nums": 5}]}"#, true),
    ]

    @Test("$and, $or, $not", arguments: logicalCases)
    func logical(_ test: FilterCase) throws {
        #expect(try compiled(test.filter).matches(sampleEvent) == test.matches)
    }

    static let envelopeCases: [FilterCase] = [
        FilterCase(#"{"id": "evt_1"}"#, true),
        FilterCase(#"{"type": "job.failed"}"#, true),
        FilterCase(#"{"type": "job.done"}"#, false),
        FilterCase(#"{"type": {"$regex": "^job\\."}}"#, true),
        FilterCase(#"{"tenant_id": 42}"#, true),
        FilterCase(#"{"tenant_id": "42"}"#, false),
        FilterCase(#"{"tenant_id": {"$in": [41, 42]}}"#, true),
        FilterCase(#"{"tenant_id": {"$exists": false}}"#, false),
        FilterCase(#"{"association_type": "PROJECT"}"#, true),
        FilterCase(#"{"association_id": "proj-1"}"#, true),
        FilterCase(#"{"resource_key": "/proj/repo/app-1.0.apk"}"#, true),
        FilterCase(#"{"resource_key": "/proj/repo/other.apk"}"#, false),
        FilterCase(#"{"occurred_at": "2026-01-26T10:00:00Z"}"#, true),
        FilterCase(#"{"occurred_at": {"$regex": "^2026-01-"}}"#, true),
        FilterCase(#"{"data": {"$exists": true}}"#, true),
        FilterCase(#"{"type.x": {"$exists": true}}"#, false),
    ]

    @Test("envelope fields", arguments: envelopeCases)
    func envelope(_ test: FilterCase) throws {
        #expect(try compiled(test.filter).matches(sampleEvent) == test.matches)
    }

    static let platformCases: [FilterCase] = [
        FilterCase(#"{"tenant_id": {"$exists": false}}"#, true),
        FilterCase(#"{"tenant_id": {"$exists": true}}"#, false),
        FilterCase(#"{"tenant_id": 42}"#, false),
        FilterCase(#"{"resource_key": {"$neq": "x"}}"#, true),
        FilterCase(#"{"association_type": {"$nin": ["PROJECT"]}}"#, true),
        FilterCase(#"{"association_id": {"$regex": ""}}"#, false),
        FilterCase(#"{"data.window": {"$gte": 30}}"#, true),
    ]

    @Test("fields an event does not have are missing", arguments: platformCases)
    func platformWide(_ test: FilterCase) throws {
        #expect(try compiled(test.filter).matches(platformEvent) == test.matches)
    }

    static let errorCases: [FilterErrorCase] = [
        FilterErrorCase(#"[]"#, "E_FILTER_NOT_OBJECT", "$"),
        FilterErrorCase(#""type""#, "E_FILTER_NOT_OBJECT", "$"),
        FilterErrorCase(#"{"$and": [{"type": "x"}, 1]}"#, "E_FILTER_NOT_OBJECT", "$.$and[1]"),
        FilterErrorCase(#"{"$not": 3}"#, "E_FILTER_NOT_OBJECT", "$.$not"),
        FilterErrorCase(#"{"$foo": 1}"#, "E_FILTER_UNKNOWN_OPERATOR", "$.$foo"),
        FilterErrorCase(#"{"data.n": {"$in": [1, 1e400]}}"#, "E_FILTER_INVALID_OPERAND", #"$["data.n"].$in[1]"#),
        FilterErrorCase(#"{"$gt": 1}"#, "E_FILTER_UNKNOWN_OPERATOR", "$.$gt"),
        FilterErrorCase(#"{"data.x": {"$foo": 1}}"#, "E_FILTER_UNKNOWN_OPERATOR", #"$["data.x"].$foo"#),
        FilterErrorCase(#"{"data.x": {"$and": [{"type": "x"}]}}"#, "E_FILTER_UNKNOWN_OPERATOR", #"$["data.x"].$and"#),
        FilterErrorCase(#"{"data.x": {"$in": 1}}"#, "E_FILTER_INVALID_OPERAND", #"$["data.x"].$in"#),
        FilterErrorCase(#"{"data.x": {"$nin": "a"}}"#, "E_FILTER_INVALID_OPERAND", #"$["data.x"].$nin"#),
        FilterErrorCase(#"{"data.x": {"$exists": 1}}"#, "E_FILTER_INVALID_OPERAND", #"$["data.x"].$exists"#),
        FilterErrorCase(#"{"data.x": {"$regex": 1}}"#, "E_FILTER_INVALID_OPERAND", #"$["data.x"].$regex"#),
        FilterErrorCase(#"{"data.x": {"$gt": true}}"#, "E_FILTER_INVALID_OPERAND", #"$["data.x"].$gt"#),
        FilterErrorCase(#"{"data.x": {"$lte": [1]}}"#, "E_FILTER_INVALID_OPERAND", #"$["data.x"].$lte"#),
        FilterErrorCase(#"{"data.x": {"$gte": null}}"#, "E_FILTER_INVALID_OPERAND", #"$["data.x"].$gte"#),
        FilterErrorCase(#"{"$and": []}"#, "E_FILTER_INVALID_OPERAND", "$.$and"),
        FilterErrorCase(#"{"$or": {"type": "x"}}"#, "E_FILTER_INVALID_OPERAND", "$.$or"),
        FilterErrorCase(#"{"$or": [{"type": "x"}, {"data.n": {"$gt": []}}]}"#, "E_FILTER_INVALID_OPERAND", #"$.$or[1]["data.n"].$gt"#),
        FilterErrorCase(#"{"data.x": {"$not": 5}}"#, "E_FILTER_INVALID_OPERAND", #"$["data.x"].$not"#),
        FilterErrorCase(#"{"data.x": {"$not": {"a": 1}}}"#, "E_FILTER_INVALID_OPERAND", #"$["data.x"].$not"#),
        FilterErrorCase(#"{"data.x": {"$not": {}}}"#, "E_FILTER_INVALID_OPERAND", #"$["data.x"].$not"#),
        FilterErrorCase(#"{"data.x": {"$gt": 1, "y": 2}}"#, "E_FILTER_INVALID_OPERAND", #"$["data.x"].y"#),
        FilterErrorCase(#"{"data..x": 1}"#, "E_FILTER_INVALID_PATH", #"$["data..x"]"#),
        FilterErrorCase(#"{".data": 1}"#, "E_FILTER_INVALID_PATH", #"$[".data"]"#),
        FilterErrorCase(#"{"data.": 1}"#, "E_FILTER_INVALID_PATH", #"$["data."]"#),
        FilterErrorCase(#"{"": 1}"#, "E_FILTER_INVALID_PATH", #"$[""]"#),
        FilterErrorCase(#"{"status": "failed"}"#, "E_FILTER_INVALID_PATH", "$.status"),
        FilterErrorCase(#"{"a\"b": 1}"#, "E_FILTER_INVALID_PATH", #"$["a\"b"]"#),
        FilterErrorCase(#"{"$not": {"$or": [{"data": 1}, {"Data.x": 1}]}}"#, "E_FILTER_INVALID_PATH", #"$.$not.$or[1]["Data.x"]"#),
        FilterErrorCase(#"{"data.x": {"$regex": "(a"}}"#, "E_FILTER_INVALID_REGEX", #"$["data.x"].$regex"#),
        FilterErrorCase(#"{"data.x": {"$regex": "a{2,1}"}}"#, "E_FILTER_INVALID_REGEX", #"$["data.x"].$regex"#),
        FilterErrorCase(#"{"data.x": {"$regex": "(?<=a)b"}}"#, "E_FILTER_INVALID_REGEX", #"$["data.x"].$regex"#),
        FilterErrorCase(#"{"data.x": {"$regex": "a\u0000b"}}"#, "E_FILTER_INVALID_REGEX", #"$["data.x"].$regex"#),
        FilterErrorCase(#"{"data.x": {"$regex": "\\pL{40}"}}"#, "E_FILTER_INVALID_REGEX", #"$["data.x"].$regex"#),
    ]

    @Test("refused filters say what and where", arguments: errorCases)
    func errors(_ test: FilterErrorCase) {
        do {
            _ = try compiled(test.filter)
            Issue.record("accepted \(test.filter)")
        } catch {
            #expect(error.code == test.code, "\(error)")
            #expect(error.path == test.path, "\(error)")
            #expect(!error.message.isEmpty)
            #expect(error.kind.code == error.code)
        }
    }

    @Test func regexErrorsCarryRE2sReason() throws {
        do {
            _ = try compiled(#"{"data.x": {"$regex": "(a"}}"#)
            Issue.record("accepted an invalid regex")
        } catch {
            #expect(error.message.contains("missing )"), "\(error.message)")
        }
    }

    @Test func costlyRegexesAreRefused() throws {
        do {
            _ = try compiled(#"{"data.x": {"$regex": "\\pL{40}"}}"#)
            Issue.record("accepted a regex over the program budget")
        } catch {
            #expect(error.code == "E_FILTER_INVALID_REGEX")
            #expect(error.message.contains("RE2 instructions; at most 20000"), "\(error.message)")
        }
        _ = try compiled(#"{"data.x": {"$regex": "\\pL{10}"}}"#)
    }

    /// `{"$not": {"$not": ... {}}}` with `levels` objects in all.
    private static func nested(_ levels: Int) -> JSONValue {
        var value = JSONValue.object([])
        for _ in 1..<levels { value = .object([("$not", value)]) }
        return value
    }

    @Test func depthIsLimited() throws {
        let deepest = try PayloadFilter.compile(Self.nested(PayloadFilter.maximumDepth))
        #expect(!deepest.matches(sampleEvent), "16 objects: 15 negations of {}, which matches everything")
        do {
            _ = try PayloadFilter.compile(Self.nested(PayloadFilter.maximumDepth + 1))
            Issue.record("accepted a filter nested too deep")
        } catch {
            #expect(error.code == "E_FILTER_TOO_DEEP")
            #expect(error.path == "$" + String(repeating: ".$not", count: PayloadFilter.maximumDepth))
        }
        // Literal values count too.
        var literal = JSONValue.array([])
        for _ in 1..<PayloadFilter.maximumDepth { literal = .array([literal]) }
        #expect(throws: PayloadFilterError.self) { try PayloadFilter.compile(.object([("data.x", literal)])) }
    }

    @Test func conditionsAreLimited() throws {
        func conjunction(_ count: Int) -> JSONValue {
            let members: [JSONValue] = (0..<count).map { JSONValue.object([("data.n", JSONValue.int($0))]) }
            return JSONValue.object([("$and", .array(members))])
        }
        // `$and` itself counts one.
        let largest = try PayloadFilter.compile(conjunction(PayloadFilter.maximumConditions - 1))
        #expect(!largest.matches(sampleEvent))
        do {
            _ = try PayloadFilter.compile(conjunction(PayloadFilter.maximumConditions))
            Issue.record("accepted too many conditions")
        } catch {
            #expect(error.code == "E_FILTER_TOO_MANY_CONDITIONS")
            #expect(error.path == #"$.$and[255]["data.n"]"#)
        }
        let list: [JSONValue] = (0..<300).map { JSONValue.int($0) }
        let longList = JSONValue.object([("data.n", .object([("$in", .array(list))]))])
        do {
            _ = try PayloadFilter.compile(longList)
            Issue.record("accepted an $in list of 300")
        } catch {
            #expect(error.code == "E_FILTER_TOO_MANY_CONDITIONS")
            #expect(error.path == #"$["data.n"].$in"#)
        }
    }

    @Test func sizeIsLimited() throws {
        try PayloadFilter.checkSize(byteCount: PayloadFilter.maximumDocumentBytes)
        #expect(throws: PayloadFilterError(kind: .tooLarge, message: "the filter is 16385 bytes; at most 16384 are allowed", path: "$")) {
            try PayloadFilter.checkSize(byteCount: PayloadFilter.maximumDocumentBytes + 1)
        }
        let large = JSONValue.object([("data.s", .string(String(repeating: "x", count: PayloadFilter.maximumDocumentBytes)))])
        do {
            _ = try PayloadFilter.compile(large)
            Issue.record("accepted a filter over the size limit")
        } catch {
            #expect(error.code == "E_FILTER_TOO_LARGE")
            #expect(error.path == "$")
        }
    }

    @Test func occurredAtIsTheMessageBodysText() throws {
        let withMillis = Event(id: "evt_3", type: "t", occurredAt: sampleTime.addingTimeInterval(0.25))
        #expect(try compiled(#"{"occurred_at": "2026-01-26T10:00:00.250Z"}"#).matches(withMillis))
        #expect(try !compiled(#"{"occurred_at": "2026-01-26T10:00:00Z"}"#).matches(withMillis))
        #expect(try compiled(#"{"occurred_at": {"$regex": "^2026-01-26T10:"}}"#).matches(withMillis))
    }

    @Test func oneFilterMatchesFromManyTasksAtOnce() async throws {
        let filter = try compiled(#"{"resource_key": {"$regex": "\\.apk$"}, "data.items.qty": {"$gt": 5}}"#)
        let other = Event(id: "evt_4", type: "job.failed", occurredAt: sampleTime, resourceKey: "/x/y.apk", data: parse(#"{"items": [{"qty": 1}]}"#))
        let counts = await withTaskGroup(of: (Int, Int).self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var (hits, misses) = (0, 0)
                    for _ in 0..<2_000 {
                        if filter.matches(sampleEvent) { hits += 1 }
                        if !filter.matches(other) { misses += 1 }
                    }
                    return (hits, misses)
                }
            }
            return await group.reduce(into: (0, 0)) {
                $0.0 += $1.0
                $0.1 += $1.1
            }
        }
        #expect(counts.0 == 16_000)
        #expect(counts.1 == 16_000)
    }

    @Test func keepsItsDocumentAndComparesByIt() throws {
        let text = #"{"type": "job.failed", "data.attempts": {"$gte": 3}}"#
        let filter = try compiled(text)
        #expect(filter.document == parse(text))
        #expect(filter == (try compiled(#"{"data.attempts": {"$gte": 3}, "type": "job.failed"}"#)))
        #expect(filter != (try compiled(#"{"type": "job.failed"}"#)))
    }

    @Test func errorDescriptionNamesCodeAndPath() {
        let error = PayloadFilterError(kind: .invalidPath, message: "bad", path: #"$["a.b"]"#)
        #expect(error.description == #"E_FILTER_INVALID_PATH at $["a.b"]: bad"#)
        #expect(Set(PayloadFilterError.Kind.allCases.map(\.code)).count == PayloadFilterError.Kind.allCases.count)
    }
}
