import DecoyCore
import DecoyFaults
import DecoyRTSP
import NIOCore

/// Sends one session's video track: access units (H.264, RFC 6184) or JPEGs (RFC 2435) as RTP,
/// with timestamps from the one clock (90 kHz), and RTCP sender reports. Counts what it sent for
/// the journal.
///
/// A frame that finds a TCP connection still busy with the last one is dropped (the newest frame
/// wins, as for MJPEG viewers); for H.264 the stream then waits for the next IDR and asks the
/// encoder for one, since a decoder cannot use pictures that refer to a lost one.
final class RTPVideoSender {
    enum Payload {
        case h264(H264Packetizer)
        case jpeg(JPEGPacketizer)
    }

    /// A sender whose connection took no frame for this long ends its session (a vanished client).
    static let stallLimit = TimeAmount.seconds(30)

    private var payload: Payload
    let output: RTPOutput
    let rtpClock: RTPClock
    /// The stream's rate limit for JPEG (H.264 variants are paced by the encoder); nil: every frame.
    private let framesPerSecond: Int?
    private var nextDueMilliseconds = Int64.min
    private var awaitingKeyframe = true
    private var blockedSince: NIODeadline?
    private(set) var framesSent = 0
    private(set) var bytesSent: Int64 = 0
    private(set) var firstSequence: UInt64?
    private(set) var lastSequence: UInt64?

    init(payload: Payload, output: RTPOutput, rtpClock: RTPClock, framesPerSecond: Int?) {
        self.payload = payload
        self.output = output
        self.rtpClock = rtpClock
        self.framesPerSecond = framesPerSecond
    }

    var ssrc: UInt32 { stream.ssrc }
    /// The sequence number of the next packet (PLAY's `RTP-Info`).
    var nextSequence: UInt16 { stream.nextSequence }

    private var stream: RTPStream {
        switch payload {
        case .h264(let packetizer): packetizer.stream
        case .jpeg(let packetizer): packetizer.stream
        }
    }

    /// What to do with a frame the output could not take.
    enum Verdict {
        case sent, skipped
        /// Dropped while the connection was busy; for H.264 an IDR is needed now.
        case dropped(needsKeyframe: Bool)
        /// The connection took nothing for `stallLimit`: end the session.
        case stalled
    }

    /// The session's per-packet faults; nil: none (the shared packets go as they are).
    var faults: RTPFaults?

    /// Sends an access unit; `runTime` (milliseconds since the run's t = 0) places it in the
    /// faults' windows.
    func send(_ frame: H264Frame, runTime: Int64) -> Verdict {
        guard case .h264(var packetizer) = payload else { return .skipped }
        var askForKeyframe = false
        if let faults {
            switch faults.frame(isKeyframe: frame.isKeyframe, at: runTime) {
            case .drop: return .skipped
            case .sendAndAskForKeyframe: askForKeyframe = true
            case .send: break
            }
        }
        if awaitingKeyframe, !frame.isKeyframe, faults?.withholdsKeyframes(at: runTime) != true {
            return askForKeyframe ? .dropped(needsKeyframe: true) : .skipped
        }
        if let blocked = busy() { return blocked }
        awaitingKeyframe = false
        var units = frame.nalUnits
        if let faults, faults.corruptsSlices(at: runTime) { units = units.map(RTPFaults.corruptSlice) }
        let packets = packetizer.packetize(
            nalUnits: units, timestamp: timestamp(frame.timeMilliseconds, runTime: runTime))
        payload = .h264(packetizer)
        sent(packets, sequence: frame.sequence, runTime: runTime)
        return askForKeyframe ? .dropped(needsKeyframe: true) : .sent
    }

    func send(_ frame: EncodedFrame, runTime: Int64) -> Verdict {
        guard case .jpeg(var packetizer) = payload else { return .skipped }
        if let framesPerSecond {
            guard frame.timeMilliseconds >= nextDueMilliseconds else { return .skipped }
            let interval = Int64(1000 / max(1, framesPerSecond))
            nextDueMilliseconds = max(nextDueMilliseconds + interval, frame.timeMilliseconds + interval / 2)
        }
        if let blocked = busy() { return blocked }
        var jpeg = frame.jpeg
        if let faults, faults.corruptsSlices(at: runTime) {
            jpeg = ByteBuffer(bytes: JPEGDamage.corruptEntropy(Array(jpeg.readableBytesView)))
        }
        do {
            let packets = try packetizer.packetize(
                jpeg: jpeg, timestamp: timestamp(frame.timeMilliseconds, runTime: runTime))
            payload = .jpeg(packetizer)
            sent(packets, sequence: frame.sequence, runTime: runTime)
            return .sent
        } catch {
            return .skipped
        }
    }

    private func timestamp(_ milliseconds: Int64, runTime: Int64) -> UInt32 {
        rtpClock.timestamp(atMilliseconds: milliseconds) &+ (faults?.timestampShift(at: runTime) ?? 0)
    }

    /// An RTCP sender report for the stream so far, at clock time `milliseconds`.
    func sendReport(atMilliseconds milliseconds: Int64, cname: String) {
        let report = RTCPSenderReport(stream: stream, clock: rtpClock, atMilliseconds: milliseconds, cname: cname)
        _ = output.send(rtcp: report.encoded())
    }

    /// Whether a byte fault holds this connection's bytes (a bandwidth cap, a stall): frames then
    /// wait as they do for a busy socket.
    var isHeldByFaults: () -> Bool = { false }

    /// Nil when the output can take a frame; else what became of it.
    private func busy() -> Verdict? {
        if output.isWritable && !isHeldByFaults() {
            blockedSince = nil
            return nil
        }
        let now = NIODeadline.now()
        if let since = blockedSince, now - since > Self.stallLimit { return .stalled }
        if blockedSince == nil { blockedSince = now }
        if case .h264 = payload {
            awaitingKeyframe = true
            return .dropped(needsKeyframe: true)
        }
        return .dropped(needsKeyframe: false)
    }

    private func sent(_ packets: [ByteBuffer], sequence: UInt64, runTime: Int64) {
        var packets = packets
        if let faults, case .udp = output { packets = faults.surviving(packets, at: runTime) }
        bytesSent += Int64(output.send(rtp: packets))
        framesSent += 1
        if firstSequence == nil { firstSequence = sequence }
        lastSequence = sequence
    }
}
