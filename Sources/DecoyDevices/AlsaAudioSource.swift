import DecoyMedia
import Foundation
import NIOConcurrencyHelpers

/// A microphone through ALSA (`cameras[].audio.source: alsa`). Capture runs on a dedicated thread
/// (blocking `snd_pcm_readi`, never an event loop or the concurrency pool), which mixes the
/// device's channels to mono and appends to a bounded buffer; the audio hub's `read` takes from it
/// without blocking and plays silence for what is missing. Xruns are recovered and counted; a
/// device that fails or disappears (unplugged) is closed, the listeners hear silence, and it is
/// reopened with a growing backoff until it returns or capture stops.
///
/// Not yet exercised against real hardware (only compiled); the HIL rig of issue 7 is to test it.
public final class AlsaAudioSource: AudioSource {
    public let sampleRate: Int
    public let device: String
    public let channels: Int
    private let shared: AlsaCaptureState
    private var thread: Thread?

    /// How capture is going (for status and logs).
    public struct Health: Sendable, Equatable {
        public var open = false
        public var xruns = 0
        public var reopens = 0
        public var lastError: String?
    }

    public init(device: String, sampleRate: Int, channels: Int) {
        self.device = device
        self.sampleRate = sampleRate
        self.channels = max(1, channels)
        self.shared = AlsaCaptureState(capacity: sampleRate)
    }

    public var health: Health { shared.health }

    public func start() throws {
        guard thread == nil else { return }
        shared.setRunning(true)
        let (shared, device, rate, channels) = (self.shared, device, sampleRate, self.channels)
        let thread = Thread { AlsaCaptureLoop(state: shared, device: device, rate: rate, channels: channels).run() }
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

/// What the capture thread and the hub share, under one lock.
final class AlsaCaptureState: Sendable {
    private struct State {
        var buffer: [Int16] = []
        var running = false
        var health = AlsaAudioSource.Health()
    }

    private let capacity: Int
    private let state = NIOLockedValueBox(State())

    init(capacity: Int) { self.capacity = capacity }

    var running: Bool { state.withLockedValue { $0.running } }
    var health: AlsaAudioSource.Health { state.withLockedValue { $0.health } }

    func setRunning(_ running: Bool) {
        state.withLockedValue {
            $0.running = running
            if !running { $0.buffer.removeAll() }
        }
    }

    func update(_ change: (inout AlsaAudioSource.Health) -> Void) { state.withLockedValue { change(&$0.health) } }

    /// Appends captured mono samples; beyond `capacity` (1 s) the oldest go.
    func append(_ samples: ArraySlice<Int16>) {
        state.withLockedValue { state in
            state.buffer.append(contentsOf: samples)
            if state.buffer.count > capacity { state.buffer.removeFirst(state.buffer.count - capacity) }
        }
    }

    /// Fills `samples` from the oldest captured ones; silence for what is missing.
    func take(into samples: inout [Int16]) {
        state.withLockedValue { state in
            let count = min(samples.count, state.buffer.count)
            for index in 0..<count { samples[index] = state.buffer[index] }
            for index in count..<samples.count { samples[index] = 0 }
            state.buffer.removeFirst(count)
        }
    }
}

/// The capture thread's body: open, read periods, mix to mono; on failure close and reopen.
struct AlsaCaptureLoop {
    let state: AlsaCaptureState
    let device: String
    let rate: Int
    let channels: Int

    /// Reopen delays: 0.5 s doubling to 8 s.
    static let firstBackoff = 0.5
    static let maximumBackoff = 8.0

    func run() {
        let period = max(1, rate / 50)
        var interleaved = [Int16](repeating: 0, count: period * channels)
        var mono = [Int16](repeating: 0, count: period)
        var backoff = Self.firstBackoff
        while state.running {
            let capture: AlsaCapture
            do {
                capture = try AlsaCapture(device: device, rate: rate, channels: channels, periodFrames: period)
            } catch {
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
            backoff = Self.firstBackoff
            reading: while state.running {
                switch capture.read(into: &interleaved, frames: period) {
                case .frames(let count):
                    mix(interleaved, frames: count, into: &mono)
                    state.append(mono[0..<count])
                case .xrun:
                    state.update { $0.xruns += 1 }
                case .failed(let code):
                    state.update {
                        $0.open = false
                        $0.lastError = AlsaError("capture from '\(device)' failed", code).description
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
