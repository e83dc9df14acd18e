import DecoyCore
import DecoyMedia
import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// MJPEG streams read part by part off a raw socket (`MJPEGReader` checks every part's layout).
    @Suite struct MJPEGStream {
        /// Reads parts until `count` arrived or `seconds` passed; returns the JPEGs.
        static func read(
            port: Int, target: String, count: Int, seconds: Int, receiveBuffer: Int? = nil,
            slow: (chunk: Int, pauseMilliseconds: Int)? = nil
        ) async throws -> [[UInt8]] {
            try await Blocking.run {
                let reader = try MJPEGReader(port: port, target: target, receiveBuffer: receiveBuffer)
                defer { reader.close() }
                if let slow {
                    reader.socket.chunkSize = slow.chunk
                    reader.socket.pauseMilliseconds = slow.pauseMilliseconds
                }
                let deadline = ContinuousClock.now + .seconds(seconds)
                var frames: [[UInt8]] = []
                while frames.count < count && ContinuousClock.now < deadline {
                    frames.append(try reader.nextJPEG())
                }
                return frames
            }
        }

        @Test func partsAreWellFramedAtTheRequestedSizeWithIncreasingIds() async throws {
            try await withServer { server in
                let frames = try await Self.read(
                    port: server.port, target: "/axis-cgi/mjpg/video.cgi?camera=1&resolution=160x120", count: 20,
                    seconds: 20)
                #expect(frames.count == 20)
                for jpeg in frames { #expect(try FrameInspector.size(jpeg) == PixelSize(width: 160, height: 120)) }
                let ids = try frames.map(FrameInspector.number)
                #expect(ids.isStrictlyIncreasing, "\(ids)")
            }
        }

        @Test func twoViewersOfOneVariantSeeTheSameFrames() async throws {
            try await withServer { server in
                let port = server.port
                let target = "/axis-cgi/mjpg/video.cgi?resolution=240x180&compression=20"
                async let first = Self.read(port: port, target: target, count: 20, seconds: 20)
                async let second = Self.read(port: port, target: target, count: 20, seconds: 20)
                let (a, b) = try await (first, second)
                let byIdA = Dictionary(
                    try a.map { (try FrameInspector.number($0), $0) }, uniquingKeysWith: { x, _ in x })
                let byIdB = Dictionary(
                    try b.map { (try FrameInspector.number($0), $0) }, uniquingKeysWith: { x, _ in x })
                let common = Set(byIdA.keys).intersection(byIdB.keys)
                #expect(common.count >= 10, "A \(byIdA.keys.sorted()) B \(byIdB.keys.sorted())")
                // Within the span both watched, both got the same frames, encoded once (identical bytes).
                let span = max(byIdA.keys.min()!, byIdB.keys.min()!)...min(byIdA.keys.max()!, byIdB.keys.max()!)
                #expect(
                    Set(byIdA.keys.filter(span.contains)) == Set(byIdB.keys.filter(span.contains)),
                    "A \(byIdA.keys.sorted()) B \(byIdB.keys.sorted())")
                for id in common { #expect(byIdA[id] == byIdB[id], "frame \(id) differs between the viewers") }
            }
        }

        @Test func fpsParameterSkipsFramesWhileANativeViewerGetsThemAll() async throws {
            try await withServer { server in
                let port = server.port
                // Camera 1 runs at 15 fps; both viewers read for the same 3 seconds.
                async let paced = Self.read(
                    port: port, target: "/axis-cgi/mjpg/video.cgi?fps=2", count: 1000, seconds: 3)
                async let native = Self.read(port: port, target: "/axis-cgi/mjpg/video.cgi", count: 1000, seconds: 3)
                let pacedIds = try await paced.map(FrameInspector.number)
                let nativeIds = try await native.map(FrameInspector.number)
                #expect(pacedIds.isStrictlyIncreasing && nativeIds.isStrictlyIncreasing)
                #expect(pacedIds.count >= 2, "\(pacedIds)")
                #expect(nativeIds.count > 2 * pacedIds.count, "paced \(pacedIds) native \(nativeIds)")
                let pacedGaps = pacedIds.gaps
                #expect(pacedGaps.allSatisfy { $0 >= 2 }, "fps=2 of 15 skips frames: \(pacedIds)")
                let nativeGaps = nativeIds.gaps
                #expect(nativeGaps.filter { $0 == 1 }.count * 10 >= nativeGaps.count * 8, "\(nativeIds)")
            }
        }

        @Test func slowViewerSkipsFramesWhileAFastOneGetsThemAll() async throws {
            // 640x480 at quality 95: parts of tens of KiB, far more than the slow reader can take.
            try await withServer({ config in
                config.cameras = [
                    CameraConfig(name: "Big", id: 7, resolution: PixelSize(width: 640, height: 480), fps: 15)
                ]
            }) { server in
                let port = server.port
                let target = "/axis-cgi/mjpg/video.cgi?compression=5"
                async let slow = Self.read(
                    port: port, target: target, count: 1000, seconds: 4, receiveBuffer: 4096,
                    slow: (chunk: 2048, pauseMilliseconds: 5))
                async let fast = Self.read(port: port, target: target, count: 1000, seconds: 4)
                let slowFrames = try await slow
                let fastFrames = try await fast
                let slowIds = try slowFrames.map(FrameInspector.number)
                let fastIds = try fastFrames.map(FrameInspector.number)
                let meanPart = slowFrames.reduce(0) { $0 + $1.count } / max(1, slowFrames.count)
                #expect(slowIds.count >= 3, "the slow viewer still gets frames: \(slowIds)")
                #expect(slowIds.isStrictlyIncreasing && fastIds.isStrictlyIncreasing)
                #expect(
                    slowIds.gaps.allSatisfy { $0 >= 2 },
                    "a slow viewer skips to the newest frame: \(slowIds) (parts of ~\(meanPart) bytes)")
                let fastGaps = fastIds.gaps
                #expect(fastGaps.filter { $0 == 1 }.count * 10 >= fastGaps.count * 8, "\(fastIds)")
            }
        }

        @Test func liveConnectionsCountsExactlyTheOpenStreams() async throws {
            try await withServer { server in
                let port = server.port
                #expect(try await HTTP.liveConnections(port: port) == 0)
                // Three viewers (one per variant or camera) and one idle keep-alive connection.
                let targets = [
                    "/axis-cgi/mjpg/video.cgi", "/axis-cgi/mjpg/video.cgi?resolution=160x120",
                    "/axis-cgi/mjpg/video.cgi?camera=2",
                ]
                let viewers = try await Blocking.run {
                    try targets.map { target in
                        let reader = try MJPEGReader(port: port, target: target)
                        _ = try reader.nextJPEG()
                        return reader
                    }
                }
                let idle = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    try socket.send(Request.get("/api/v1/get_cam_list"))
                    _ = try socket.readResponse()
                    return socket
                }
                defer {
                    idle.close()
                    viewers.forEach { $0.close() }
                }
                #expect(try await poll { try await HTTP.liveConnections(port: port) == 3 })
                #expect(try await HTTP.liveConnections(port: port) == 3)

                // One vanishes in the middle of a frame (reset), one closes normally in the middle of a frame.
                try await Blocking.run {
                    _ = try viewers[0].socket.read(through: .headEnd, limit: 1024)
                    _ = try viewers[0].socket.read(exactly: 100)
                    viewers[0].socket.abort()
                }
                #expect(
                    try await poll { try await HTTP.liveConnections(port: port) == 2 }, "reset viewer counted out")
                try await Blocking.run {
                    _ = try viewers[1].socket.read(through: .headEnd, limit: 1024)
                    _ = try viewers[1].socket.read(exactly: 100)
                    viewers[1].close()
                }
                #expect(
                    try await poll { try await HTTP.liveConnections(port: port) == 1 }, "closed viewer counted out")
                viewers[2].close()
                #expect(try await poll { try await HTTP.liveConnections(port: port) == 0 })
                #expect(server.runtime.services.counters.openStreams == 0)
            }
        }

        @Test func singleViewerVanishingMidFrameIsCountedOut() async throws {
            try await withServer { server in
                let port = server.port
                let viewer = try await Blocking.run {
                    let reader = try MJPEGReader(port: port, target: "/axis-cgi/mjpg/video.cgi")
                    _ = try reader.socket.read(through: .headEnd, limit: 1024)
                    _ = try reader.socket.read(exactly: 10)
                    return reader
                }
                #expect(try await poll { try await HTTP.liveConnections(port: port) == 1 })
                viewer.close()
                #expect(try await poll { try await HTTP.liveConnections(port: port) == 0 })
            }
        }
    }
}
