import DecoyMedia

/// Everything Decoy serves, as one `Sendable` value: what the YAML file says, or the embedded
/// default when there is no file.
///
/// Top-level keys: `server`, `users`, `cameras`, `storage`, `status` (see each type).
public struct DecoyConfig: Sendable, Equatable {
    public var server: ServerConfig
    public var users: [UserConfig]
    public var cameras: [CameraConfig]
    public var storage: StorageConfig
    public var status: StatusConfig
    public var events: EventsConfig

    public init(
        server: ServerConfig = ServerConfig(), users: [UserConfig] = DecoyConfig.defaultUsers,
        cameras: [CameraConfig] = DecoyConfig.defaultCameras, storage: StorageConfig = StorageConfig(),
        status: StatusConfig = StatusConfig(), events: EventsConfig = EventsConfig()
    ) {
        self.server = server
        self.users = users
        self.cameras = cameras
        self.storage = storage
        self.status = status
        self.events = events
    }

    /// The sandbox `decoy` serves with no configuration file: the two cameras of the tinyCam API
    /// document and an admin and a guest user. Front yard detects motion, records, and has
    /// something crossing the scene about once a minute; Doorbell records the events it is given
    /// (`createmotion.cgi`, scenarios). A first start seeds a few recorded events (`isEmbeddedDefault`).
    public static let embeddedDefault: DecoyConfig = {
        var config = DecoyConfig(cameras: sandboxCameras)
        config.isEmbeddedDefault = true
        return config
    }()

    /// True only for `embeddedDefault`: the sandbox seeds example recordings into an empty folder.
    public var isEmbeddedDefault = false

    /// The default cameras, alive: detection, recording and activity as described at `embeddedDefault`.
    public static let sandboxCameras: [CameraConfig] = {
        var cameras = defaultCameras
        cameras[0].motionDetection.enabled = true
        cameras[0].recording.enabled = true
        cameras[0].activity = true
        cameras[1].recording.enabled = true
        return cameras
    }()

    /// `admin`/`admin` (admin) and `guest`/`guest` (guest).
    public static let defaultUsers = [
        UserConfig(name: "admin", password: "admin", role: .admin),
        UserConfig(name: "guest", password: "guest", role: .guest),
    ]

    /// "Front yard" and "Doorbell", exactly as the API document's `get_cam_list` example.
    public static let defaultCameras = [
        CameraConfig(
            name: "Front yard", id: 182_399_567, ptzCapabilities: 230_911, audioListening: true, cloudAccess: false),
        CameraConfig(
            name: "Doorbell", id: 1_455_317_736, ptzCapabilities: 32768, audioListening: true, cloudAccess: true),
    ]

    /// The challenge a 401 carries: `server.authChallenge`, or the profile's default.
    public var authChallenge: AuthChallenge {
        server.authChallenge ?? (server.profile == .axis ? .both : .basic)
    }

    /// Where RTSP gets a listener of its own: `server.rtspListen`, or in the axis profile port 554
    /// on the `listen` host; nil when RTSP is off or only shares the HTTP port. Whether 554 can
    /// be bound is found out at start (an unbindable default is logged, not fatal).
    public var rtspListen: ListenAddress? {
        guard server.rtsp else { return nil }
        switch server.rtspListen {
        case .at(let address): return address
        case .off: return nil
        case .profileDefault: return server.profile == .axis ? ListenAddress(host: server.listen.host, port: 554) : nil
        }
    }

    /// The realm of challenges: `server.realm`, or the profile's default.
    public var realm: String { server.realm ?? (server.profile == .axis ? "AXIS_" + axisDeviceID : "tinyCam") }

    /// A MAC-like device id (12 upper-case hex digits, Axis's `00408C` prefix), the same for the
    /// same first camera seed, for the Axis realm and serial number.
    public var axisDeviceID: String {
        var mixer = (cameras.first?.seed ?? 0) &+ 0x9E37_79B9_7F4A_7C15
        mixer = (mixer ^ (mixer >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixer = (mixer ^ (mixer >> 27)) &* 0x94D0_49BB_1331_11EB
        mixer ^= mixer >> 31
        let suffix = String(mixer & 0xFF_FFFF, radix: 16, uppercase: true)
        return "00408C" + String(repeating: "0", count: 6 - suffix.count) + suffix
    }

    /// Users whose password is still the one the embedded default ships with.
    public var usersWithDefaultPasswords: [String] {
        users.filter { user in
            Self.defaultUsers.contains { $0.name == user.name && $0.password == user.password }
        }.map(\.name)
    }
}

/// Keys under `server:`.
public struct ServerConfig: Sendable, Equatable {
    /// `listen`: `HOST:PORT` (IPv6 as `[::1]:8083`). Default `127.0.0.1:8083`.
    public var listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 8083)
    /// `https`: serve TLS on the same port. Default false.
    public var https = false
    /// `cert` / `key`: PEM files; when absent with `https`, a self-signed pair is generated in the state folder.
    public var certificatePath: String?
    public var privateKeyPath: String?
    /// `cors`: send `Access-Control-Allow-Origin: *` on JSON and CGI answers. Default true.
    public var cors = true
    /// `serverHeader`: the `Server` response header. Default `Decoy/<version>`.
    public var serverHeader = "Decoy/\(DecoyVersion.string)"
    /// `legacyErrorStatus200`: answer `HTTP 403. …` errors with status 200, as some tinyCam builds do.
    public var legacyErrorStatus200 = false
    /// `tokenTTL`: seconds a login token lives; 0 = until logout or restart (tinyCam's behaviour).
    public var tokenTTLSeconds = 0
    /// `maxTokens`: tokens kept at once; the oldest is forgotten beyond it.
    public var maxTokens = 10_000
    /// `restartDelay`: seconds the emulated web server stays down on `restart.cgi`.
    public var restartDelaySeconds = 2.0
    /// `requestTimeout`: seconds a connection may take to send a complete request head (also the keep-alive idle limit).
    public var requestTimeoutSeconds = 15.0
    /// `maxConnections`: open connections at once; further clients are refused with 503.
    public var maxConnections = 4096
    /// `access`: per-endpoint override of the access matrix, path → `guest` | `admin`.
    public var accessOverrides: [String: Role] = [:]
    /// `profile`: `tinycam` (exactly tinyCam's web server, the default) or `axis` (adds what VAPIX
    /// clients need: POST bodies on every CGI, Digest by default, Axis discovery endpoints).
    public var profile = ServerProfile.tinycam
    /// `authChallenge`: what a 401 offers: `basic`, `digest` (SHA-256 and MD5), or `both`
    /// (separate fields: Basic, Digest SHA-256, Digest MD5). Default: `basic` in the tinycam
    /// profile, `both` in the axis profile.
    public var authChallenge: AuthChallenge?
    /// `realm`: the realm of Basic and Digest challenges. Default `tinyCam`, or `AXIS_<12 hex>`
    /// (a MAC-like id derived from the first camera's seed) in the axis profile.
    public var realm: String?
    /// `digestNonceTTL`: seconds a Digest nonce is accepted; then the client is told `stale=true`.
    public var digestNonceTTLSeconds = 300.0
    /// `rtsp`: answer RTSP on the same port as HTTP (the first bytes of a connection decide, as on
    /// a real tinyCam server). Default true.
    public var rtsp = true
    /// `rtspListen`: a listener of its own for RTSP only, as Axis cameras have on port 554 (some
    /// clients know no other). Default: none in the tinycam profile; in the axis profile, port 554
    /// on the `listen` host when it can be bound (a log line says so when it cannot); `off`: none.
    public var rtspListen = RTSPOwnListener.profileDefault
    /// `rtspSessionTimeout`: the `timeout=` of every RTSP `Session` header, the seconds a session
    /// lives without a keep-alive. Clients pace their keep-alives by it (the `axis` library sends
    /// one 5 s before it runs out, and only then notices a lost connection), so a shorter one makes
    /// such clients find a dropped stream sooner. Default 60, as Axis cameras and gst-rtsp-server.
    public var rtspSessionTimeoutSeconds = 60

    public init() {}
}

/// Which server Decoy is (`server.profile`).
public enum ServerProfile: String, Sendable, Equatable, CaseIterable {
    case tinycam, axis
}

/// The schemes a 401 challenge offers (`server.authChallenge`).
public enum AuthChallenge: String, Sendable, Equatable, CaseIterable {
    case basic, digest, both
}

/// `HOST:PORT`.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (all interfaces); nil when malformed.
    public init?(parsing text: String) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return nil
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            if hostPart.contains(":") { return nil }
        }
        guard let port = Int(decimal: portPart), (0...65535).contains(port), !(text.hasPrefix("[") && hostPart.isEmpty)
        else { return nil }
        self.host = hostPart.isEmpty ? "0.0.0.0" : String(hostPart)
        self.port = port
    }

    /// True for 127.0.0.0/8, `::1` and `localhost`: addresses no other machine can reach.
    public var isLoopback: Bool {
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127"
            && octets.allSatisfy { Int(decimal: $0).map { (0...255).contains($0) } ?? false }
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Who may do what: tinyCam knows exactly two roles.
public enum Role: String, Sendable, Equatable, CaseIterable {
    case guest, admin
}

/// One entry under `users:` (`name`, `password`, `role`).
public struct UserConfig: Sendable, Equatable {
    public var name: String
    public var password: String
    public var role: Role

    public init(name: String, password: String, role: Role) {
        self.name = name
        self.password = password
        self.role = role
    }
}

/// Where a camera's pictures come from: the synthetic scene, or a V4L2 capture device (a webcam)
/// named by `device`.
public enum CameraSource: String, Sendable, Equatable, CaseIterable {
    case synthetic
    case v4l2
}

/// `server.rtspListen`: whether RTSP gets a port of its own besides the HTTP one.
public enum RTSPOwnListener: Sendable, Equatable {
    /// The profile decides: port 554 in the axis profile (when it can be bound), none in tinycam.
    case profileDefault
    case off
    /// This address; failing to bind it stops the start.
    case at(ListenAddress)
}

/// The pixel format a `v4l2` camera asks its device for (`format`). `auto` takes the device's MJPEG
/// when it offers one (passed through to viewers without re-encoding), else YUYV, NV12, and
/// finally YU12, which libv4lconvert makes from anything it knows (RGB, Bayer, …).
public enum VideoCaptureFormat: String, Sendable, Equatable, CaseIterable {
    case auto, mjpeg, yuyv, nv12, yu12
}

/// One entry under `cameras:`.
///
/// Keys: `name`, `id`, `enabled`, `ptzCapabilities`, `audioListening`, `cloudAccess`, `source`,
/// `resolution` (`WxH`, the largest size served), `fps`, `movingObject` (a box crossing the picture),
/// `seed` (the synthetic scene's random seed), `motionDetection`, `recording`, `activity`, `cloudShare`, `audio`,
/// `keyframeInterval` (H.264 GOP in frames), and for `source: v4l2` `device` and `format`.
public struct CameraConfig: Sendable, Equatable {
    public var name: String
    public var id: Int64
    public var enabled: Bool
    public var ptzCapabilities: Int
    public var audioListening: Bool
    public var cloudAccess: Bool
    public var source: CameraSource
    public var resolution: PixelSize
    public var fps: Int
    public var movingObject: Bool
    public var seed: UInt64
    /// `motionDetection`: see `MotionDetectionConfig`.
    public var motionDetection = MotionDetectionConfig()
    /// `recording`: see `RecordingConfig`.
    public var recording = RecordingConfig()
    /// `activity`: something (a person, a vehicle, a pet) crosses the synthetic scene about once a minute.
    public var activity = false
    /// `cloudShare`: percent of events marked as uploaded to the cloud (`type=cloud`), on cameras
    /// with `cloudAccess`; default 50.
    public var cloudShare = 50
    /// `audio`: what `receive.wav` plays when `audioListening` is on; see `AudioConfig`.
    public var audio = AudioConfig()
    /// `device`, for `source: v4l2`: the capture device, a path such as `/dev/video0` or a stable
    /// `/dev/v4l/by-id/…` name (a bare `usb-…` name is looked up there). `resolution` and `fps` are
    /// what is asked of it.
    public var device: String?
    /// `format`, for `source: v4l2`: see `VideoCaptureFormat`; default `auto`.
    public var captureFormat = VideoCaptureFormat.auto
    /// `keyframeInterval`: frames from one H.264 IDR to the next on RTSP; nil (the default) is one
    /// second at the stream's rate. A longer GOP is what NVRs that buffer from a keyframe struggle with.
    public var keyframeInterval: Int?
    /// `io`: the virtual I/O ports; see `CameraIOConfig`.
    public var io = CameraIOConfig()

    public init(
        name: String, id: Int64, enabled: Bool = true, ptzCapabilities: Int = 0, audioListening: Bool = true,
        cloudAccess: Bool = false, source: CameraSource = .synthetic,
        resolution: PixelSize = PixelSize(width: 1280, height: 720), fps: Int = 15, movingObject: Bool = false,
        seed: UInt64? = nil
    ) {
        self.name = name
        self.id = id
        self.enabled = enabled
        self.ptzCapabilities = ptzCapabilities
        self.audioListening = audioListening
        self.cloudAccess = cloudAccess
        self.source = source
        self.resolution = resolution
        self.fps = fps
        self.movingObject = movingObject
        self.seed = seed ?? UInt64(bitPattern: id)
    }
}

/// Keys under `storage:`: `stateDir` (certificates, presets), `recordings` (the recordings folder,
/// default `<stateDir>/recordings`; never the state folder itself, whose TLS key `get_file` must
/// never reach), `maxSize` (bytes, or with a unit: `500MB`, `2GB`; default 2GB) and `maxAge`
/// (days, default 30) for retention, and `timeZone` (IANA name used for local times such as the
/// clock in the picture and recording names; default the host's).
public struct StorageConfig: Sendable, Equatable {
    public var stateDirectory: String?
    public var timeZone: String?
    public var recordingsDirectory: String?
    /// nil: no size limit.
    public var maxSizeBytes: Int64? = 2 * 1024 * 1024 * 1024
    /// nil: no age limit.
    public var maxAgeDays: Double? = 30

    public init(stateDirectory: String? = nil, timeZone: String? = nil) {
        self.stateDirectory = stateDirectory
        self.timeZone = timeZone
    }
}

/// Keys under `status:`: values `get_status` reports that a PC has no sensor for.
/// `batteryLevel` (0–100), `batteryStatus` (`charging`, `charged`, `discharging`, `not charging`, `unknown`),
/// `temperature` (°C, -1 = unavailable).
public struct StatusConfig: Sendable, Equatable {
    public var batteryLevel = 100
    public var batteryStatus = "charging"
    public var temperature = -1

    public init() {}

    public static let batteryStatuses = ["charging", "charged", "discharging", "not charging", "unknown"]
}

/// Decoy's own version, shown in the `Server` header and `--version`.
public enum DecoyVersion {
    public static let string = "0.1.0"
}
