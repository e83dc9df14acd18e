import DecoyFaults
import NIOCore
import NIOEmbedded
import Testing

@testable import DecoyServer

/// The byte shaper on an embedded channel, in virtual time.
@Suite struct ByteShaperFaults {
    static func channel(_ faults: ExchangeFaults) throws -> (EmbeddedChannel, ByteShaper) {
        let shaper = ByteShaper()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(shaper)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        shaper.configure(faults)
        return (channel, shaper)
    }

    static func sent(_ channel: EmbeddedChannel) throws -> [Int] {
        var sizes: [Int] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { sizes.append(buffer.readableBytes) }
        return sizes
    }

    @Test func bandwidthSendsOneSliceEveryTick() throws {
        let (channel, shaper) = try Self.channel(ExchangeFaults(bytesPerSecond: 1000))
        let done = channel.writeAndFlush(ByteBuffer(repeating: 1, count: 120))
        #expect(try Self.sent(channel) == [50], "1000 B/s: 50 bytes per 50 ms tick")
        #expect(shaper.isHolding)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(50))
        #expect(try Self.sent(channel) == [50])
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(50))
        #expect(try Self.sent(channel) == [20])
        #expect(!shaper.isHolding)
        try done.wait()
    }

    @Test func aStallHoldsEveryByteForItsDuration() throws {
        let (channel, shaper) = try Self.channel(ExchangeFaults(stallMilliseconds: 100))
        var drained = false
        shaper.onDrained = { drained = true }
        shaper.stall(milliseconds: 100)
        channel.writeAndFlush(ByteBuffer(repeating: 2, count: 5), promise: nil)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(99))
        #expect(try Self.sent(channel).isEmpty && shaper.isHolding)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(try Self.sent(channel) == [5])
        #expect(drained && !shaper.isHolding)
    }

    @Test func theByteBudgetCutsAndCloses() throws {
        let (channel, shaper) = try Self.channel(ExchangeFaults(closeAfterBytes: 10))
        var closedByBudget = false
        shaper.onBudgetClosed = { closedByBudget = true }
        channel.write(ByteBuffer(repeating: 3, count: 4), promise: nil)
        let cut = channel.writeAndFlush(ByteBuffer(repeating: 3, count: 25))
        #expect(try Self.sent(channel) == [4, 6])
        #expect(throws: (any Error).self) { try cut.wait() }
        channel.embeddedEventLoop.run()
        #expect(closedByBudget && !channel.isActive)
    }

    @Test func aWriterThatIgnoresTheHoldIsClosedPastTheCap() throws {
        let (channel, _) = try Self.channel(ExchangeFaults(bytesPerSecond: 1))
        channel.writeAndFlush(ByteBuffer(repeating: 4, count: ByteShaper.maximumHeldBytes + 1), promise: nil)
        channel.embeddedEventLoop.run()
        #expect(!channel.isActive)
    }
}
