/// A message on `webhooks.tasks` / `webhooks.deliver`: "attempt this task now".
///
/// `version` is the task's schedule version when the message was made; a message whose version no
/// longer matches (the task was rescheduled or retried by hand since) is stale and dropped, so a
/// task is never attempted twice for one schedule. Messages without a version (manual retries) are
/// accepted while the task waits for a retry.
///
/// `webhook_id`, when present, lets delivery see that the endpoint is at its limit before reading
/// anything from the database; `deferrals` counts how often the task was put back for that reason,
/// and each time it waits twice as long (up to a minute).
public struct TaskMessage: Sendable, Equatable {
    public var taskID: Int64
    public var version: Int?
    public var webhookID: Int64?
    public var deferrals: Int

    public init(taskID: Int64, version: Int?, webhookID: Int64? = nil, deferrals: Int = 0) {
        self.taskID = taskID
        self.version = version
        self.webhookID = webhookID
        self.deferrals = deferrals
    }

    /// Canonical JSON body.
    public var body: [UInt8] {
        var members: [(key: String, value: JSONValue)] = [("task_id", .int(taskID))]
        if let version { members.append(("version", .int(version))) }
        if let webhookID { members.append(("webhook_id", .int(webhookID))) }
        if deferrals > 0 { members.append(("deferrals", .int(Int64(deferrals)))) }
        return CanonicalJSON.encode(.object(members))
    }

    /// The same message put back once more because its endpoint was at its limit.
    public func deferred() -> TaskMessage {
        TaskMessage(taskID: taskID, version: version, webhookID: webhookID, deferrals: deferrals + 1)
    }

    /// How long a message deferred `deferrals` times waits: `base` doubled each time, at most `limit`.
    public static func deferralDelay(_ deferrals: Int, base: Duration, limit: Duration) -> Duration {
        min(limit, base * (1 << min(max(deferrals, 0), 16)))
    }

    /// Parses a message body.
    public static func decode(_ body: [UInt8]) throws(EventValidationError) -> TaskMessage {
        let json = try EventMessage.messageJSON(body)
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
        var webhookID: Int64?
        if let w = json["webhook_id"], w != .null {
            guard let n = w.int64Value, n > 0 else {
                throw EventValidationError(code: "E_INVALID_TASK", message: "'webhook_id' must be a positive integer", field: "webhook_id")
            }
            webhookID = n
        }
        var deferrals = 0
        if let d = json["deferrals"], d != .null {
            guard let n = d.int64Value, n >= 0, n < 1_000_000 else {
                throw EventValidationError(code: "E_INVALID_TASK", message: "'deferrals' must be a non-negative integer", field: "deferrals")
            }
            deferrals = Int(n)
        }
        return TaskMessage(taskID: id, version: version, webhookID: webhookID, deferrals: deferrals)
    }
}
