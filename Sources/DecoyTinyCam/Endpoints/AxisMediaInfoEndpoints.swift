import DecoyCore

/// `/axis-cgi/streamprofile.cgi` (`list`) and `/axis-cgi/viewarea/info.cgi` (`list`): what a
/// client reads to offer stream choices and to learn each camera's picture.
///
/// Stream profiles are device-wide sets of media URL parameters: Decoy offers one per codec its
/// RTSP serves. Each camera is one view area covering its whole picture, not configurable.
enum AxisMediaInfoEndpoints {
    static let all = [streamProfiles, viewAreas]

    static let streamProfileVersion = "1.0"
    static let profiles: [(name: String, description: String, parameters: String)] = [
        ("H.264", "H.264 at the camera's native size and rate", "videocodec=h264"),
        ("MJPEG", "Motion JPEG at the camera's native size and rate", "videocodec=jpeg"),
    ]

    /// A media URL's `streamprofile=NAME` in the axis profile (what Home Assistant's Axis
    /// integration adds once a user picks a profile): the profile's parameters apply where the URL
    /// gives no value of its own, as on Axis firmware, where the URL's parameters override the
    /// profile's. An unknown profile is a 400 that names the ones there are.
    static func applyingStreamProfile(to query: QueryParameters) throws(APIError) -> QueryParameters {
        guard let name = query["streamprofile"], !name.isEmpty else { return query }
        guard let profile = profiles.first(where: { $0.name == name }) else {
            let names = profiles.map { "'\($0.name)'" }.joined(separator: " and ")
            throw .badRequest(
                "streamprofile '\(name)' does not exist; this camera has \(names) (streamprofile.cgi lists them)")
        }
        let defaults = (try? QueryParameters(parsing: Substring(profile.parameters)))?.pairs ?? []
        return QueryParameters(pairs: query.pairs + defaults.filter { !query.contains($0.name) })
    }

    static let streamProfiles = Endpoint.axisJSON(
        "/axis-cgi/streamprofile.cgi", access: .guest, latestVersion: streamProfileVersion
    ) { request, _ throws(AxisJSONRequest.Failure) in
        switch request.method {
        case "getSupportedVersions":
            return request.supportedVersions([streamProfileVersion])
        case "list":
            try request.requireVersion(in: [streamProfileVersion])
            let wanted = (request.params["streamProfileName"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            if let unknown = wanted?.first(where: { name in !profiles.contains { $0.name == name } }) {
                throw request.failure(2006, "The requested profile does not exist: '\(unknown)'")
            }
            let listed =
                wanted.map { names in names.isEmpty ? profiles : profiles.filter { names.contains($0.name) } }
                ?? profiles
            let items: [JSONValue] = listed.map { profile in
                .object([
                    ("name", .string(profile.name)), ("description", .string(profile.description)),
                    ("parameters", .string(profile.parameters)),
                ])
            }
            return request.answer(
                version: streamProfileVersion,
                data: .object([("maxProfiles", .int(Int64(profiles.count))), ("streamProfile", .array(items))]))
        default:
            throw request.failure(2005, "The method in the request is not supported: '\(request.method)'; use list")
        }
    }

    static let viewAreaVersion = "1.0"

    static let viewAreas = Endpoint.axisJSON(
        "/axis-cgi/viewarea/info.cgi", access: .guest, latestVersion: viewAreaVersion
    ) { request, context throws(AxisJSONRequest.Failure) in
        switch request.method {
        case "getSupportedVersions":
            return request.supportedVersions([viewAreaVersion])
        case "list":
            try request.requireVersion(in: [viewAreaVersion])
            let areas = context.services.cameras.cameras.map { camera in
                let size = camera.config.resolution
                let canvas = JSONValue.object([
                    ("horizontal", .int(Int64(size.width))), ("vertical", .int(Int64(size.height))),
                ])
                return JSONValue.object([
                    ("id", .int(Int64(camera.index))), ("source", .int(Int64(camera.index - 1))),
                    ("camera", .int(Int64(camera.index))), ("configurable", .bool(false)), ("canvasSize", canvas),
                    (
                        "rectangularGeometry",
                        .object([
                            ("horizontalOffset", .int(0)), ("horizontalSize", .int(Int64(size.width))),
                            ("verticalOffset", .int(0)), ("verticalSize", .int(Int64(size.height))),
                        ])
                    ),
                ])
            }
            return request.answer(version: viewAreaVersion, data: .object([("viewAreas", .array(areas))]))
        default:
            throw request.failure(2102, "Method not supported: '\(request.method)'; use list or getSupportedVersions")
        }
    }
}
