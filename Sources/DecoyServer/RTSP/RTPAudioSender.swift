import DecoyCore
import DecoyRTSP
import NIOCore

/// Sends one session's sound track: the camera's audio hub blocks as G.711 µ-law (PCMU/8000, RFC
/// 3551), resampled to 8 kHz when the hub runs faster, stamped from each block's sample position
/// on the one clock (so sound and picture share a time base), with RTCP sender reports.
///
/// Sound queues (every sample in order, bounded by the hub's subscription); a TCP connection that
/// cannot take it leaves blocks in the queue until it drains, as `receive.wav` does.
final class RTPAudioSender {
    private var packetizer: PCMUPacketizer
    private var resampler: PCMResampler
    let output: RTPOutput
    let rtpClock: RTPClock
    private let inputRate: Int
    private(set) var blocksSent = 0
    private(set) var bytesSent: Int64 = 0

    init(ssrc: UInt32, initialSequence: UInt16, output: RTPOutput, rtpClock: RTPClock, inputRate: Int) {
        self.packetizer = PCMUPacketizer(ssrc: ssrc, initialSequence: initialSequence)
        self.resampler = PCMResampler(inputRate: inputRate)
        self.output = output
        self.rtpClock = rtpClock
        self.inputRate = inputRate
    }

    var nextSequence: UInt16 { packetizer.stream.nextSequence }

    /// Whether a block may go now (a busy TCP connection keeps them queued).
    var isWritable: Bool { output.isWritable }

    func send(_ block: AudioBlock) {
        let samples = resampler.resample(PCMUPacketizer.samples(ofLittleEndianPCM: block.pcm))
        let timestamp = rtpClock.timestamp(samplePosition: block.position, sampleRate: inputRate)
        bytesSent += Int64(output.send(rtp: packetizer.packetize(samples: samples, timestamp: timestamp)))
        blocksSent += 1
    }

    /// An RTCP sender report for the sound so far, at clock time `milliseconds`.
    func sendReport(atMilliseconds milliseconds: Int64, cname: String) {
        let report = RTCPSenderReport(
            stream: packetizer.stream, clock: rtpClock, atMilliseconds: milliseconds, cname: cname)
        _ = output.send(rtcp: report.encoded())
    }
}
