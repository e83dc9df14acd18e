import DecoyMedia
import Foundation
import Logging
import NIOConcurrencyHelpers

/// A microphone through ALSA (`cameras[].audio.source: alsa`). Capture runs on a dedicated thread
/// (blocking `snd_pcm_readi`, never an event loop or the concurrency pool), which mixes the
/// device's channels to mono and appends to a bounded jitter buffer; the audio hub's `read` takes
/// from it without blocking. Xruns are recovered and counted; a device that fails or disappears
/// (unplugged) is closed, the listeners hear silence, and it is reopened with a growing backoff
/// until it returns or capture stops. Every such change is one log line and shows in `health`.
///
/// Tested against a real kernel device (snd-aloop) in the HIL guest: Tools/device-checks/audio.sh.
public final class AlsaAudioSource: AudioSource {
    public let sampleRate: Int
    public let device: String
    public let channels: Int
    private let shared: AlsaCaptureState
    private let logger: Logger
    private var thread: Thread?

    public init(device: String, sampleRate: Int, channels: Int, logger: Logger = Logger(label: "decoy.alsa")) {
        self.sampleRate = sampleRate
        self.device = device
        self.channels = max(1, channels)
        self.logger = logger
        self.shared = AlsaCaptureState(device: device, capacity: sampleRate, prebuffer: sampleRate * 3 / 50)
    }

    public var health: AudioDeviceHealth { shared.health }

    public var healthProbe: (@Sendable () -> AudioDeviceHealth)? {
        let shared = self.shared
        return { shared.health }
    }

    public func start() throws {
        guard thread == nil else { return }
        shared.setRunning(true)
        let loop = AlsaCaptureLoop(state: shared, device: device, rate: sampleRate, channels: channels, logger: logger)
        let thread = Thread { loop.run() }
        thread.name = "decoy-alsa-\(device)"
        thread.start()
        self.thread = thread
    }

    /// Stops capture; the thread ends after its current read (at most one period, 20 ms).
    public func stop() {
        shared.setRunning(false)
        thread = nil
    }

    public func read(into samples: inout [Int16], at position: Int64) {
        shared.take(into: &samples)
    }
}

/// What the capture thread and the hub share, under one lock: the jitter buffer and the health.
///
/// The buffer starts playing only once it holds `prebuffer` samples (60 ms), and when it runs dry
/// it plays silence until it holds that much again. Without this the hub, which reads 20 ms blocks
/// on its own timer, would insert a few zeros into nearly every block (the device delivers in
/// bursts), which sounds like crackle and ruins the tone's measured level.
final class AlsaCaptureState: Sendable {
    private struct State {
        var buffer: [Int16] = []
        var running = false
        var playing = false
        var health: AudioDeviceHealth
    }

    private let capacity: Int
    private let prebuffer: Int
    private let state: NIOLockedValueBox<State>

    init(device: String, capacity: Int, prebuffer: Int) {
        self.capacity = capacity
        self.prebuffer = min(prebuffer, capacity)
        self.state = NIOLockedValueBox(State(health: AudioDeviceHealth(device: device)))
    }

    var running: Bool { state.withLockedValue { $0.running } }
    var health: AudioDeviceHealth { state.withLockedValue { $0.health } }

    func setRunning(_ running: Bool) {
        state.withLockedValue {
            $0.running = running
            if !running {
                $0.buffer.removeAll()
                $0.playing = false
            }
        }
    }

    func update(_ change: (inout AudioDeviceHealth) -> Void) { state.withLockedValue { change(&$0.health) } }

    /// Appends captured mono samples; beyond `capacity` (1 s) the oldest go.
    func append(_ samples: ArraySlice<Int16>) {
        state.withLockedValue { state in
            state.buffer.append(contentsOf: samples)
            if state.buffer.count > capacity { state.buffer.removeFirst(state.buffer.count - capacity) }
        }
    }

    /// Fills `samples` from the oldest captured ones, or with silence while the buffer refills.
    func take(into samples: inout [Int16]) {
        state.withLockedValue { state in
            if !state.playing, state.buffer.count >= prebuffer { state.playing = true }
            guard state.playing, state.buffer.count >= samples.count else {
                if state.playing {
                    state.playing = false
                    state.health.underruns += 1
                }
                for index in samples.indices { samples[index] = 0 }
                return
            }
            for index in samples.indices { samples[index] = state.buffer[index] }
            state.buffer.removeFirst(samples.count)
        }
    }
}

/// The capture thread's body: open, read periods, mix to mono; on failure close and reopen.
struct AlsaCaptureLoop: Sendable {
    let state: AlsaCaptureState
    let device: String
    let rate: Int
    let channels: Int
    let logger: Logger

    /// Reopen delays: 0.5 s doubling to 8 s.
    static let firstBackoff = 0.5
    static let maximumBackoff = 8.0

    func run() {
        let period = max(1, rate / 50)
        var interleaved = [Int16](repeating: 0, count: period * channels)
        var mono = [Int16](repeating: 0, count: period)
        var backoff = Self.firstBackoff
        var failedBefore = false
        while state.running {
            let capture: AlsaCapture
            do {
                capture = try AlsaCapture(device: device, rate: rate, channels: channels, periodFrames: period)
            } catch {
                if !failedBefore || state.health.lastError != error.description {
                    logger.warning(
                        "audio device '\(device)' cannot be opened: \(error); listeners hear silence, retrying every \(Self.maximumBackoff) s at most"
                    )
                }
                failedBefore = true
                state.update {
                    $0.open = false
                    $0.lastError = error.description
                }
                sleep(seconds: backoff)
                backoff = min(Self.maximumBackoff, backoff * 2)
                state.update { $0.reopens += 1 }
                continue
            }
            state.update {
                $0.open = true
                $0.lastError = nil
            }
            logger.info(
                "audio device '\(device)' \(failedBefore ? "is back" : "open"): \(rate) Hz, \(channels) channel(s) mixed to mono"
            )
            failedBefore = false
            backoff = Self.firstBackoff
            reading: while state.running {
                switch capture.read(into: &interleaved, frames: period) {
                case .frames(let count):
                    mix(interleaved, frames: count, into: &mono)
                    state.append(mono[0..<count])
                case .xrun:
                    state.update { $0.xruns += 1 }
                    logger.notice(
                        "audio device '\(device)': capture overrun (the capture thread was late), samples lost; recovered (\(state.health.xruns) so far)"
                    )
                case .failed(let code):
                    let reason = AlsaError("capture from '\(device)' failed", code).description
                    logger.warning("audio device '\(device)' lost: \(reason); listeners hear silence until it returns")
                    failedBefore = true
                    state.update {
                        $0.open = false
                        $0.lastError = reason
                    }
                    break reading
                }
            }
        }
    }

    /// Averages each frame's channels.
    private func mix(_ interleaved: [Int16], frames: Int, into mono: inout [Int16]) {
        guard channels > 1 else {
            for index in 0..<frames { mono[index] = interleaved[index] }
            return
        }
        for frame in 0..<frames {
            var sum = 0
            for channel in 0..<channels { sum += Int(interleaved[frame * channels + channel]) }
            mono[frame] = Int16(sum / channels)
        }
    }

    /// Sleeps in short steps so `stop` is honoured quickly.
    private func sleep(seconds: Double) {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while state.running && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    }
}
