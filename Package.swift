// swift-tools-version: 6.0
import PackageDescription

/// Settings shared by every Swift target. Tools version 6 already puts each target in the
/// Swift 6 language mode with complete concurrency checking.
let swiftSettings: [SwiftSetting] = [
    // Every existential spelled `any P`, so the cost of dynamic dispatch is visible.
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "webhooks",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "registry", targets: ["registry"]),
        .executable(name: "ingest", targets: ["ingest"]),
        .executable(name: "delivery", targets: ["delivery"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/google/swift-benchmark.git", from: "0.1.2"),
    ],
    targets: [
        // MARK: C libraries, each wrapped by exactly one Swift module.
        .systemLibrary(
            name: "CRabbitMQ",
            path: "Shared/CRabbitMQ",
            pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]
        ),

        .systemLibrary(
            name: "CCurl",
            path: "Shared/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),

        .target(
            name: "CRE2",
            path: "Shared/CRE2",
            linkerSettings: [.linkedLibrary("re2"), .linkedLibrary("stdc++")]
        ),

        // MARK: Shared libraries.
        .target(
            name: "WebhookCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto")
            ],
            path: "Shared/WebhookCore",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Messaging",
            dependencies: [
                "CRabbitMQ", "WebhookCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/Messaging",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Outbound",
            dependencies: ["CCurl"],
            path: "Shared/Outbound",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Patterns",
            // WebhookCore for the payload filter's input (JSONValue, Event) and the event-type
            // catalogue's JSON Schema subset (strict ingest links it too).
            dependencies: ["CRE2", "WebhookCore"],
            path: "Shared/Patterns",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Storage",
            dependencies: [
                "WebhookCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/Storage",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ServiceKit",
            dependencies: [
                "WebhookCore", "Outbound",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/ServiceKit",
            swiftSettings: swiftSettings
        ),

        // MARK: Services: a library with the logic, a thin executable over it.
        // The web console's static files (HTML, CSS, JavaScript modules), compiled into the registry.
        .target(
            name: "ConsoleAssets",
            path: "Services/Registry/Console",
            resources: [.embedInCode("Assets")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RegistryApp",
            dependencies: [
                "WebhookCore", "Storage", "ServiceKit", "Patterns", "Messaging", "Outbound", "ConsoleAssets",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Registry/App",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "registry",
            dependencies: ["RegistryApp", "ServiceKit"],
            path: "Services/Registry/Main",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "IngestApp",
            dependencies: [
                "WebhookCore", "Messaging", "ServiceKit", "Storage", "Patterns",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Services/Ingest/App",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ingest",
            dependencies: ["IngestApp", "ServiceKit"],
            path: "Services/Ingest/Main",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DeliveryApp",
            dependencies: [
                "WebhookCore", "Messaging", "Storage", "ServiceKit", "Outbound", "Patterns",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Delivery/App",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "delivery",
            dependencies: ["DeliveryApp", "ServiceKit"],
            path: "Services/Delivery/Main",
            swiftSettings: swiftSettings
        ),

        // MARK: Benchmarks (`make bench`; see README "Performance").
        .executableTarget(
            name: "webhooks-bench",
            dependencies: [
                "DeliveryApp", "WebhookCore", "Patterns", "Outbound", "Messaging", "Storage",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Benchmarks/Driver",
            swiftSettings: swiftSettings
        ),
        // Micro-benchmarks of the hot pure paths with a standard benchmark harness (`make bench-micro`).
        .executableTarget(
            name: "webhooks-micro",
            dependencies: [
                "DeliveryApp", "WebhookCore", "Patterns",
                .product(name: "Benchmark", package: "swift-benchmark"),
            ],
            path: "Benchmarks/Micro",
            swiftSettings: swiftSettings
        ),

        // MARK: Tests.
        .target(
            name: "TestSupport",
            dependencies: [
                "Outbound",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WebhookCoreTests",
            dependencies: ["WebhookCore", "TestSupport"],
            path: "Tests/WebhookCoreTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DeliveryTests",
            dependencies: ["DeliveryApp", "WebhookCore", "Patterns"],
            path: "Tests/DeliveryTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PatternsTests",
            dependencies: ["Patterns", "WebhookCore"],
            path: "Tests/PatternsTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OutboundTests",
            dependencies: ["Outbound", "CCurl"],
            path: "Tests/OutboundTests",
            resources: [.copy("receiver.py")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MessagingTests",
            dependencies: ["Messaging", "TestSupport"],
            path: "Tests/MessagingTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FaultTests",
            dependencies: ["TestSupport"],
            path: "Tests/FaultTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RegistryTests",
            dependencies: [
                "RegistryApp", "ServiceKit", "Storage", "WebhookCore", "Messaging", "TestSupport", "TestDoubles",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/RegistryTests",
            swiftSettings: swiftSettings
        ),
        // In-memory stores and a recording broker publisher, for the handler tests.
        .target(
            name: "TestDoubles",
            dependencies: ["Storage", "Messaging", "WebhookCore"],
            path: "Tests/TestDoubles",
            swiftSettings: swiftSettings
        ),
        // The registry's routes of every dialect over the in-memory stores: no database, no broker.
        .testTarget(
            name: "RegistryHandlerTests",
            dependencies: [
                "RegistryApp", "TestDoubles", "ServiceKit", "Storage", "WebhookCore", "Messaging", "Outbound",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/RegistryHandlerTests",
            swiftSettings: swiftSettings
        ),
        // Ingest's HTTP handler over a recording publisher: no broker.
        .testTarget(
            name: "IngestTests",
            dependencies: [
                "IngestApp", "ServiceKit", "WebhookCore", "Messaging",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/IngestTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["TestSupport", "Messaging", "WebhookCore", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "Tests/EndToEndTests",
            swiftSettings: swiftSettings
        ),
    ],
    cxxLanguageStandard: .cxx17
)
