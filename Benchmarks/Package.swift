// swift-tools-version: 6.1
import PackageDescription

/// Decoy's benchmarks, apart from the main package so `swift test` never builds them.
/// Run: `cd Benchmarks && swift package benchmark` (release build; prints numbers, asserts nothing).
let package = Package(
    name: "DecoyBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Decoy", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "DecoyBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DecoyMedia", package: "Decoy"),
                .product(name: "DecoyCore", package: "Decoy"),
                .product(name: "DecoyTinyCam", package: "Decoy"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Benchmarks/DecoyBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ],
    swiftLanguageModes: [.v6]
)
