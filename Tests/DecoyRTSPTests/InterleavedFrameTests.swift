import NIOCore
import Testing

@testable import DecoyRTSP

@Suite struct InterleavedFrameTests {
    @Test func aFrameIsDollarChannelLengthPayload() {
        var buffer = ByteBuffer()
        InterleavedFrame(channel: 1, payload: ByteBuffer(bytes: [0xAA, 0xBB, 0xCC])).write(to: &buffer)
        #expect(Array(buffer.readableBytesView) == [0x24, 0x01, 0x00, 0x03, 0xAA, 0xBB, 0xCC])
    }

    @Test func theHeaderAloneGoesInFrontOfASharedPacket() {
        var buffer = ByteBuffer()
        InterleavedFrame.writeHeader(channel: 2, length: 1400, to: &buffer)
        #expect(Array(buffer.readableBytesView) == [0x24, 0x02, 0x05, 0x78])
    }

    @Test func readingTakesOneWholeFrameAndLeavesTheRest() {
        var buffer = ByteBuffer(bytes: [0x24, 0x00, 0x00, 0x02, 0x01, 0x02, 0x24, 0x01])
        #expect(
            InterleavedFrame.read(from: &buffer) == InterleavedFrame(channel: 0, payload: ByteBuffer(bytes: [1, 2])))
        #expect(buffer.readableBytes == 2)
        #expect(InterleavedFrame.read(from: &buffer) == nil)
        #expect(buffer.readableBytes == 2, "an incomplete frame is not consumed")
    }

    @Test func theLargestFrameRoundTrips() {
        let payload = ByteBuffer(repeating: 7, count: InterleavedFrame.maximumPayload)
        var buffer = ByteBuffer()
        InterleavedFrame(channel: 255, payload: payload).write(to: &buffer)
        #expect(buffer.readableBytes == 4 + 65535)
        #expect(InterleavedFrame.read(from: &buffer)?.payload == payload)
    }
}
