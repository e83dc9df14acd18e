import DecoyRTSP
import NIOCore

/// Where one track's RTP and RTCP packets go: interleaved on the RTSP connection (`$`, channel,
/// length, packet) or as UDP datagrams from the session's server ports to the client's.
enum RTPOutput {
    case interleaved(connection: any Channel, rtpChannel: UInt8, rtcpChannel: UInt8)
    case udp(UDPPortPair, rtp: SocketAddress, rtcp: SocketAddress)

    /// Whether a frame may go now. A TCP connection that has not taken the last frame makes the
    /// frame wait (the sender drops it); UDP never waits (the network drops instead).
    var isWritable: Bool {
        switch self {
        case .interleaved(let connection, _, _): connection.isWritable
        case .udp: true
        }
    }

    /// Sends a frame's packets (one flush); the bytes handed over, framing included.
    func send(rtp packets: [ByteBuffer]) -> Int {
        switch self {
        case .interleaved(let connection, let channel, _):
            return Self.interleave(packets, channel: channel, on: connection)
        case .udp(let ports, let address, _):
            for packet in packets {
                ports.rtp.write(AddressedEnvelope(remoteAddress: address, data: packet), promise: nil)
            }
            ports.rtp.flush()
            return packets.reduce(0) { $0 + $1.readableBytes }
        }
    }

    /// Sends one RTCP compound packet (a sender report).
    func send(rtcp packet: ByteBuffer) -> Int {
        switch self {
        case .interleaved(let connection, _, let channel):
            return Self.interleave([packet], channel: channel, on: connection)
        case .udp(let ports, _, let address):
            ports.rtcp.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: packet), promise: nil)
            return packet.readableBytes
        }
    }

    /// A frame's packets, each behind its 4-byte header, go as one buffer in one write: a write
    /// through the connection's pipeline costs more than copying a frame's bytes (1 to 20 KB).
    private static func interleave(_ packets: [ByteBuffer], channel: UInt8, on connection: any Channel) -> Int {
        var frame = connection.allocator.buffer(capacity: packets.reduce(0) { $0 + 4 + $1.readableBytes })
        for packet in packets {
            InterleavedFrame(channel: channel, payload: packet).write(to: &frame)
        }
        let total = frame.readableBytes
        connection.writeAndFlush(frame, promise: nil)
        return total
    }
}
