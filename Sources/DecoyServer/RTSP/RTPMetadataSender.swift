import DecoyCore
import DecoyRTSP
import DecoyTinyCam
import NIOCore

/// Sends one session's metadata track (`event=on`, axis profile): the camera's events as ONVIF
/// `tt:MetadataStream` documents, one per notification, from an `AxisEventFeed` (Initialized for
/// every watched property at PLAY, then the changes), stamped on the one clock at 90 kHz. The feed
/// is the one the event WebSocket uses, so both transports tell the same story.
final class RTPMetadataSender {
    private var packetizer: MetadataPacketizer
    let output: RTPOutput
    let rtpClock: RTPClock
    private(set) var documentsSent = 0
    private(set) var bytesSent: Int64 = 0

    init(ssrc: UInt32, initialSequence: UInt16, output: RTPOutput, rtpClock: RTPClock) {
        self.packetizer = MetadataPacketizer(ssrc: ssrc, initialSequence: initialSequence)
        self.output = output
        self.rtpClock = rtpClock
    }

    var nextSequence: UInt16 { packetizer.stream.nextSequence }

    /// Whether documents may go now (a busy TCP connection makes the feed coalesce changes).
    var isWritable: Bool { output.isWritable }

    /// Sends `document` (an XML metadata document), stamped with clock time `milliseconds`.
    func send(_ document: String, atMilliseconds milliseconds: Int64) {
        let packets = packetizer.packetize(
            document: document, timestamp: rtpClock.timestamp(atMilliseconds: milliseconds))
        bytesSent += Int64(output.send(rtp: packets))
        documentsSent += 1
    }

    func sendReport(atMilliseconds milliseconds: Int64, cname: String) {
        let report = RTCPSenderReport(
            stream: packetizer.stream, clock: rtpClock, atMilliseconds: milliseconds, cname: cname)
        _ = output.send(rtcp: report.encoded())
    }
}
