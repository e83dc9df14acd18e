import CALSA

#if canImport(Glibc)
    import Glibc
#endif

/// One open ALSA capture handle: S16_LE interleaved at a fixed rate and channel count. Blocking
/// reads; used only by `AlsaAudioSource`'s capture thread (ALSA handles are not thread-safe).
final class AlsaCapture {
    private let handle: OpaquePointer
    let channels: Int

    /// Opens `device` (e.g. `hw:1,0`, `plughw:1,0`) and sets the format. The start threshold is set
    /// to one period so `snd_pcm_readi` starts the stream (a threshold above the buffer size, the
    /// classic trap, would block the first read for ever).
    init(device: String, rate: Int, channels: Int, periodFrames: Int) throws(AlsaError) {
        var pcm: OpaquePointer?
        let opened = snd_pcm_open(&pcm, device, SND_PCM_STREAM_CAPTURE, 0)
        guard opened >= 0, let pcm else { throw AlsaError("cannot open '\(device)'", opened) }
        self.handle = pcm
        self.channels = channels
        // 200 ms of buffer: room for a late capture thread without adding much latency.
        let set = snd_pcm_set_params(
            pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, UInt32(channels), UInt32(rate), 1, 200_000)
        guard set >= 0 else {
            snd_pcm_close(pcm)
            throw AlsaError("'\(device)' does not take S16_LE, \(channels) channel(s), \(rate) Hz", set)
        }
        try setStartThreshold(frames: periodFrames, device: device)
        let prepared = snd_pcm_prepare(pcm)
        guard prepared >= 0 else {
            snd_pcm_close(pcm)
            throw AlsaError("cannot prepare '\(device)'", prepared)
        }
    }

    private func setStartThreshold(frames: Int, device: String) throws(AlsaError) {
        var params: OpaquePointer?
        guard snd_pcm_sw_params_malloc(&params) >= 0, let params else { return }
        defer { snd_pcm_sw_params_free(params) }
        var result = snd_pcm_sw_params_current(handle, params)
        if result >= 0 { result = snd_pcm_sw_params_set_start_threshold(handle, params, snd_pcm_uframes_t(frames)) }
        if result >= 0 { result = snd_pcm_sw_params(handle, params) }
        guard result >= 0 else {
            snd_pcm_close(handle)
            throw AlsaError("cannot set the start threshold of '\(device)'", result)
        }
    }

    deinit { snd_pcm_close(handle) }

    /// What one read did.
    enum ReadResult: Equatable {
        case frames(Int)
        /// An overrun (the thread was late); the stream was recovered.
        case xrun
        /// The device is gone or failed beyond recovery (unplugged: `-ENODEV`, `-EIO`).
        case failed(Int32)
    }

    /// Reads up to `frames` interleaved frames into `buffer` (which holds frames × channels).
    func read(into buffer: inout [Int16], frames: Int) -> ReadResult {
        let count = buffer.withUnsafeMutableBytes { bytes in
            snd_pcm_readi(handle, bytes.baseAddress, snd_pcm_uframes_t(frames))
        }
        if count >= 0 { return .frames(Int(count)) }
        let code = Int32(count)
        if code == -EPIPE || code == -ESTRPIPE || code == -EINTR {
            // silent = 1: the xrun is counted by the caller, not printed by ALSA.
            return snd_pcm_recover(handle, code, 1) >= 0 ? .xrun : .failed(code)
        }
        if code == -EAGAIN { return .frames(0) }
        return .failed(code)
    }
}

/// An ALSA call failed: what was attempted and ALSA's own reason.
public struct AlsaError: Error, CustomStringConvertible {
    public let description: String

    init(_ what: String, _ code: Int32) {
        self.description = "ALSA: \(what): \(String(cString: snd_strerror(code)))"
    }
}
