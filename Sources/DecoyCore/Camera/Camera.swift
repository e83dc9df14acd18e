import DecoyMedia
import NIOConcurrencyHelpers
import NIOCore

/// One emulated camera: its configuration, its live state (PTZ, LED, motion) and its frame pipeline.
///
/// State changes are rare and take a lock; the per-frame path only reads a snapshot of the state.
public final class Camera: Sendable {
    public let config: CameraConfig
    /// 1-based position in `get_cam_list`, what `camera=N` refers to.
    public let index: Int
    public let hub: FrameHub
    /// The camera's sound for `receive.wav`; nil when `audioListening` is off.
    public let audio: AudioHub?
    /// The events in progress: the `motion` flag, the objects drawn and what the recorder records.
    public let activity: CameraActivity
    /// Set when recording is on and the recordings folder and encoder are available.
    public let recorder: CameraRecorder?
    /// The virtual I/O ports (`cameras[].io`).
    public let io: CameraIOPorts
    private let watcher: MotionWatcher?
    private let clock: any DecoyClock
    private let presets: PresetStore
    private let live: NIOLockedValueBox<LiveState>

    private struct LiveState {
        var motion: PTZMotion
        var led: LEDMode = .off
    }

    /// `recordings` is where clips go (nil: recording stays off whatever the config says);
    /// `audioSources` makes the sound source when someone first listens, `videoSources` the picture
    /// source when frames are first needed (a device source gets digital PTZ and the LED overlay).
    public init(
        config: CameraConfig, index: Int, clock: any DecoyClock, presets: PresetStore, timeZone: LocalTimeZone,
        mediaLoop: any EventLoop, recordings: RecordingServices? = nil,
        audioSources: @escaping AudioSourceFactory = AudioSources.synthetic,
        videoSources: @escaping VideoSourceFactory = VideoSources.synthetic
    ) {
        self.config = config
        self.index = index
        self.clock = clock
        self.presets = presets
        self.io = CameraIOPorts(config: config.io)
        let live = NIOLockedValueBox(LiveState(motion: PTZMotion(at: clock.nowMilliseconds())))
        self.live = live
        let size = config.resolution
        let fps = config.fps
        let movingObject = config.movingObject
        let activity = CameraActivity(cameraID: config.id, clock: clock)
        let ambient = config.activity ? AmbientActivity(seed: config.seed) : nil
        self.activity = activity
        self.hub = FrameHub(
            nativeSize: size, framesPerSecond: fps, mediaLoop: mediaLoop, clock: clock,
            makeSource: { format in
                let scene: @Sendable (UInt64, Int64) -> SceneState = { number, time in
                    let (viewport, led) = live.withLockedValue { ($0.motion.position(at: time), $0.led) }
                    return SceneState(
                        frameNumber: number, timeMilliseconds: time,
                        utcOffsetSeconds: timeZone.utcOffsetSeconds(atMilliseconds: time), viewport: viewport, led: led,
                        movingObject: movingObject,
                        objects: activity.sceneObjects(at: time) + (ambient?.objects(atMilliseconds: time) ?? []))
                }
                let source = videoSources(VideoSourceRequest(config: config, format: format, scene: scene))
                return config.source == .synthetic ? source : DigitalPTZSource(source, scene: scene)
            })
        self.audio =
            config.audioListening
            ? AudioHub(sampleRate: config.audio.rate, mediaLoop: mediaLoop, clock: clock) { audioSources(config) }
            : nil
        if config.motionDetection.enabled {
            let watcher = MotionWatcher(
                config: config.motionDetection, mask: SyntheticOverlay.dynamicRegions(for:), activity: activity,
                viewport: { time in live.withLockedValue { $0.motion.position(at: time) } })
            self.watcher = watcher
            hub.addObserver(watcher)
        } else {
            self.watcher = nil
        }
        if config.recording.enabled, let recordings {
            let recorder = CameraRecorder(
                camera: config, framesPerSecond: fps, size: size, activity: activity, store: recordings.store,
                encoderPath: recordings.encoderPath)
            self.recorder = recorder
            hub.subscribe(recorder, variant: recorder.variant)
        } else {
            self.recorder = nil
        }
    }

    /// Stops the pipeline; a clip being recorded is finished and kept.
    public func shutdown() async {
        if let watcher { hub.removeObserver(watcher) }
        if let recorder {
            hub.unsubscribe(recorder, variant: recorder.variant)
            await recorder.stop()
        }
        hub.shutdown()
        audio?.shutdown()
    }

    public var capabilities: PTZCapabilities { PTZCapabilities(rawValue: config.ptzCapabilities) }

    /// Where the camera points now.
    public var viewport: Viewport { live.withLockedValue { $0.motion.position(at: clock.nowMilliseconds()) } }

    public var led: LEDMode { live.withLockedValue { $0.led } }

    /// Whether the PTZ head is moving at `time` (the Axis `PTZController/Move` event).
    public func isMoving(at time: Int64) -> Bool { live.withLockedValue { $0.motion.isMoving(at: time) } }

    /// What the camera's picture is doing (live, offline, frozen, black, no signal); the hub reads it per frame.
    public var health: CameraHealth { hub.health }

    /// Changes the native size or rate mid-stream (a scenario's `camera` step); see `FrameHub.setFormat`.
    /// The recorder keeps the configured size (its clips are of one size) and its constant-rate timeline.
    public func setFormat(size: PixelSize? = nil, framesPerSecond: Int? = nil) {
        hub.setFormat(size: size, framesPerSecond: framesPerSecond)
    }

    /// Sets the picture's health (a scenario's `camera` step; later a device source that loses its
    /// device). Going offline closes the open streams; `live` resumes the source.
    public func setHealth(_ health: CameraHealth) { hub.setHealth(health) }

    /// Whether the camera currently reports motion (`get_status` `motion`, `motionCameras`): any event active.
    public var isInMotion: Bool { activity.isActiveNow }

    /// Applies the commands of one `ptz.cgi` request: all are checked first, then applied together.
    ///
    /// Going to a preset that was never set is not an error: the official web UI sends preset keys
    /// 1..9 blindly and Home Assistant's tinyCam integration fails its PTZ service on an error, so the
    /// camera stays where it is and the caller learns which presets were missing (to log them).
    @discardableResult
    public func apply(_ commands: [PTZCommand]) throws(CameraCommandError) -> PTZOutcome {
        for command in commands where !capabilities.contains(command.requiredCapability) {
            throw .unsupported("camera '\(config.name)' has no \(command.capabilityName) capability")
        }
        var outcome = PTZOutcome()
        for case .gotoPreset(let number) in commands where presets.preset(number, camera: config.id) == nil {
            outcome.unsetPresets.append(number)
        }
        let now = clock.nowMilliseconds()
        for command in commands {
            switch command {
            case .setPreset(let number):
                do {
                    try presets.save(viewport, as: number, camera: config.id)
                } catch {
                    throw .failed("could not save preset \(number): \(error)")
                }
            case .gotoPreset(let number):
                if let target = presets.preset(number, camera: config.id) {
                    live.withLockedValue { $0.motion.moveTo(target, at: now) }
                }
            default:
                live.withLockedValue { $0.motion.apply(command, at: now) }
            }
        }
        return outcome
    }

    /// `lightcontrol.cgi`.
    public func setLED(_ mode: LEDMode) throws(CameraCommandError) {
        let needed: PTZCapabilities =
            switch mode {
            case .on: .ledOn
            case .off: .ledOff
            case .auto: .ledAuto
            }
        guard capabilities.contains(needed) else {
            throw .unsupported("camera '\(config.name)' cannot set its LED \(mode.rawValue)")
        }
        let changed = live.withLockedValue { live in
            defer { live.led = mode }
            return live.led != mode
        }
        if changed { hub.sceneChanged() }
    }
}

/// What a `ptz.cgi` request did besides moving: the presets it asked for that were never set.
public struct PTZOutcome: Sendable, Equatable {
    public var unsetPresets: [Int] = []

    public init(unsetPresets: [Int] = []) { self.unsetPresets = unsetPresets }
}

/// Why a camera refused a command; the API maps these to status codes in one place.
public enum CameraCommandError: Error, Equatable, CustomStringConvertible {
    /// The camera lacks the capability (400).
    case unsupported(String)
    /// A value the camera cannot act on (400).
    case invalid(String)
    /// The command was valid but could not be carried out (500).
    case failed(String)

    public var description: String {
        switch self {
        case .unsupported(let text), .invalid(let text), .failed(let text): text
        }
    }
}

extension PTZCommand {
    var capabilityName: String {
        switch self {
        case .continuousPanTilt: "pan/tilt"
        case .continuousZoom: "zoom"
        case .continuousFocus: "focus"
        case .continuousIris: "iris"
        case .home: "home position"
        case .gotoPreset, .setPreset: "preset"
        }
    }
}
