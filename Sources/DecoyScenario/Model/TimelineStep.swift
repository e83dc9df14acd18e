import DecoyCore
import DecoyFaults
import DecoyMedia
import DecoyTinyCam

/// One entry of `timeline:`: when it fires and what it does.
public struct TimelineStep: Sendable, Equatable {
    /// The name other steps (`after:`) and expectations (`of:`) refer to.
    public var id: String?
    public var timing: StepTiming
    public var action: ScenarioAction
    /// The line of the step in its file, for messages.
    public var line: Int

    public init(id: String? = nil, timing: StepTiming, action: ScenarioAction, line: Int = 0) {
        self.id = id
        self.timing = timing
        self.action = action
        self.line = line
    }

    /// How the step is named in journals and evidence: its id, else its position.
    public func label(index: Int) -> String { id ?? "step \(index + 1)" }
}

/// The one time key of a step. Times are milliseconds since t = 0 (the listener bound).
public enum StepTiming: Sendable, Equatable {
    /// `at: 3s`: once, at that time.
    case at(Int64)
    /// `after: ring` (+ `delay: 2s`): once, that long after the first firing of step `ring`.
    case after(String, delayMilliseconds: Int64)
    /// `every: 10s` (+ `until: 1m` or `times: 3`): at 1×, 2×, 3× the interval, … while the time is
    /// at most `until` and fewer than `times` occurrences fired (to the end of the run without either).
    case every(Int64, untilMilliseconds: Int64?, times: Int?)
}

/// What a step does. The actions not built yet (`media`) are rejected by validation
/// with a message naming them.
public enum ScenarioAction: Sendable, Equatable {
    /// The camera (name or id, as written) has an event: the picture shows the object, its motion
    /// flag goes up and a camera that records records it.
    case motion(camera: String, type: EventType, durationMilliseconds: Int64)
    /// What `restart.cgi` does: connections close, tokens are forgotten, it listens again after
    /// `server.restartDelay`.
    case restart
    /// A line in the journal and the log (marks a phase of the run).
    case log(String)
    /// Login and token faults (`auth:`).
    case auth(AuthAction)
    /// A fault rule active for `for:` from when the step fires (`network:`).
    case network(FaultRule, forMilliseconds: Int64)
    /// `get_status` reports this battery from now on (nil fields keep their value).
    case battery(level: Int?, charging: Bool?)
    /// `get_status` reports `spaceAvailable: 0` (full) or real readings again.
    case storage(full: Bool)
    /// App settings changed as if on the phone (nil fields keep their value).
    case settings(SettingsChange)
    /// Every open connection `match` takes is ended now: a stream or a request being answered by
    /// what it is for (camera, path, user…), an idle connection by its client. `reset`: RST (else FIN).
    case drop(FaultMatch, reset: Bool)
    /// The camera (name or id, as written) goes offline, freezes, turns black, loses its signal or
    /// comes back (`camera: {camera: Yard, state: offline}`; `online` is `live`), and/or changes its
    /// native resolution or frame rate mid-stream (`resolution: 1280x720`, `fps: 5`).
    case camera(camera: String, change: CameraChange)
    /// The camera's virtual input (`cameras[].io.inputs`, by name) becomes active or inactive
    /// (`io: {camera: Yard, input: Door, active: true}`): what a door contact wired to the camera
    /// does; Axis clients see it as a port event.
    case io(camera: String, input: String, active: Bool)
    /// Every Axis event stream (WebSocket, RTSP metadata) misbehaves for `for:` from this step:
    /// sends nothing while staying open, sends each change late, or twice (`events:`).
    case events(AxisEventFaults.Kind, forMilliseconds: Int64)

    /// A short human description for journals and summaries.
    public var summary: String {
        switch self {
        case .motion(let camera, let type, let duration):
            "motion \(type.rawValue) on \(camera) for \(RunTime.text(duration))"
        case .restart: "restart"
        case .log(let message): "log \(message)"
        case .auth(let action): "auth \(action.summary)"
        case .network(let rule, let duration):
            "network \(rule.fault.summary) for \(RunTime.text(duration))"
                + (rule.probability.map { " with probability \($0)" } ?? "")
        case .battery(let level, let charging):
            "battery" + (level.map { " level \($0)" } ?? "")
                + (charging.map { $0 ? " charging" : " discharging" } ?? "")
        case .storage(let full): full ? "storage full" : "storage not full"
        case .settings(let change): "settings \(change.summary)"
        case .camera(let camera, let change): "camera \(camera) \(change.summary)"
        case .drop(let match, let reset): "drop \(match.summary) (\(reset ? "reset" : "close"))"
        case .io(let camera, let input, let active): "io \(camera) input \(input) \(active ? "active" : "inactive")"
        case .events(let kind, let duration): "events \(kind.summary) for \(RunTime.text(duration))"
        }
    }
}

/// What a `camera` step changes; nil keeps it (a valid step sets at least one).
public struct CameraChange: Sendable, Equatable {
    public var health: CameraHealth?
    public var resolution: PixelSize?
    public var framesPerSecond: Int?

    public init(health: CameraHealth? = nil, resolution: PixelSize? = nil, framesPerSecond: Int? = nil) {
        self.health = health
        self.resolution = resolution
        self.framesPerSecond = framesPerSecond
    }

    /// `offline`, `online, 1280x720, 5 fps`.
    public var summary: String {
        [
            health.map { CameraStateWord($0).rawValue }, resolution.map(\.description),
            framesPerSecond.map { "\($0) fps" },
        ].compactMap { $0 }.joined(separator: ", ")
    }
}

/// The words of a `camera` step's `state`: the camera healths, with `online` for `live`.
public enum CameraStateWord: String, Sendable, CaseIterable {
    case offline, online, frozen, black, noSignal

    public init(_ health: CameraHealth) {
        switch health {
        case .live: self = .online
        case .offline: self = .offline
        case .frozen: self = .frozen
        case .black: self = .black
        case .noSignal: self = .noSignal
        }
    }

    public var health: CameraHealth {
        switch self {
        case .online: .live
        case .offline: .offline
        case .frozen: .frozen
        case .black: .black
        case .noSignal: .noSignal
        }
    }
}

/// What an `auth:` step does.
public enum AuthAction: Sendable, Equatable {
    /// The next N requests to `/api/v1/login` answer `HTTP 403. Invalid user name or password.`,
    /// whatever their credentials.
    case failLogins(Int)
    /// Every token is forgotten (nil), or every token of one user: their next request with it
    /// answers `HTTP 403. Invalid token.`
    case revokeTokens(user: String?)
    /// From now on, a client address with `after` failed logins in a row is locked out for
    /// `for`: its logins answer 403 without being checked.
    case lockout(after: Int, forMilliseconds: Int64)
    /// One MJPEG stream (`video.cgi`) with a valid token (of `user`, when named) closes after
    /// `afterFrames` more frames, and its token is revoked as the last one goes out: the client's
    /// reconnection with it answers `HTTP 403. Invalid token.`, so it must log in again. A stream
    /// already open takes it (`RuntimeActionPerformer`), or else the next to start.
    case rejectStreamToken(afterFrames: Int, user: String?)

    public var summary: String {
        switch self {
        case .failLogins(let count): "fail the next \(count) login(s)"
        case .revokeTokens(let user): "revoke the tokens of " + (user ?? "every user")
        case .lockout(let after, let duration):
            "lock out for \(RunTime.text(duration)) after \(after) failed login(s)"
        case .rejectStreamToken(let frames, let user):
            "reject the token of the next stream" + (user.map { " of \($0)" } ?? "") + " after \(frames) frames"
        }
    }
}

/// App settings as if changed on the phone (`settings:`); nil keeps the current value.
public struct SettingsChange: Sendable, Equatable {
    public var notifications: Bool?
    public var profile: AppSettings.StreamProfile?
    public var backgroundMode: Bool?

    public init(notifications: Bool? = nil, profile: AppSettings.StreamProfile? = nil, backgroundMode: Bool? = nil) {
        self.notifications = notifications
        self.profile = profile
        self.backgroundMode = backgroundMode
    }

    public var summary: String {
        var parts: [String] = []
        if let notifications { parts.append("notifications \(notifications ? "on" : "off")") }
        if let profile { parts.append("profile \(profile.rawValue)") }
        if let backgroundMode { parts.append("backgroundMode \(backgroundMode ? "on" : "off")") }
        return parts.joined(separator: ", ")
    }
}

extension AxisEventFaults.Kind {
    /// `silent`, `delayed 2 s`, `duplicated`.
    var summary: String {
        switch self {
        case .silence: "silent"
        case .delay(let milliseconds): "delayed \(RunTime.text(milliseconds))"
        case .duplicate: "duplicated"
        }
    }
}
