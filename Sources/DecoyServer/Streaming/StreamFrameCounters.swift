import NIOConcurrencyHelpers

/// What one camera's MJPEG viewers got, for the control API's `/metrics`: frames written, frames
/// a viewer never got because it was still busy with an earlier one (newest frame wins), and
/// the streams open now.
public struct StreamFrameCounts: Sendable, Equatable {
    /// Parts written to viewers (a duplicated frame counts twice), summed over viewers.
    public var framesSent: UInt64 = 0
    /// Frames a viewer skipped because it had not taken the previous one yet (or a fault held its
    /// bytes) and never sent later, summed over viewers. Frames left out for a viewer's own `fps`
    /// are not drops.
    public var framesDropped: UInt64 = 0
    /// MJPEG streams of the camera open now.
    public var activeStreams: Int = 0

    public init(framesSent: UInt64 = 0, framesDropped: UInt64 = 0, activeStreams: Int = 0) {
        self.framesSent = framesSent
        self.framesDropped = framesDropped
        self.activeStreams = activeStreams
    }
}

/// One camera's `StreamFrameCounts`, shared by its viewer groups on every event loop. A group
/// adds once per frame it fans out (one lock for all its viewers), never per viewer.
final class StreamFrameCounters: Sendable {
    private let box = NIOLockedValueBox(StreamFrameCounts())

    var counts: StreamFrameCounts { box.withLockedValue { $0 } }

    func add(_ tally: FrameTally) {
        guard tally.sent > 0 || tally.dropped > 0 else { return }
        box.withLockedValue {
            $0.framesSent += UInt64(tally.sent)
            $0.framesDropped += UInt64(tally.dropped)
        }
    }

    func streamStarted() { box.withLockedValue { $0.activeStreams += 1 } }
    func streamEnded() { box.withLockedValue { $0.activeStreams -= 1 } }
}

/// Frames sent and dropped by one or more viewers in one go, summed before they are counted.
struct FrameTally: Equatable {
    var sent = 0
    var dropped = 0

    static func += (total: inout FrameTally, more: FrameTally) {
        total.sent += more.sent
        total.dropped += more.dropped
    }
}
