/// A message on `webhooks.tasks` / `webhooks.deliver`: "attempt this task now".
///
/// `version` is the task's schedule version when the message was made; a message whose version no
/// longer matches (the task was rescheduled or retried by hand since) is stale and dropped, so a
/// task is never attempted twice for one schedule. Messages without a version (manual retries) are
/// accepted while the task waits for a retry.
public struct TaskMessage: Sendable, Equatable {
    public var taskID: Int64
    public var version: Int?

    public init(taskID: Int64, version: Int?) {
        self.taskID = taskID
        self.version = version
    }

    /// Canonical JSON body.
    public var body: [UInt8] {
        var members: [(key: String, value: JSONValue)] = [("task_id", .int(taskID))]
        if let version { members.append(("version", .int(version))) }
        return CanonicalJSON.encode(.object(members))
    }

    /// Parses a message body.
    public static func decode(_ body: [UInt8]) throws(EventValidationError) -> TaskMessage {
        let json: JSONValue
        do throws(JSONParseError) {
            json = try JSONParser.parse(body)
        } catch {
            throw EventValidationError(code: "E_INVALID_JSON", message: error.description)
        }
        guard let id = json["task_id"]?.int64Value, id > 0 else {
            throw EventValidationError(code: "E_INVALID_TASK", message: "a task message needs a positive integer 'task_id'", field: "task_id")
        }
        var version: Int?
        if let v = json["version"], v != .null {
            guard let n = v.int64Value else {
                throw EventValidationError(code: "E_INVALID_TASK", message: "'version' must be an integer", field: "version")
            }
            version = Int(n)
        }
        return TaskMessage(taskID: id, version: version)
    }
}
