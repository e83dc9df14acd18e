import DecoyCore

/// Resolves `camera=N` (1-based, in `get_cam_list` order) or `cameraId=<id>` (which wins when
/// both are given). Malformed → 400; unknown, out of range or disabled → 404 with the reason.
enum CameraSelector {
    static func camera(
        from query: QueryParameters, in registry: CameraRegistry, requireEnabled: Bool = true
    ) throws
        -> Camera
    {
        if let id = query["cameraId"], !id.isEmpty {
            return try camera(id: id, in: registry, requireEnabled: requireEnabled)
        }
        let count = registry.cameras.count
        var camera: Camera?
        if let text = query["camera"], !text.isEmpty {
            guard let index = Int(decimal: text) else {
                throw APIError.badRequest("camera must be a number from 1 to \(count), got '\(text)'")
            }
            camera = registry.camera(index: index)
            guard camera != nil else {
                throw APIError.notFound("No camera \(index): cameras are numbered 1 to \(count).")
            }
        } else {
            camera = registry.cameras.first
            guard camera != nil else { throw APIError.notFound("No cameras are configured.") }
        }
        return try checked(camera!, requireEnabled: requireEnabled)
    }

    static func camera(id text: String, in registry: CameraRegistry, requireEnabled: Bool) throws -> Camera {
        guard let id = Int(decimal: text).map(Int64.init) else {
            throw APIError.badRequest("cameraId must be a number, got '\(text)'")
        }
        guard let camera = registry.camera(id: id) else {
            throw APIError.notFound("No camera with id \(id) (see /api/v1/get_cam_list).")
        }
        return try checked(camera, requireEnabled: requireEnabled)
    }

    private static func checked(_ camera: Camera, requireEnabled: Bool) throws -> Camera {
        if requireEnabled && !camera.config.enabled {
            throw APIError.notFound("Camera '\(camera.config.name)' is disabled.")
        }
        return camera
    }
}
