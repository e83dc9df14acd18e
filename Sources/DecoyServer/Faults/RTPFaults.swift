import DecoyCore
import DecoyFaults
import NIOCore

/// The per-packet media faults of one playing RTSP session (`MediaFault.followsWindow`): which
/// frames and packets are dropped, damaged or shifted, frame by frame, following each rule's
/// window on the clock. Only a faulted session has one; the others send the shared packets as
/// they are.
///
/// Byte-exact, so tests can check the damage: `noKeyframes` leaves out whole IDR access units (SPS
/// and PPS included); `packetLoss` drops whole RTP packets (UDP only: over TCP a lost packet would
/// be a broken connection, not a lossy link), drawn from a generator seeded by the run's seed and
/// the connection; `corruptSlice` XORs every 8th byte of each slice NAL unit from byte 8 on with
/// 0x55 (RTP/JPEG: the entropy-coded data, as `corruptEntropy` does); `timestampJump` adds its
/// milliseconds (as 90 kHz ticks) to every timestamp from the first frame it hits.
final class RTPFaults {
    private(set) var windows: [MediaWindow]
    private var generator: SeededGenerator
    private var jumpTicks: UInt32 = 0
    private var jumped = false
    private var keyframesHeld = false
    /// The labels of the windows that hit at least one frame (for the journal).
    private(set) var applied: [String] = []

    init(windows: [MediaWindow], seed: UInt64) {
        self.windows = windows
        self.generator = SeededGenerator(seed: seed)
    }

    /// Replaces the windows (asked again while the session plays, so later steps reach it).
    func update(_ windows: [MediaWindow]) { self.windows = windows }

    private func active(_ name: MediaFault.Name, at milliseconds: Int64) -> MediaWindow? {
        guard let window = windows.first(where: { $0.fault.name == name && $0.contains(milliseconds) }) else {
            return nil
        }
        if !applied.contains(window.label) { applied.append(window.label) }
        return window
    }

    /// What becomes of a frame made at run time `now`.
    enum FrameVerdict: Equatable {
        case send
        /// `noKeyframes`: this IDR is left out.
        case drop
        /// The window of `noKeyframes` ended: ask the encoder for an IDR (the stream has no reference).
        case sendAndAskForKeyframe
    }

    func frame(isKeyframe: Bool, at now: Int64) -> FrameVerdict {
        guard active(.noKeyframes, at: now) != nil else {
            if keyframesHeld {
                keyframesHeld = false
                return .sendAndAskForKeyframe
            }
            return .send
        }
        keyframesHeld = true
        return isKeyframe ? .drop : .send
    }

    /// Whether a `noKeyframes` window is open now (P frames then flow even before a first IDR).
    func withholdsKeyframes(at now: Int64) -> Bool {
        windows.contains { $0.fault == .noKeyframes && $0.contains(now) }
    }

    /// The timestamp shift at `now` (90 kHz ticks), growing once per `timestampJump` window.
    func timestampShift(at now: Int64) -> UInt32 {
        if !jumped, let window = active(.timestampJump, at: now), case .timestampJump(let milliseconds) = window.fault {
            jumped = true
            jumpTicks = UInt32(truncatingIfNeeded: Int64(milliseconds) * 90)
        }
        return jumpTicks
    }

    /// Whether slices are damaged now.
    func corruptsSlices(at now: Int64) -> Bool { active(.corruptSlice, at: now) != nil }

    /// The packets that survive `packetLoss` at `now` (every one when it is not active).
    func surviving(_ packets: [ByteBuffer], at now: Int64) -> [ByteBuffer] {
        guard let window = active(.packetLoss, at: now), case .packetLoss(let percent) = window.fault else {
            return packets
        }
        return packets.filter { _ in generator.unit() * 100 >= Double(percent) }
    }

    /// `corruptSlice` on one H.264 NAL unit: slices (types 1 and 5) get every 8th byte from byte 8
    /// XORed with 0x55; other units are returned as they are.
    static func corruptSlice(_ unit: ByteBuffer) -> ByteBuffer {
        guard let header = unit.getInteger(at: unit.readerIndex, as: UInt8.self), [1, 5].contains(header & 0x1F)
        else { return unit }
        var bytes = Array(unit.readableBytesView)
        for index in stride(from: 8, to: bytes.count, by: 8) { bytes[index] ^= 0x55 }
        return ByteBuffer(bytes: bytes)
    }
}
