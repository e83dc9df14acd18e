import NIOCore
import Testing

@testable import DecoyRTSP

@Suite struct MetadataPacketizerTests {
    /// A document larger than a packet is cut at the payload limit, one timestamp for all, the
    /// marker on the last only, and the pieces put back together are the document.
    @Test func aDocumentIsCutIntoMarkedPackets() throws {
        var packetizer = MetadataPacketizer(ssrc: 7, initialSequence: 65_534, maximumPayload: 100)
        let document = String(repeating: "<tt:Event/>", count: 25)
        let packets = packetizer.packetize(document: document, timestamp: 900)
        #expect(packets.count == 3)
        var joined: [UInt8] = []
        for (index, packet) in packets.enumerated() {
            let (header, payload) = try #require(RTPHeader.parse(packet))
            #expect(header.payloadType == 98)
            #expect(header.timestamp == 900)
            #expect(header.marker == (index == packets.count - 1))
            #expect(header.sequence == UInt16(truncatingIfNeeded: 65_534 + index))
            joined += payload.readableBytesView
        }
        #expect(String(decoding: joined, as: UTF8.self) == document)
        #expect(packetizer.packetize(document: "<x/>", timestamp: 1).count == 1)
    }
}
