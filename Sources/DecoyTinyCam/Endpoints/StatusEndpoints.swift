import DecoyCore
import DecoyMedia

/// `/api/v1/get_cam_list` and `/api/v1/get_status`.
enum StatusEndpoints {
    static let all = [cameraList, status]

    /// Every configured camera, disabled ones included (the UI shows them as "(Disabled)").
    static let cameraList = Endpoint("/api/v1/get_cam_list", access: .guest) { context in
        .json(
            .array(
                context.services.cameras.cameras.map { camera in
                    let config = camera.config
                    return .object([
                        ("name", .string(config.name)), ("enabled", .bool(config.enabled)), ("id", .int(config.id)),
                        ("ptzCapabilities", .int(config.ptzCapabilities)),
                        ("audioListening", .bool(config.audioListening)), ("cloudAccess", .bool(config.cloudAccess)),
                    ])
                }))
    }

    /// Global status, or one camera's with `cameraId`: `motion` (the documented key, all that
    /// tinyCam's own clients read) and Decoy's additions for test authors and hobbyists, which
    /// clients ignore: `health` (live, offline, frozen, black, noSignal) and, for a camera whose
    /// sound comes from a capture device, `audio` (device, open, xruns, reopens, underruns, error).
    static let status = Endpoint("/api/v1/get_status", access: .admin) { context in
        let services = context.services
        if let text = context.query["cameraId"], !text.isEmpty {
            let camera = try CameraSelector.camera(id: text, in: services.cameras, requireEnabled: false)
            var members: [(String, JSONValue)] = [
                ("motion", .bool(camera.isInMotion)), ("health", .string(camera.health.rawValue)),
            ]
            if let audio = audioStatus(camera) { members.append(("audio", audio)) }
            return .json(.object(members))
        }
        return .json(services.statusSampler.globalStatus(services))
    }

    /// The capture device's counters; before anyone listened, the device is named and not open.
    private static func audioStatus(_ camera: Camera) -> JSONValue? {
        guard let hub = camera.audio, camera.config.audio.source == .alsa else { return nil }
        let health = hub.deviceHealth ?? AudioDeviceHealth(device: camera.config.audio.device ?? "")
        return .object([
            ("device", .string(health.device)), ("open", .bool(health.open)), ("xruns", .int(Int64(health.xruns))),
            ("reopens", .int(Int64(health.reopens))), ("underruns", .int(Int64(health.underruns))),
            ("error", health.lastError.map(JSONValue.string) ?? .null),
        ])
    }
}

extension TinyCamServices {
    /// Names of cameras currently reporting motion.
    var motionCameraNames: [String] { cameras.cameras.filter(\.isInMotion).map(\.config.name) }
}
