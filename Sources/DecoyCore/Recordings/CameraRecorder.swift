import DecoyMedia
import Logging
import NIOConcurrencyHelpers
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Records a camera's events: keeps a pre-roll of encoded frames, and while the camera's activity
/// says something is happening (plus a post-roll) feeds them to a `ClipEncoder`, then hands the
/// finished clip and its thumbnail to the `EventStore`.
///
/// It subscribes to the camera's hub like a viewer of one variant (native size, the recording
/// quality), so the frames it gets are the shared encode-once buffers (no copy, and no second
/// encode when a viewer watches the same variant) and it never touches the fan-out path: per
/// frame it appends a reference to a ring and queues a write on the encoder's own queue.
/// Pre-roll memory is bounded: about `preRoll × fps` JPEGs of the camera's size.
public final class CameraRecorder: FrameSubscriber {
    public let camera: CameraConfig
    public let variant: FrameVariant
    private let activity: CameraActivity
    private let store: EventStore
    private let encoderPath: String
    private let framesPerSecond: Int
    private let logger: Logger
    private let state = NIOLockedValueBox(State())
    private let pendingCommits = NIOLockedValueBox((next: 0, tasks: [Int: Task<Void, Never>]()))

    private struct Buffered {
        let jpeg: ByteBuffer
        let time: Int64
        let sequence: UInt64
    }

    private struct Clip {
        let encoder: ClipEncoder
        let start: Int64
        let activeSince: Int64
        var lastActive: Int64
        var type: EventType
        var written = 0
        var last: Buffered?
        var thumbnail: Buffered?
        var thumbnailScore = -1.0
    }

    private struct State {
        var ring: [Buffered] = []
        var clip: Clip?
        var stopped = false
        /// When a clip last failed to start: retried after `retryDelay`, not on every frame.
        var failedAt: Int64?
    }

    static let retryDelay: Int64 = 5000

    public init(
        camera: CameraConfig, framesPerSecond: Int, size: PixelSize, activity: CameraActivity, store: EventStore,
        encoderPath: String, logger: Logger = Logger(label: "decoy.recorder")
    ) {
        self.camera = camera
        self.variant = FrameVariant(size: size, quality: camera.recording.quality)
        self.framesPerSecond = max(1, framesPerSecond)
        self.activity = activity
        self.store = store
        self.encoderPath = encoderPath
        self.logger = logger
    }

    private var preRoll: Int64 { Int64(camera.recording.preRollSeconds * 1000) }
    private var postRoll: Int64 { Int64(camera.recording.postRollSeconds * 1000) }
    private var maxDuration: Int64 { Int64(camera.recording.maxDurationSeconds * 1000) }

    /// Whether a clip is being written now.
    public var isRecording: Bool { state.withLockedValue { $0.clip != nil } }

    public func deliver(_ frame: EncodedFrame) {
        let item = Buffered(jpeg: frame.jpeg, time: frame.timeMilliseconds, sequence: frame.sequence)
        let active = activity.active(at: item.time)
        let score = activity.motionScore(sequence: item.sequence)
        let finished: Clip? = state.withLockedValue { state in
            guard !state.stopped else { return nil }
            state.ring.append(item)
            let oldest = item.time - preRoll
            if let drop = state.ring.firstIndex(where: { $0.time >= oldest }), drop > 0 {
                state.ring.removeFirst(drop)
            }
            if state.clip == nil, let first = active.min(by: { $0.startMilliseconds < $1.startMilliseconds }) {
                if let failedAt = state.failedAt, item.time - failedAt < Self.retryDelay { return nil }
                state.clip = startClip(ring: state.ring, activeSince: first.startMilliseconds, type: first.type)
                state.failedAt = state.clip == nil ? item.time : nil
                return nil
            }
            guard var clip = state.clip else { return nil }
            feed(item, into: &clip)
            if let type = active.map(\.type).max(by: { $0.specificity < $1.specificity }) {
                clip.lastActive = item.time
                if type.specificity > clip.type.specificity { clip.type = type }
            }
            considerThumbnail(item, score: score, clip: &clip)
            let quiet = active.isEmpty && item.time - clip.lastActive >= postRoll
            if quiet || item.time - clip.start >= maxDuration {
                state.clip = nil
                state.ring.removeAll()
                return clip
            }
            state.clip = clip
            return nil
        }
        if let finished { complete(finished) }
    }

    /// Finishes the clip in progress (shutdown): what was recorded is kept, never lost.
    public func stop() async {
        let clip = state.withLockedValue { state -> Clip? in
            state.stopped = true
            defer { state.clip = nil }
            return state.clip
        }
        if let clip { complete(clip) }
        for task in pendingCommits.withLockedValue({ Array($0.tasks.values) }) { await task.value }
    }

    private func startClip(ring: [Buffered], activeSince: Int64, type: EventType) -> Clip? {
        guard let first = ring.first else { return nil }
        do {
            let output = try store.root.temporaryFile(camera: camera.name, label: "clip")
            let encoder = ClipEncoder(executable: encoderPath, output: output, framesPerSecond: framesPerSecond)
            var clip = Clip(
                encoder: encoder, start: first.time, activeSince: activeSince, lastActive: activeSince, type: type)
            for item in ring {
                feed(item, into: &clip)
                considerThumbnail(item, score: activity.motionScore(sequence: item.sequence), clip: &clip)
            }
            logger.info("camera '\(camera.name)': \(type.rawValue) event, recording")
            return clip
        } catch {
            logger.error("camera '\(camera.name)': cannot record the \(type.rawValue) event: \(error)")
            return nil
        }
    }

    /// Writes `item` at its place on the clip's constant-rate timeline: early frames are dropped,
    /// gaps (the camera skipped frames) repeat the previous frame, so the clip lasts as long as
    /// the event really did.
    private func feed(_ item: Buffered, into clip: inout Clip) {
        let slot = Int((item.time - clip.start) * Int64(framesPerSecond) / 1000)
        guard slot >= clip.written else { return }
        if let last = clip.last {
            let gap = min(slot - clip.written, framesPerSecond * 2)
            for _ in 0..<gap {
                clip.encoder.append(last.jpeg)
                clip.written += 1
            }
        }
        clip.encoder.append(item.jpeg)
        clip.written += 1
        clip.last = item
    }

    /// The thumbnail is the frame where the detector saw the most change; without a detector, the
    /// frame one second into the activity (an object shown for the event has entered by then).
    private func considerThumbnail(_ item: Buffered, score: Double?, clip: inout Clip) {
        let value = score ?? (item.time >= clip.activeSince + 1000 ? 1 : 0)
        if clip.thumbnail == nil || value > clip.thumbnailScore {
            clip.thumbnail = item
            clip.thumbnailScore = value
        }
    }

    private func complete(_ clip: Clip) {
        let duration = Int64(clip.written) * 1000 / Int64(framesPerSecond)
        let clipCamera = camera
        let store = self.store
        let logger = self.logger
        let thumbnail = clip.thumbnail.map { Array($0.jpeg.readableBytesView) }
        let pending = pendingCommits
        pending.withLockedValue { state in
            state.next += 1
            let key = state.next
            // Created under the lock, so its own removal (which takes the lock) always comes after.
            state.tasks[key] = Task {
                defer { _ = pending.withLockedValue { $0.tasks.removeValue(forKey: key) } }
                do {
                    try await clip.encoder.finish()
                    try store.commit(
                        .init(
                            camera: clipCamera, startMilliseconds: clip.start, durationMilliseconds: duration,
                            type: clip.type, temporaryVideo: clip.encoder.output, thumbnailJPEG: thumbnail),
                        now: clip.lastActive)
                    if clip.encoder.droppedFrames > 0 {
                        logger.warning(
                            "camera '\(clipCamera.name)': the encoder fell behind and dropped \(clip.encoder.droppedFrames) frames"
                        )
                    }
                } catch {
                    logger.error("camera '\(clipCamera.name)': recording failed: \(error)")
                    unlink(clip.encoder.output)
                }
            }
        }
    }
}
