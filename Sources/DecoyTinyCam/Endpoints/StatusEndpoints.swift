import DecoyCore

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

    /// Global status, or `{"motion": …}` of one camera with `cameraId`.
    static let status = Endpoint("/api/v1/get_status", access: .admin) { context in
        let services = context.services
        if let text = context.query["cameraId"], !text.isEmpty {
            let camera = try CameraSelector.camera(id: text, in: services.cameras, requireEnabled: false)
            return .json(.object([("motion", .bool(camera.isInMotion))]))
        }
        return .json(services.statusSampler.globalStatus(services))
    }
}

extension TinyCamServices {
    /// Names of cameras currently reporting motion.
    var motionCameraNames: [String] { cameras.cameras.filter(\.isInMotion).map(\.config.name) }
}
