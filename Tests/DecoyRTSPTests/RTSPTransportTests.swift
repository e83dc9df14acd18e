import Testing

@testable import DecoyRTSP

/// Reading a SETUP's `Transport` alternatives and answering the chosen one.
@Suite struct RTSPTransportTests {
    @Test func tcpInterleaved() throws {
        let spec = try #require(RTSPTransportSpec("RTP/AVP/TCP;unicast;interleaved=0-1"))
        #expect(spec.profile == "RTP/AVP" && spec.lowerTransport == .tcp && !spec.multicast)
        #expect(spec.interleaved == 0...1 && spec.clientPorts == nil && spec.play)
    }

    @Test func udpWithAndWithoutTheLowerTransport() throws {
        let plain = try #require(RTSPTransportSpec("RTP/AVP;unicast;client_port=5000-5001"))
        #expect(plain.lowerTransport == .udp && plain.clientPorts == 5000...5001)
        let explicit = try #require(RTSPTransportSpec("rtp/avp/udp;client_port=6000;mode=play"))
        #expect(explicit.lowerTransport == .udp && explicit.clientPorts == 6000...6001 && !explicit.multicast)
    }

    @Test func modesAndMulticast() throws {
        #expect(try #require(RTSPTransportSpec("RTP/AVP;multicast")).multicast)
        #expect(try #require(RTSPTransportSpec("RTP/AVP;mode=\"RECORD\"")).play == false)
        #expect(try #require(RTSPTransportSpec("RTP/AVP;mode=\"PLAY,RECORD\"")).play)
        #expect(try #require(RTSPTransportSpec("RTP/AVP;mode=\"PLAY\";ssrc=1234;x-unknown=3")).play)
    }

    @Test(arguments: [
        "", "RTP", "RTP/AVP/SCTP", "RTP/AVP/TCP;multicast", "RTP/AVP/TCP;interleaved=256-257",
        "RTP/AVP/TCP;interleaved=a-b", "RTP/AVP;client_port=70000", "RTP/AVP;client_port=5001-5000",
        "RTP/AVP;client_port=65535", "RTP/AVP;client_port=0-1", "RTP/AVP;client_port=-1",
    ])
    func unusableAlternatives(text: String) {
        #expect(RTSPTransportSpec(text) == nil)
    }

    @Test func theFirstServableAlternativeWins() {
        let header =
            "RTP/AVP/UDP;multicast,RTP/SAVP;unicast;client_port=1-2,RTP/AVP;unicast;client_port=5000-5001,RTP/AVP/TCP"
        #expect(
            RTSPTransportChoice.negotiate(header)
                == .success(RTSPTransportChoice(delivery: .udp(rtpPort: 5000, rtcpPort: 5001))))
    }

    @Test func aDeniedLowerTransportFallsThroughToTheNext() {
        let header = "RTP/AVP;unicast;client_port=5000-5001,RTP/AVP/TCP;unicast;interleaved=0-1"
        #expect(
            RTSPTransportChoice.negotiate(header, allowed: [.tcp])
                == .success(RTSPTransportChoice(delivery: .tcp(rtpChannel: 0, rtcpChannel: 1))))
        #expect(
            RTSPTransportChoice.negotiate("RTP/AVP;unicast;client_port=5000-5001", allowed: [.tcp])
                == .failure(.unsupportedTransport))
    }

    @Test func nothingServableIs461() {
        #expect(RTSPTransportChoice.negotiate(nil) == .failure(.unsupportedTransport))
        #expect(RTSPTransportChoice.negotiate("RTP/AVP;multicast;port=3456-3457") == .failure(.unsupportedTransport))
        #expect(RTSPTransportChoice.negotiate("RTP/AVP;unicast") == .failure(.unsupportedTransport), "UDP needs ports")
        #expect(RTSPTransportChoice.negotiate("RTP/AVP/TCP;mode=record") == .failure(.unsupportedTransport))
        #expect(RTSPTransportChoice.negotiate("garbage,,;") == .failure(.unsupportedTransport))
    }

    @Test func tcpChannelsAreTheClientsWhenFreeElseTheLowestFreePair() {
        #expect(
            RTSPTransportChoice.negotiate("RTP/AVP/TCP;unicast;interleaved=2-3", channelsInUse: [0, 1])
                == .success(RTSPTransportChoice(delivery: .tcp(rtpChannel: 2, rtcpChannel: 3))))
        #expect(
            RTSPTransportChoice.negotiate("RTP/AVP/TCP;unicast;interleaved=0-1", channelsInUse: [0, 1])
                == .success(RTSPTransportChoice(delivery: .tcp(rtpChannel: 2, rtcpChannel: 3))))
        #expect(
            RTSPTransportChoice.negotiate("RTP/AVP/TCP", channelsInUse: [0, 1, 3])
                == .success(RTSPTransportChoice(delivery: .tcp(rtpChannel: 4, rtcpChannel: 5))))
        #expect(
            RTSPTransportChoice.negotiate("RTP/AVP/TCP;interleaved=7")
                == .success(RTSPTransportChoice(delivery: .tcp(rtpChannel: 7, rtcpChannel: 8))))
    }

    @Test func theAnswerIsSpelledLikeGStreamers() {
        let tcp = RTSPTransportChoice(delivery: .tcp(rtpChannel: 0, rtcpChannel: 1))
        #expect(tcp.headerValue(ssrc: 0x1A2B_3C4D) == "RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=1A2B3C4D;mode=\"PLAY\"")
        let udp = RTSPTransportChoice(delivery: .udp(rtpPort: 5000, rtcpPort: 5001))
        #expect(
            udp.headerValue(ssrc: 0xBEEF, serverPorts: (6970, 6971))
                == "RTP/AVP;unicast;client_port=5000-5001;server_port=6970-6971;ssrc=0000BEEF;mode=\"PLAY\"")
        #expect(udp.lowerTransport == .udp && tcp.lowerTransport == .tcp)
    }
}
