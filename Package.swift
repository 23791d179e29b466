// swift-tools-version:6.1
import PackageDescription

/// Settings shared by every target: strict Swift 6 and explicit imports.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "LeadSync",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "leadsync", targets: ["leadsync"]),
        .library(name: "LeadSyncPhone", targets: ["LeadSyncPhone"]),
        .library(name: "LeadSyncCore", targets: ["LeadSyncCore"]),
        .library(name: "LeadSyncStore", targets: ["LeadSyncStore"]),
        .library(name: "LeadSyncProtocol", targets: ["LeadSyncProtocol"]),
        .library(name: "LeadSyncHub", targets: ["LeadSyncHub"]),
        .library(name: "LeadSyncNetwork", targets: ["LeadSyncNetwork"]),
        .library(name: "LeadSyncTLS", targets: ["LeadSyncTLS"]),
        .library(name: "LeadSyncImport", targets: ["LeadSyncImport"]),
        .library(name: "LeadSyncInsights", targets: ["LeadSyncInsights"]),
        .library(name: "LeadSyncAdmin", targets: ["LeadSyncAdmin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // Phone numbers parsed and validated with libphonenumber's metadata (generated table).
        .target(name: "LeadSyncPhone", swiftSettings: swiftSettings),
        .target(name: "LeadSyncCore", dependencies: ["LeadSyncPhone"], swiftSettings: swiftSettings),
        .target(
            name: "LeadSyncStore",
            dependencies: ["LeadSyncCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        // The wire protocol: messages, line codec and session state machines. Pure, no I/O.
        .target(name: "LeadSyncProtocol", dependencies: ["LeadSyncCore"], swiftSettings: swiftSettings),
        // The hub's data: its op store and node registry behind the `HubStore` seam.
        .target(
            name: "LeadSyncHub",
            dependencies: [
                "LeadSyncCore", "LeadSyncStore", "LeadSyncProtocol",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // TLS for the sync port: the hub's certificate, fingerprints and pins, NIOSSL contexts.
        .target(
            name: "LeadSyncTLS",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The hub server and the sync client over TCP.
        .target(
            name: "LeadSyncNetwork",
            dependencies: [
                "LeadSyncCore", "LeadSyncStore", "LeadSyncProtocol", "LeadSyncHub", "LeadSyncTLS",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
            ],
            swiftSettings: swiftSettings
        ),
        // The admin HTTP server: status page, JSON API and Prometheus metrics. Reads only through `HubStore`.
        .target(
            name: "LeadSyncAdmin",
            dependencies: [
                "LeadSyncCore", "LeadSyncHub", "LeadSyncProtocol", "LeadSyncStore", "LeadSyncTLS",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "leadsync",
            dependencies: [
                "LeadSyncCore", "LeadSyncStore", "LeadSyncProtocol", "LeadSyncHub", "LeadSyncNetwork", "LeadSyncAdmin",
                "LeadSyncTLS", "LeadSyncExchange", "LeadSyncImport",
                "LeadSyncRules", "LeadSyncInsights",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "LeadSyncExchange", dependencies: ["LeadSyncCore"], swiftSettings: swiftSettings),
        .target(name: "LeadSyncRules", dependencies: ["LeadSyncCore"], swiftSettings: swiftSettings),
        // Store + rules glue: the active (replicated) rules, scores, routing on capture, funnel data.
        .target(
            name: "LeadSyncInsights", dependencies: ["LeadSyncCore", "LeadSyncStore", "LeadSyncRules"],
            swiftSettings: swiftSettings),
        .target(
            name: "LeadSyncTestSupport",
            dependencies: [
                "LeadSyncCore", "LeadSyncStore", "LeadSyncProtocol", "LeadSyncHub", "LeadSyncNetwork", "LeadSyncTLS",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LeadSyncImport", dependencies: ["LeadSyncCore", "LeadSyncStore", "LeadSyncExchange"],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "bench-local",
            dependencies: ["LeadSyncCore", "LeadSyncStore", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Sources/Benchmarks/bench-local",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "bench-sync",
            dependencies: [
                "LeadSyncCore", "LeadSyncStore", "LeadSyncHub", "LeadSyncNetwork", "LeadSyncProtocol", "LeadSyncTestSupport",
                "LeadSyncTLS", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Sources/Benchmarks/bench-sync",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "LeadSyncExchangeTests", dependencies: ["LeadSyncExchange"], swiftSettings: swiftSettings),
        .testTarget(
            name: "LeadSyncRulesTests", dependencies: ["LeadSyncCore", "LeadSyncRules", "LeadSyncTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "LeadSyncCoreTests", dependencies: ["LeadSyncCore", "LeadSyncTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "LeadSyncPhoneTests", dependencies: ["LeadSyncPhone", "LeadSyncTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "LeadSyncStoreTests",
            dependencies: ["LeadSyncCore", "LeadSyncStore", "LeadSyncTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings),
        // Runs the built `leadsync` binary; depending on it makes `swift test` build it first.
        .testTarget(
            name: "LeadSyncImportTests",
            dependencies: ["LeadSyncCore", "LeadSyncStore", "LeadSyncExchange", "LeadSyncImport", "LeadSyncTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "LeadSyncCLITests", dependencies: ["leadsync", "LeadSyncCore", "LeadSyncStore", "LeadSyncTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "LeadSyncProtocolTests", dependencies: ["LeadSyncCore", "LeadSyncProtocol", "LeadSyncTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "LeadSyncHubTests",
            dependencies: [
                "LeadSyncCore", "LeadSyncStore", "LeadSyncHub", "LeadSyncTestSupport",
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LeadSyncInsightsTests",
            dependencies: [
                "LeadSyncCore", "LeadSyncStore", "LeadSyncRules", "LeadSyncInsights", "LeadSyncHub", "LeadSyncNetwork",
                "LeadSyncProtocol", "LeadSyncTestSupport",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LeadSyncNetworkTests",
            dependencies: [
                "LeadSyncCore", "LeadSyncStore", "LeadSyncProtocol", "LeadSyncHub", "LeadSyncNetwork",
                "LeadSyncTestSupport", "LeadSyncTLS",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LeadSyncAdminTests",
            dependencies: [
                "leadsync", "LeadSyncCore", "LeadSyncStore", "LeadSyncHub", "LeadSyncNetwork", "LeadSyncAdmin",
                "LeadSyncProtocol", "LeadSyncTestSupport", "LeadSyncTLS",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // Runs the built `leadsync` binary; depending on it makes `swift test` build it first.
        .testTarget(
            name: "LeadSyncSyncCLITests",
            dependencies: [
                "leadsync", "LeadSyncCore", "LeadSyncStore", "LeadSyncProtocol", "LeadSyncHub", "LeadSyncNetwork",
                "LeadSyncTestSupport", "LeadSyncTLS",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
