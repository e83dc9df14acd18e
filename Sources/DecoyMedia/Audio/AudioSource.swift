/// Where a camera's sound comes from: a synthetic signal, or a capture device (ALSA, in
/// `DecoyDevices`).
///
/// The camera's audio hub pulls a source in fixed blocks on its media loop, on its own schedule and
/// only while someone listens, so an unheard camera costs nothing. A capture device implements
/// `read` by handing over what its capture thread has buffered (silence when nothing is there): the
/// call must never block. Non-`Sendable` on purpose: it is created and used on one thread only.
public protocol AudioSource: AnyObject {
    /// Samples per second of what `read` returns (mono, signed 16-bit).
    var sampleRate: Int { get }
    /// Demand appeared: open devices, start capture.
    func start() throws
    /// Demand is gone: release devices.
    func stop()
    /// Fills `samples` with the block that starts at `position` (samples since the Unix epoch on the
    /// camera clock; a live device may ignore it and deliver what it captured).
    func read(into samples: inout [Int16], at position: Int64)
    /// Reads the capture device's health from any thread (nil: no device, a synthetic sound).
    /// A closure rather than a property because the source itself is confined to one thread.
    var healthProbe: (@Sendable () -> AudioDeviceHealth)? { get }
}

extension AudioSource {
    public var healthProbe: (@Sendable () -> AudioDeviceHealth)? { nil }
}

/// A source that plays an `AudioSignal`.
public final class SignalAudioSource: AudioSource {
    public let signal: any AudioSignal

    public init(_ signal: any AudioSignal) { self.signal = signal }

    public var sampleRate: Int { signal.sampleRate }
    public func start() throws {}
    public func stop() {}

    public func read(into samples: inout [Int16], at position: Int64) {
        signal.render(into: &samples, startingAt: position)
    }
}
