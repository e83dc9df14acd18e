import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Socket settings for a connection that has become an endless stream.
enum StreamSocket {
    /// Linux's `TCP_NOTSENT_LOWAT`: the kernel reports the socket writable only while fewer than
    /// this many bytes wait unsent, so a slow viewer's backlog stays ~16 KiB instead of seconds of
    /// video (measured: 15–26 s of lag without it, under 1 s with it).
    static let notSentLowWatermark = 16 * 1024
    static let tcpNotSentLowat: Int32 = 25

    static func configure(_ channel: any Channel) {
        let option = ChannelOptions.Types.SocketOption(
            level: SocketOptionLevel(IPPROTO_TCP), name: SocketOptionName(tcpNotSentLowat))
        // Writable again only when every byte has left Decoy: the viewer then sends the newest frame.
        _ = channel.setOption(ChannelOptions.writeBufferWaterMark, value: .init(low: 1, high: 1))
        _ = channel.setOption(option, value: SocketOptionValue(notSentLowWatermark))
    }
}
