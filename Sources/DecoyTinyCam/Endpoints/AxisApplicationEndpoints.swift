import DecoyCore
import NIOCore

/// `/axis-cgi/applications/list.cgi` and `/local/vmd/control.cgi`: the camera runs one ACAP
/// application, AXIS Video Motion Detection (VMD 4), whose profile 1 per camera is what the
/// `CameraNProfile1` motion topic reports. Decoy's detector and events stand behind it; its
/// configuration is read-only.
enum AxisApplicationEndpoints {
    static let all = [list, vmdControl]

    /// The installed applications, as ACAP's XML reply.
    static let list = Endpoint("/axis-cgi/applications/list.cgi", access: .guest) { _ in
        let xml =
            "<reply result=\"ok\">\n <application Name=\"vmd\" NiceName=\"AXIS Video Motion Detection\" "
            + "Vendor=\"Axis Communications\" Version=\"4.5-1\" ApplicationID=\"143440\" License=\"None\" "
            + "Status=\"Running\" ConfigurationPage=\"local/vmd/config.html\" VendorHomePage=\"http://www.axis.com\" />\n"
            + "</reply>\n"
        return TinyCamResponse(
            status: .ok, headers: [("Content-Type", "text/xml")], body: .bytes(ByteBuffer(string: xml)))
    }

    static let vmdVersion = "1.2"

    /// VMD 4's JSON API: `getConfiguration` (one active profile per camera, the whole picture).
    static let vmdControl = Endpoint.axisJSON(
        "/local/vmd/control.cgi", access: .guest, latestVersion: vmdVersion
    ) { request, context throws(AxisJSONRequest.Failure) in
        switch request.method {
        case "getSupportedVersions":
            return request.supportedVersions([vmdVersion])
        case "getConfiguration":
            try request.requireVersion(in: [vmdVersion])
            let cameras = context.services.cameras.cameras
            return request.answer(
                version: vmdVersion,
                data: .object([
                    ("cameras", .array(cameras.map(cameraEntry))), ("configurationStatus", .int(2)),
                    ("profiles", .array(cameras.map(profile))),
                ]))
        default:
            throw request.failure(
                2102, "Method not supported: '\(request.method)'; this VMD answers getConfiguration (read-only)")
        }
    }

    private static func cameraEntry(_ camera: Camera) -> JSONValue {
        .object([("id", .int(Int64(camera.index))), ("rotation", .int(0)), ("active", .bool(true))])
    }

    /// Profile 1 of a camera: the whole picture (VMD's corners are -1…1), no filters.
    private static func profile(_ camera: Camera) -> JSONValue {
        let corners: [JSONValue] = [[-1, -1], [1, -1], [1, 1], [-1, 1]].map { point in
            JSONValue.array(point.map { JSONValue.int(Int64($0)) })
        }
        let trigger = JSONValue.object([("type", .string("includeArea")), ("data", .array(corners))])
        return .object([
            ("filters", .array([])), ("camera", .int(Int64(camera.index))), ("triggers", .array([trigger])),
            ("name", .string("Profile 1")), ("uid", .int(Int64(camera.index))),
        ])
    }
}
