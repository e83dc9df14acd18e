import DecoyCore

/// What the transport does for an answer's `ServerEffect` (`restart.cgi`): endpoints ask for it
/// in their answer and never hold the server.
public protocol ServerControl: Sendable {
    /// Restarts the emulated web server once the current answer has been sent.
    func scheduleRestart()
}

/// Everything the endpoints read and change: built once per Decoy run and shared.
public final class TinyCamServices: Sendable {
    public let config: DecoyConfig
    public let cameras: CameraRegistry
    public let settings = RuntimeSettings()
    public let authenticator: Authenticator
    public let access: AccessMatrix
    public let clients = ClientRegistry()
    public let logs: ServerLogs
    public let traffic = TrafficMeter()
    public let counters: ServerCounters
    public let clock: any DecoyClock
    /// Where recordings, certificates and presets live (`get_status` reports its space).
    public let stateDirectory: String?
    let statusSampler = StatusSampler()
    /// Readings `get_status` reports instead of the configured or measured ones (scenarios set the
    /// battery and a full storage through it; nothing else writes it).
    public let statusOverrides = StatusOverrides()
    /// The Axis profile's event streams: what they report and how many are open.
    public let axisEvents: AxisEventService

    public init(
        config: DecoyConfig, cameras: CameraRegistry, clock: any DecoyClock, stateDirectory: String?,
        logs: ServerLogs = ServerLogs()
    ) {
        self.config = config
        self.cameras = cameras
        self.clock = clock
        self.stateDirectory = stateDirectory
        self.logs = logs
        self.counters = ServerCounters(startedAt: clock.nowMilliseconds())
        self.access = AccessMatrix(overrides: config.server.accessOverrides)
        let tokens = TokenStore(
            clock: clock, timeToLiveSeconds: config.server.tokenTTLSeconds, capacity: config.server.maxTokens)
        let digest = DigestAuthority(
            realm: config.realm, clock: clock, nonceTimeToLiveSeconds: config.server.digestNonceTTLSeconds)
        let axisEvents = AxisEventService(cameras: cameras, clock: clock, deviceID: config.axisDeviceID)
        self.axisEvents = axisEvents
        self.authenticator = Authenticator(
            users: config.users, tokens: tokens, digest: digest,
            webSocketSessions: config.server.profile == .axis ? axisEvents.sessions : nil)
    }

    /// The `WWW-Authenticate` fields of a 401, per `server.authChallenge`: separate fields in the
    /// order Basic, Digest SHA-256, Digest MD5 (httpx and curl take the first Digest they know,
    /// ffmpeg the last; one comma-joined field breaks httpx).
    public func challenges(stale: Bool) -> [String] {
        let basic = "Basic realm=\"\(config.realm)\""
        let digest = DigestAuthority.Algorithm.allCases.map { authenticator.digest.challenge($0, stale: stale) }
        switch config.authChallenge {
        case .basic: return [basic]
        case .digest: return digest
        case .both: return [basic] + digest
        }
    }

    /// The challenges of an RTSP 401: the same schemes, with Digest in the form camera clients
    /// parse (`DigestAuthority.rtspChallenge`), Digest first as Axis cameras send it.
    public func rtspChallenges(stale: Bool) -> [String] {
        let basic = "Basic realm=\"\(config.realm)\""
        let digest = authenticator.digest.rtspChallenge(stale: stale)
        switch config.authChallenge {
        case .basic: return [basic]
        case .digest: return [digest]
        case .both: return [digest, basic]
        }
    }

    /// Appends a timestamped line to the audit log (`eventlog.cgi`): logins, settings, restarts.
    public func recordAudit(_ message: String) {
        logs.audit.append("\(CivilTime.logTimestamp(clock.nowMilliseconds())) \(message)")
    }
}
