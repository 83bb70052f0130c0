/// The canonical API's replay and recovery jobs (`/api/v1/jobs`, `CanonicalJobRoutes`).
enum JobPaths {
    typealias Node = Schema.Node
    typealias Ex = OpenAPIExamples

    static let jobID = OpenAPIOperation.pathID("job_id", "job id")
    static let job = Schema.envelope(Schema.ref("Job"))

    static let example: Node = [
        "id": 7, "kind": "replay", "status": "running", "tenant_id": 7, "webhook_id": 42, "event_types": ["job.*"], "since": Ex.time,
        "until": Ex.time, "only_missing": false,
        "progress": ["total": 1200, "scanned": 500, "scheduled": 480, "skipped": 20, "percent": 41.7] as Node,
        "error": Ex.null, "created_by": "admin", "created_at": Ex.time, "started_at": Ex.time, "finished_at": Ex.null, "updated_at": Ex.time,
    ]

    static let schemas: [String: Node] = [
        "Job": Schema.object(
            [
                "id": Schema.integer, "kind": Schema.strings(["replay", "recover"]),
                "status": Schema.strings(["queued", "running", "completed", "cancelled", "failed"]),
                "tenant_id": Schema.nullable("integer"), "webhook_id": Schema.nullable("integer"),
                "event_types": ["type": ["array", "null"], "items": Schema.string] as Node,
                "since": Schema.dateTime, "until": Schema.dateTime, "only_missing": Schema.boolean,
                "progress": Schema.object(
                    [
                        "total": Schema.described(
                            Schema.nullable("integer"), "events (replay) or failed tasks (recover) in the range, counted when the job starts"),
                        "scanned": Schema.integer, "scheduled": Schema.described(Schema.integer, "tasks created or scheduled again"),
                        "skipped": Schema.integer, "percent": Schema.nullable("number"),
                    ], required: ["total", "scanned", "scheduled", "skipped", "percent"]),
                "error": Schema.nullable("string"), "created_by": Schema.string, "created_at": Schema.dateTime,
                "started_at": Schema.nullableDateTime, "finished_at": Schema.nullableDateTime, "updated_at": Schema.dateTime,
            ],
            required: [
                "id", "kind", "status", "tenant_id", "webhook_id", "event_types", "since", "until", "only_missing", "progress", "error",
                "created_by", "created_at", "started_at", "finished_at", "updated_at",
            ])
    ]

    static let paths: [String: Node] = [
        "/api/v1/jobs": [
            "post": CanonicalPaths.op(
                "createJob", "Replay a time range to one webhook, or recover the failed tasks of a time range", tag: "jobs",
                roles: CanonicalPaths.admin,
                params: [
                    OpenAPIOperation.param(
                        "Idempotency-Key", in: "header", ["type": "string", "minLength": 1, "maxLength": 255] as Node,
                        "a repeated request with the same key returns the first job (200)")
                ],
                body: (
                    Schema.object(
                        [
                            "kind": Schema.strings(["replay", "recover"]),
                            "webhook_id": Schema.described(CanonicalPaths.positive, "replay: the endpoint to send to; recover: only its tasks"),
                            "tenant_id": Schema.described(CanonicalPaths.positive, "recover, operators only: only this tenant's tasks"),
                            "event_types": Schema.described(
                                ["type": "array", "items": Schema.string, "minItems": 1, "maxItems": 256] as Node,
                                "replay only: narrows the webhook's own event types (exact, prefix.* or *)"),
                            "since": Schema.described(Schema.dateTime, "start of the range, inclusive: events' arrival (replay), tasks' creation (recover)"),
                            "until": Schema.described(Schema.dateTime, "end of the range, exclusive; defaults to, and is at most, now"),
                            "only_missing": Schema.described(Schema.boolean, "replay only: skip the events the webhook already has a task for"),
                        ], required: ["kind", "since"]),
                    ["kind": "replay", "webhook_id": 42, "since": Ex.time, "event_types": ["job.*"]] as Node
                ),
                ok: .init(202, job, "the job, queued", example: Ex.canonical(example, "replay job 7 queued")),
                errors: [404, 409],
                description:
                    "A replay sends each stored event of the range that the webhook selects (its event types, scope, resource_key_pattern and filter, narrowed by event_types) whether or not the webhook existed then; an event it already had is sent again unless only_missing. A recovery schedules the failed tasks of the range again, each with a fresh set of attempts, without a cap. Both run in the background in batches (REGISTRY_JOB_BATCH, 500), at most REGISTRY_JOB_WINDOW (2,000) of a job's tasks waiting for an attempt at once; attempts they cause are marked replayed with the job's id in the logs. 409: E_WEBHOOK_DISABLED, E_TOO_MANY_JOBS (10 queued or running per tenant), E_IDEMPOTENCY_CONFLICT."
            ),
            "get": CanonicalPaths.op(
                "listJobs", "Replay and recovery jobs, newest first", tag: "jobs", roles: CanonicalPaths.readers,
                params: CanonicalPaths.pageParams + [
                    CanonicalPaths.param("status", Schema.strings(["queued", "running", "completed", "cancelled", "failed"]))
                ],
                ok: .init(200, Schema.envelope(Schema.page(Schema.ref("Job"))), "a page of jobs", example: Ex.canonical(CanonicalPaths.pageOf(example)))),
        ] as Node,
        "/api/v1/jobs/{job_id}": [
            "get": CanonicalPaths.op(
                "getJob", "A job with its progress", tag: "jobs", roles: CanonicalPaths.readers, params: [jobID],
                ok: .init(200, job, "the job", example: Ex.canonical(example)))
        ] as Node,
        "/api/v1/jobs/{job_id}/cancel": [
            "post": CanonicalPaths.op(
                "cancelJob", "Stop a queued or running job", tag: "jobs", roles: CanonicalPaths.admin, params: [jobID],
                ok: .init(200, job, "the job, cancelled", example: Ex.canonical(example, "job 7 cancelled")), errors: [409],
                description: "The tasks it scheduled already still run. 409 E_JOB_FINISHED when it ended before.")
        ] as Node,
    ]
}
