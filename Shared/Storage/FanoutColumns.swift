import Foundation
import PostgresNIO
import WebhookCore

/// A batch of `FanoutRecord`s as the columns `WriteFanoutStatement` binds: one array per column
/// (binary, NULLs included), read back as rows with `unnest`.
struct FanoutColumns {
    // Events.
    var ids: [String?] = [], types: [String?] = [], tenantIDs: [Int64?] = [], associationTypes: [String?] = []
    var associationIDs: [String?] = [], resourceKeys: [String?] = [], occurredAt: [Date?] = [], payloads: [String?] = []
    // Tasks, each with its first attempt's columns (NULL for a handed-off task).
    var scopes: [Int64] = [], eventIDs: [String?] = [], webhookIDs: [Int64] = [], statuses: [String?] = [], attempts: [Int] = []
    var nextTryAt: [Date?] = [], statusCodes: [Int?] = [], errors: [String?] = [], attemptedAt: [Date?] = [], versions: [Int] = []
    var eventTypes: [String?] = [], urls: [String?] = [], requestHeaders: [String?] = [], responseHeaders: [String?] = []
    var responseBodies: [String?] = [], durations: [Int?] = [], successes: [Bool] = []
    /// The attempts' outcomes per endpoint.
    var outcomes = EndpointOutcomes()

    init(_ records: [FanoutRecord]) {
        for record in records {
            let e = record.event
            ids.append(e.id)
            types.append(e.type)
            tenantIDs.append(e.tenantId)
            associationTypes.append(e.associationType?.rawValue)
            associationIDs.append(e.associationId)
            resourceKeys.append(e.resourceKey)
            occurredAt.append(e.occurredAt)
            payloads.append(String(decoding: e.messageBody, as: UTF8.self))
            for task in record.tasks {
                scopes.append(e.key.scope)
                eventIDs.append(e.id)
                webhookIDs.append(task.webhookId)
                guard let r = task.record else {
                    statuses.append(TaskStatus.pending.rawValue)
                    attempts.append(0)
                    versions.append(0)
                    nextTryAt.append(nil)
                    statusCodes.append(nil)
                    errors.append(nil)
                    attemptedAt.append(nil)
                    eventTypes.append(nil)
                    urls.append(nil)
                    requestHeaders.append(nil)
                    responseHeaders.append(nil)
                    responseBodies.append(nil)
                    durations.append(nil)
                    successes.append(false)
                    continue
                }
                let a = r.attempt
                // The task as `RecordAttemptsStatement` would leave it after this attempt.
                statuses.append(r.status.rawValue)
                attempts.append(a.attemptNumber)
                versions.append(r.status == .retry ? 1 : 0)
                nextTryAt.append(r.nextTryAt)
                statusCodes.append(a.responseStatus)
                errors.append(a.error)
                attemptedAt.append(a.createdAt)
                eventTypes.append(a.eventType)
                urls.append(a.requestURL)
                requestHeaders.append(JSONRecordSet.object(a.requestHeaders))
                responseHeaders.append(JSONRecordSet.object(a.responseHeaders))
                responseBodies.append(a.responseBody)
                durations.append(a.durationMs)
                successes.append(a.success)
                outcomes.add(r)
            }
        }
    }

    func bindings() -> PostgresBindings {
        var b = PostgresBindings()
        b.append(ArrayBind(text: ids))
        b.append(ArrayBind(text: types))
        b.append(ArrayBind(tenantIDs))
        b.append(ArrayBind(text: associationTypes))
        b.append(ArrayBind(text: associationIDs))
        b.append(ArrayBind(text: resourceKeys))
        b.append(ArrayBind(occurredAt))
        b.append(ArrayBind(text: payloads))
        b.append(scopes)
        b.append(ArrayBind(text: eventIDs))
        b.append(webhookIDs)
        b.append(ArrayBind(text: statuses))
        b.append(attempts)
        b.append(ArrayBind(nextTryAt))
        b.append(ArrayBind(statusCodes))
        b.append(ArrayBind(text: errors))
        b.append(ArrayBind(attemptedAt))
        b.append(versions)
        b.append(ArrayBind(text: eventTypes))
        b.append(ArrayBind(text: urls))
        b.append(ArrayBind(text: requestHeaders))
        b.append(ArrayBind(text: responseHeaders))
        b.append(ArrayBind(text: responseBodies))
        b.append(ArrayBind(durations))
        b.append(successes)
        outcomes.bind(into: &b)
        return b
    }
}
