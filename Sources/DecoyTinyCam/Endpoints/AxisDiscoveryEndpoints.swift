import DecoyCore

/// `/axis-cgi/basicdeviceinfo.cgi` and `/axis-cgi/apidiscovery.cgi` (Axis profile): the JSON APIs
/// VAPIX clients ask first, to learn what the device is and which APIs it has.
enum AxisDiscoveryEndpoints {
    static let all = [basicDeviceInfo, apiDiscovery]

    /// VAPIX Basic device information: `getAllProperties`, `getProperties`
    /// (`params.propertyList`: names), `getSupportedVersions`.
    static let basicDeviceInfo = Endpoint.axisJSON(
        "/axis-cgi/basicdeviceinfo.cgi", access: .guest, latestVersion: basicDeviceInfoVersion
    ) { request, context throws(AxisJSONRequest.Failure) in
        let properties = AxisDeviceIdentity(config: context.services.config).basicDeviceInfo
        switch request.method {
        case "getSupportedVersions":
            return request.answer(
                version: basicDeviceInfoVersion,
                data: .object([("apiVersions", .array([.string(basicDeviceInfoVersion)]))]))
        case "getAllProperties":
            try request.requireVersion(in: [basicDeviceInfoVersion])
            return request.answer(
                version: basicDeviceInfoVersion, data: .object([("propertyList", propertyList(properties))]))
        case "getProperties":
            try request.requireVersion(in: [basicDeviceInfoVersion])
            let known = properties.map(\.name)
            guard let names = request.params["propertyList"] as? [String], !names.isEmpty else {
                throw request.failure(
                    4002,
                    "Required parameter missing or invalid: params.propertyList (a list of names from "
                        + "\(known.joined(separator: ", ")))")
            }
            if let unknown = names.first(where: { !known.contains($0) }) {
                throw request.failure(
                    1000,
                    "Invalid parameter value specified: no property '\(unknown)'; use \(known.joined(separator: ", "))")
            }
            let chosen = names.compactMap { name in properties.first { $0.name == name } }
            return request.answer(
                version: basicDeviceInfoVersion, data: .object([("propertyList", propertyList(chosen))]))
        default:
            throw request.failure(
                2004,
                "Method not supported: '\(request.method)'; use getAllProperties, getProperties or getSupportedVersions"
            )
        }
    }

    /// VAPIX API Discovery: `getApiList` (the APIs Decoy implements, and no others) and
    /// `getSupportedVersions`.
    static let apiDiscovery = Endpoint.axisJSON(
        "/axis-cgi/apidiscovery.cgi", access: .guest, latestVersion: apiDiscoveryVersion
    ) { request, _ throws(AxisJSONRequest.Failure) in
        switch request.method {
        case "getSupportedVersions":
            return request.answer(
                version: apiDiscoveryVersion, data: .object([("apiVersions", .array([.string(apiDiscoveryVersion)]))]))
        case "getApiList":
            try request.requireVersion(in: [apiDiscoveryVersion])
            let list = listedAPIs.map { api in
                JSONValue.object([
                    ("id", .string(api.id)), ("version", .string(api.version)), ("name", .string(api.name)),
                    ("docLink", .string(api.docLink)),
                ])
            }
            return request.answer(version: apiDiscoveryVersion, data: .object([("apiList", .array(list))]))
        default:
            throw request.failure(
                2004, "Method not supported: '\(request.method)'; use getApiList or getSupportedVersions")
        }
    }

    static let basicDeviceInfoVersion = "1.1"
    static let apiDiscoveryVersion = "1.0"

    /// What `getApiList` lists: only the APIs Decoy answers in the Axis profile (the event
    /// WebSocket among them: Home Assistant prefers it to RTSP when listed). PTZ (`ptz.cgi`)
    /// and MJPEG are CGIs without an API Discovery id, so they are not listed.
    static let listedAPIs: [(id: String, version: String, name: String, docLink: String)] = [
        (
            "api-discovery", apiDiscoveryVersion, "API Discovery Service",
            "https://developer.axis.com/vapix/network-video/api-discovery-service/"
        ),
        (
            "basic-device-info", basicDeviceInfoVersion, "Basic Device Information",
            "https://developer.axis.com/vapix/network-video/basic-device-information/"
        ),
        (
            "event-streaming-over-websocket", "1.0", "Event streaming over WebSocket",
            "https://developer.axis.com/vapix/network-video/event-streaming-over-websocket/"
        ),
        (
            "io-port-management", AxisIOEndpoints.version, "IO Port Management",
            "https://developer.axis.com/vapix/network-video/io-port-management/"
        ),
        (
            "light-control", "1.1", "Light Control",
            "https://developer.axis.com/vapix/network-video/light-control/"
        ),
        (
            "param-cgi", "1.0", "Legacy Parameter Handling",
            "https://developer.axis.com/vapix/network-video/parameter-management/"
        ),
        (
            "stream-profiles", AxisMediaInfoEndpoints.streamProfileVersion, "Stream Profiles",
            "https://developer.axis.com/vapix/network-video/stream-profiles/"
        ),
        (
            "view-area", AxisMediaInfoEndpoints.viewAreaVersion, "View Area",
            "https://developer.axis.com/vapix/network-video/view-area/"
        ),
    ]

    private static func propertyList(_ properties: [(name: String, value: String)]) -> JSONValue {
        .object(properties.map { ($0.name, .string($0.value)) })
    }
}
