// swift-tools-version: 6.0
import PackageDescription

/// Decoy: a tinyCam Monitor PRO web server emulator and camera-client conformance harness.
///
/// For Linux only: webcams through V4L2, microphones through ALSA, and Linux socket options
/// (`TCP_NOTSENT_LOWAT`, `SO_LINGER` resets) are part of what it emulates.
///
/// The dependency set is deliberate and lean (every CI run builds it from a clean clone):
/// SwiftNIO for the transport (we own every byte on the wire), swift-nio-ssl and
/// swift-certificates for HTTPS with a self-signed certificate, swift-argument-parser for the
/// command line, swift-log for logs, Yams for the configuration file, and swift-metrics with
/// swift-prometheus for the control API's `/metrics` (Prometheus text).
let package = Package(
    name: "Decoy",
    products: [
        .executable(name: "decoy", targets: ["decoy"]),
        .library(name: "DecoyMedia", targets: ["DecoyMedia"]),
        .library(name: "DecoyCore", targets: ["DecoyCore"]),
        .library(name: "DecoyTinyCam", targets: ["DecoyTinyCam"]),
        .library(name: "DecoyFaults", targets: ["DecoyFaults"]),
        .library(name: "DecoyServer", targets: ["DecoyServer"]),
        .library(name: "DecoyScenario", targets: ["DecoyScenario"]),
        .library(name: "DecoyControl", targets: ["DecoyControl"]),
        .library(name: "DecoyWeb", targets: ["DecoyWeb"]),
        .library(name: "DecoyRTSP", targets: ["DecoyRTSP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        // H.264 for RTSP: openh264 is BSD-2-Clause; GPL encoders (libx264, libavcodec) stay out of the binary.
        .systemLibrary(name: "COpenH264", pkgConfig: "openh264", providers: [.apt(["libopenh264-dev"])]),
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(name: "CV4L2", pkgConfig: "libv4l2", providers: [.apt(["libv4l-dev"])]),
        .target(name: "DecoyMedia", dependencies: ["CTurboJPEG", "COpenH264"]),
        // The camera page and the harness console: plain HTML, CSS and JavaScript files embedded in
        // the binary as byte arrays (no bundle lookup at run time, no build step).
        .target(name: "DecoyWeb", resources: [.embedInCode("Assets")]),
        .target(
            name: "DecoyCore",
            dependencies: [
                "DecoyMedia",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]),
        .target(
            name: "DecoyTinyCam",
            dependencies: [
                "DecoyMedia",
                "DecoyCore", "DecoyWeb",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // RTSP, SDP, RTP and RTCP as values: every byte on the wire made and read without a socket.
        .target(name: "DecoyRTSP", dependencies: [.product(name: "NIOCore", package: "swift-nio")]),
        .target(
            name: "DecoyFaults",
            dependencies: [
                "DecoyCore", "DecoyTinyCam",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]),
        .target(
            name: "DecoyServer",
            dependencies: [
                "DecoyMedia", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                "DecoyCore", "DecoyTinyCam", "DecoyFaults", "DecoyRTSP",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
            ]),
        .target(
            name: "DecoyScenario",
            dependencies: [
                "DecoyMedia", .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                "DecoyCore", "DecoyTinyCam", "DecoyFaults", "DecoyServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]),
        .target(
            name: "DecoyControl",
            dependencies: [
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                "DecoyScenario", "DecoyServer", "DecoyTinyCam", "DecoyCore", "DecoyFaults", "DecoyWeb",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "DecoyDevices",
            dependencies: [
                "DecoyMedia", "DecoyCore", "CALSA", "CV4L2",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "decoy",
            dependencies: [
                "DecoyCore", "DecoyMedia", .product(name: "Logging", package: "swift-log"),
                "DecoyServer", "DecoyScenario", "DecoyControl", "DecoyDevices",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        // What several test targets share: real servers on ephemeral ports, the connection pipeline on
        // an embedded channel, raw sockets, child processes, the built `decoy`.
        .target(
            name: "DecoyTestSupport",
            dependencies: [
                "DecoyServer", "DecoyTinyCam", "DecoyFaults", "DecoyCore", "DecoyMedia",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/DecoyTestSupport"),
        .testTarget(name: "DecoyMediaTests", dependencies: ["DecoyMedia", "CTurboJPEG"]),
        .testTarget(
            name: "DecoyCoreTests",
            dependencies: [
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"), "DecoyCore", "DecoyMedia",
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .testTarget(
            name: "DecoyTinyCamTests",
            dependencies: [
                "DecoyCore", .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                "DecoyTinyCam", "DecoyMedia", .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .testTarget(
            name: "DecoyRTSPTests",
            dependencies: [
                "DecoyRTSP", "DecoyMedia", "CTurboJPEG", "DecoyTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .testTarget(
            name: "DecoyFaultsTests",
            dependencies: ["DecoyFaults", "DecoyTinyCam", "DecoyCore"]),
        .testTarget(
            name: "DecoyScenarioTests",
            dependencies: [
                "DecoyFaults", "DecoyMedia", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                "DecoyTestSupport",
                "DecoyScenario", "DecoyServer", "DecoyCore", "DecoyTinyCam",
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .testTarget(
            name: "DecoyControlTests",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                "DecoyTestSupport",
                "DecoyControl", "DecoyScenario", "DecoyServer", "DecoyTinyCam", "DecoyCore",
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .testTarget(
            name: "DecoyWebTests",
            dependencies: [
                "DecoyWeb", "DecoyControl", "DecoyScenario", "DecoyServer", "DecoyCore", "DecoyMedia",
                "DecoyTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]),
        .testTarget(
            name: "DecoyServerTests",
            dependencies: [
                "DecoyCore", "DecoyFaults", "DecoyMedia", "DecoyTinyCam",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                "DecoyTestSupport",
                "DecoyServer",
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
