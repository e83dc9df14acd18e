import DecoyMedia
import Foundation
import Testing

/// Synthetic frames and an Annex-B file for the H.264 tests.
enum H264Fixture {
    /// `count` successive synthetic frames of `size` (a moving clock and frame counter), 100 ms apart.
    static func frames(_ count: Int, size: PixelSize = Fixture.qvga) -> [I420Image] {
        let renderer = Fixture.renderer(size)
        return (0..<count).map { index in
            renderer.render(
                SceneState(frameNumber: UInt64(index), timeMilliseconds: 1_700_000_000_000 + Int64(index) * 100))
        }
    }

    /// Encodes `frames` in order, 100 ms apart; `keyframeAt` frames get a `requestKeyframe()` first.
    static func encode(
        _ frames: [I420Image], with encoder: H264Encoder, keyframeAt: Set<Int> = []
    ) throws -> [H264AccessUnit] {
        try frames.enumerated().compactMap { index, frame in
            if keyframeAt.contains(index) { encoder.requestKeyframe() }
            return try encoder.encode(frame, timeMilliseconds: Int64(index) * 100)
        }
    }

    /// The frame indices whose access unit is an IDR.
    static func keyframeIndices(_ units: [H264AccessUnit]) -> [Int] {
        units.indices.filter { units[$0].isKeyframe }
    }
}

/// A finished tool run (ffprobe, ffmpeg): exit status and both outputs.
struct ToolRun {
    let status: Int32
    let stdout: String
    let stderr: String

    /// Runs `tool` (found in /usr/bin or /usr/local/bin) to completion. Its outputs go to files in
    /// `folder` (a pipe left unread could fill up and stall the tool) and are read afterwards.
    static func run(_ tool: String, _ arguments: [String], in folder: URL) throws -> ToolRun {
        let path = try #require(
            ["/usr/bin/\(tool)", "/usr/local/bin/\(tool)"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "\(tool) is not installed (Tools/setup.sh installs ffmpeg)")
        let outputs = (folder.appendingPathComponent("\(tool).out"), folder.appendingPathComponent("\(tool).err"))
        for file in [outputs.0, outputs.1] { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outputs.0)
        process.standardError = try FileHandle(forWritingTo: outputs.1)
        try process.run()
        process.waitUntilExit()
        return ToolRun(
            status: process.terminationStatus, stdout: try String(contentsOf: outputs.0, encoding: .utf8),
            stderr: try String(contentsOf: outputs.1, encoding: .utf8))
    }
}
