import Dispatch
import Foundation
import NIOConcurrencyHelpers
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Turns a camera's JPEG frames into an MP4 clip (H.264, `faststart`) by feeding them to Debian's
/// `ffmpeg` program through a pipe.
///
/// Why a child process and not linked libraries: Debian's libavcodec is built with GPL parts and
/// Decoy is Apache-2.0, so it is run, not linked; `ffmpeg` also brings a proven MP4 muxer with
/// `faststart` (the index before the data, so a browser plays a clip before it has all of it).
/// Frames are written from a serial queue of the clip's own, never from the camera's media loop,
/// and at most `maximumPendingFrames` wait there: a stalled encoder drops frames, it never grows
/// memory or slows live viewers.
final class ClipEncoder: Sendable {
    static let maximumPendingFrames = 64

    let output: String
    private let process: Process
    private let input: Int32
    private let errors: Pipe
    private let queue = DispatchQueue(label: "decoy.clip-encoder")
    private let state = NIOLockedValueBox(State())

    private struct State {
        var pending = 0
        var dropped = 0
        var failed: String?
        var finished = false
    }

    /// The `ffmpeg` found on `PATH` (Tools/setup.sh installs it), or nil.
    static func locate() -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for folder in folders + ["/usr/bin"] {
            let path = "\(folder)/ffmpeg"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Prepares the encoder writing `output` at a constant `framesPerSecond`. The process is
    /// started on the encoder's own queue, so the caller (a camera's media loop) never waits for a
    /// spawn; a failure to start shows in `finish()`.
    init(executable: String, output: String, framesPerSecond: Int) {
        Self.ignoreBrokenPipes
        self.output = output
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "-hide_banner", "-loglevel", "error", "-f", "mjpeg", "-framerate", String(framesPerSecond), "-i", "pipe:0",
            "-an", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-profile:v", "main",
            "-g", String(framesPerSecond * 2), "-threads", "2", "-movflags", "+faststart", "-f", "mp4", "-y", output,
        ]
        let stdin = Pipe()
        let errors = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        self.process = process
        self.errors = errors
        // Our own descriptor, written with write(2): FileHandle.write raises on a broken pipe.
        self.input = dup(stdin.fileHandleForWriting.fileDescriptor)
        let state = self.state
        queue.async {
            do {
                try process.run()
            } catch {
                state.withLockedValue {
                    $0.failed = "cannot start \(executable) to encode recordings: \(error.localizedDescription)"
                }
            }
            try? stdin.fileHandleForWriting.close()
            try? stdin.fileHandleForReading.close()
        }
    }

    /// Queues one JPEG; false when it was dropped because the encoder is behind or has failed.
    @discardableResult
    func append(_ jpeg: ByteBuffer) -> Bool {
        let accepted = state.withLockedValue { state -> Bool in
            guard state.failed == nil, !state.finished, state.pending < Self.maximumPendingFrames else {
                state.dropped += 1
                return false
            }
            state.pending += 1
            return true
        }
        guard accepted else { return false }
        queue.async {
            let error = jpeg.withUnsafeReadableBytes { Self.writeAll($0, to: self.input) }
            self.state.withLockedValue { state in
                state.pending -= 1
                if let error, state.failed == nil { state.failed = error }
            }
        }
        return true
    }

    /// Frames dropped so far.
    var droppedFrames: Int { state.withLockedValue { $0.dropped } }

    /// Closes the input and waits for the encoder to write the whole file.
    func finish() async throws(StorageError) {
        state.withLockedValue { $0.finished = true }
        let failure: String? = await withCheckedContinuation { continuation in
            queue.async {
                close(self.input)
                if let failure = self.state.withLockedValue({ $0.failed }), !self.process.isRunning,
                    self.process.processIdentifier == 0
                {
                    continuation.resume(returning: failure)
                    return
                }
                self.process.waitUntilExit()
                let text = String(decoding: self.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                let status = self.process.terminationStatus
                let writeError = self.state.withLockedValue { $0.failed }
                if status != 0 {
                    continuation.resume(returning: "ffmpeg exited with status \(status): \(text.prefix(500))")
                } else {
                    continuation.resume(returning: writeError)
                }
            }
        }
        if let failure { throw .failed(failure) }
    }

    /// Stops the encoder and removes what it wrote (shutdown in the middle of a clip).
    func cancel() {
        state.withLockedValue { $0.finished = true }
        queue.async {
            close(self.input)
            if self.process.isRunning { self.process.terminate() }
            if self.process.processIdentifier != 0 { self.process.waitUntilExit() }
            unlink(self.output)
        }
    }

    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> String? {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return "cannot feed the encoder: \(String(cString: strerror(errno)))"
            }
            offset += written
        }
        return nil
    }

    /// A dead encoder must give EPIPE, not kill Decoy with SIGPIPE.
    private static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()
}
