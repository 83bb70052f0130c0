import Foundation
import Logging
import PostgresNIO
import TestSupport
import Testing

@testable import Storage

/// Delivery attempts live in one partition per UTC day (migration 21); retention drops whole days.
@Suite struct AttemptPartitionTests {
    typealias Rows = RetentionTests.Rows

    static let day: TimeInterval = 86_400

    /// The daily partitions, by name.
    static func partitions(_ client: PostgresClient, _ logger: Logger) async throws -> [String] {
        var names: [String] = []
        for try await name in try await client.query(
            """
            SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'delivery_attempts'::regclass ORDER BY 1
            """, logger: logger
        ).decode(String.self) { names.append(name) }
        return names
    }

    static func name(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd"
        return "delivery_attempts_" + formatter.string(from: date)
    }

    @Test func rowsFromBeforeTheMigrationAreKeptAndNewDaysGetPartitions() async throws {
        try await ScratchDatabase.with(migratedUpTo: 20) { database, logger in
            let client = database.client
            let rows = try await Rows.withWebhook(client, logger: logger)
            try await rows.event("evt_before", age: .seconds(3_600))
            let task = try await rows.task(event: "evt_before", status: "success", age: .seconds(3_600))
            try await rows.attempt(task: task, event: "evt_before", age: .seconds(3_600))
            try await rows.attempt(task: task, event: "evt_before", age: .seconds(86_400 * 40))

            try await Migrator.migrate(client, logger: logger)
            let today = AttemptPartitions.day(of: Date())
            let expected = (1...AttemptPartitions.daysAhead).map { Self.name(today.addingTimeInterval(Double($0) * Self.day)) } + ["delivery_attempts_before"]
            #expect(try await Self.partitions(client, logger) == expected, "the old table is the catch-all; a partition per day ahead")
            #expect(try await rows.ids("SELECT event_id FROM delivery_attempts_before") == ["evt_before", "evt_before"])
            // An attempt of tomorrow goes into tomorrow's partition, with the next id of the same sequence.
            try await client.query(
                """
                INSERT INTO delivery_attempts (task_id, webhook_id, event_id, event_type, attempt, request_url, request_headers,
                    response_status, duration_ms, success, created_at)
                VALUES (\(task), \(rows.webhookID), 'evt_before', 'job.failed', 2, 'https://example.com/hook', '{}'::jsonb, 200, 5, true,
                        \(today.addingTimeInterval(Self.day + 60)))
                """, logger: logger)
            #expect(try await rows.ids("SELECT event_id FROM \(Self.name(today.addingTimeInterval(Self.day)))") == ["evt_before"])
            var ids: [Int64] = []
            for try await id in try await client.query("SELECT id FROM delivery_attempts ORDER BY id", logger: logger).decode(Int64.self) {
                ids.append(id)
            }
            #expect(ids == [1, 2, 3])
            // Starting again makes nothing new (today's partitions exist).
            #expect(try await AttemptPartitions.ensure(client, logger: logger) == 0)
        }
    }

    @Test func retentionDropsWholeDaysAndDeletesOldRowsOfTheCatchAll() async throws {
        try await ScratchDatabase.with { database, logger in
            let client = database.client
            let rows = try await Rows.withWebhook(client, logger: logger)
            let today = AttemptPartitions.day(of: Date())
            // The partitions ahead stand in for days past: a cutoff three days ahead is past the
            // first two daily partitions.
            let tomorrow = today.addingTimeInterval(Self.day), dayAfter = today.addingTimeInterval(2 * Self.day)
            let third = today.addingTimeInterval(3 * Self.day)
            try await rows.event("evt", age: .zero)
            let task = try await rows.task(event: "evt", status: "retry", age: .zero)
            for (number, at) in [
                (1, today.addingTimeInterval(-60)), (2, tomorrow.addingTimeInterval(60)), (3, dayAfter.addingTimeInterval(60)),
                (4, dayAfter.addingTimeInterval(60)), (5, third.addingTimeInterval(60)),
            ] {
                try await client.query(
                    """
                    INSERT INTO delivery_attempts (task_id, webhook_id, event_id, event_type, attempt, request_url, request_headers,
                        response_status, duration_ms, success, created_at)
                    VALUES (\(task), \(rows.webhookID), 'evt', 'job.failed', \(number), 'https://example.com/hook', '{}'::jsonb, 500, 5,
                            false, \(at))
                    """, logger: logger)
            }
            try await client.query("ANALYZE delivery_attempts", logger: logger)

            let purged = try await database.retention.purge(before: third.addingTimeInterval(3_600))
            #expect(purged.attemptPartitions == 2)
            #expect(purged.attempts == 1 + 1 + 2, "one row of the catch-all, and the dropped partitions' estimated rows")
            var left: [Int] = []
            for try await n in try await client.query("SELECT attempt FROM delivery_attempts ORDER BY attempt", logger: logger).decode(Int.self) {
                left.append(n)
            }
            #expect(left == [5], "the day the cutoff falls in stays whole")
            let names = try await Self.partitions(client, logger)
            #expect(!names.contains(Self.name(tomorrow)) && !names.contains(Self.name(dayAfter)) && names.contains(Self.name(third)))
            #expect(names.contains("delivery_attempts_before"), "the catch-all is never dropped")
            #expect(try await database.retention.purge(before: third.addingTimeInterval(3_600)) == RetentionStore.Purged())
        }
    }
}
