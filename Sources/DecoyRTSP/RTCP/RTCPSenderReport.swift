import NIOCore

/// The RTCP a sender sends every few seconds (RFC 3550 section 6.4.1): a sender report (SR)
/// relating an RTP timestamp to the wall clock, with the packet and octet counts, followed by
/// an SDES with the source's CNAME, as one compound packet (section 6.1 requires both).
///
/// Clients use it to map RTP time to real time (lip sync, gst's and ffmpeg's wall-clock
/// timestamps) and some treat a stream without it as broken.
public struct RTCPSenderReport: Hashable, Sendable {
    public let ssrc: UInt32
    public let ntp: NTPTimestamp
    /// The RTP timestamp of the same instant as `ntp` (`RTPClock.timestamp(atMilliseconds:)`).
    public let rtpTimestamp: UInt32
    public let packetCount: UInt32
    public let octetCount: UInt32
    /// The canonical name of the source, at most 255 UTF-8 bytes (longer is cut).
    public let cname: String

    public init(
        ssrc: UInt32, ntp: NTPTimestamp, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32,
        cname: String
    ) {
        self.ssrc = ssrc
        self.ntp = ntp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.cname = cname
    }

    /// A report of `stream` at `milliseconds` on the one clock.
    public init(stream: RTPStream, clock: RTPClock, atMilliseconds milliseconds: Int64, cname: String) {
        self.init(
            ssrc: stream.ssrc, ntp: NTPTimestamp(unixMilliseconds: milliseconds),
            rtpTimestamp: clock.timestamp(atMilliseconds: milliseconds), packetCount: stream.packetCount,
            octetCount: stream.octetCount, cname: cname)
    }

    static let senderReportType: UInt8 = 200
    static let sourceDescriptionType: UInt8 = 202
    static let cnameItem: UInt8 = 1

    public func write(to buffer: inout ByteBuffer) {
        // SR: V=2, no padding, no report blocks (this server receives nothing to report on).
        buffer.writeInteger(UInt8(0x80))
        buffer.writeInteger(Self.senderReportType)
        buffer.writeInteger(UInt16(6))  // length in 32-bit words minus one
        buffer.writeInteger(ssrc)
        buffer.writeInteger(ntp.seconds)
        buffer.writeInteger(ntp.fraction)
        buffer.writeInteger(rtpTimestamp)
        buffer.writeInteger(packetCount)
        buffer.writeInteger(octetCount)
        // SDES: one chunk (this SSRC, CNAME, the end item), padded with zeros to a 32-bit boundary.
        let name = Array(cname.utf8.prefix(255))
        let chunkBytes = 4 + 2 + name.count + 1
        let paddedChunk = (chunkBytes + 3) / 4 * 4
        buffer.writeInteger(UInt8(0x81))
        buffer.writeInteger(Self.sourceDescriptionType)
        buffer.writeInteger(UInt16(paddedChunk / 4))
        buffer.writeInteger(ssrc)
        buffer.writeInteger(Self.cnameItem)
        buffer.writeInteger(UInt8(name.count))
        buffer.writeBytes(name)
        buffer.writeRepeatingByte(0, count: paddedChunk - chunkBytes + 1)
    }

    public func encoded(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 28 + 12 + cname.utf8.count)
        write(to: &buffer)
        return buffer
    }
}
