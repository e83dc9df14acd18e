import DecoyCore

/// APIs of features this emulated camera does not have, answered as such a camera answers, so a
/// client probing them learns "not here" rather than failing: `/axis-cgi/mqtt/client.cgi` (the
/// MQTT client exists but is not active and cannot be configured: Decoy publishes no MQTT) and
/// `/axis-cgi/pirsensor.cgi` (no PIR sensor: an empty sensor list, and "Invalid sensor ID" for any
/// sensor). Neither is listed in `apidiscovery`, so the `axis` library treats both as unsupported.
enum AxisAbsentFeatureEndpoints {
    static let all = [mqttClient, pirSensor]

    static let mqttClient = Endpoint.axisJSON(
        "/axis-cgi/mqtt/client.cgi", access: .admin, latestVersion: "1.0"
    ) { request, _ throws(AxisJSONRequest.Failure) in
        switch request.method {
        case "getSupportedVersions":
            return request.supportedVersions(["1.0"])
        case "getClientStatus":
            try request.requireVersion(in: ["1.0"])
            return request.answer(
                version: "1.0",
                data: .object([
                    (
                        "status",
                        .object([("state", .string("inactive")), ("connectionStatus", .string("disconnected"))])
                    ),
                    (
                        "config",
                        .object([
                            (
                                "server",
                                .object([("host", .string("")), ("protocol", .string("tcp")), ("port", .int(1883))])
                            )
                        ])
                    ),
                ]))
        default:
            throw request.failure(
                2102,
                "Method not supported: '\(request.method)'; Decoy's MQTT client is not active (getClientStatus only)")
        }
    }

    static let pirSensor = Endpoint.axisJSON(
        "/axis-cgi/pirsensor.cgi", access: .admin, latestVersion: "1.0"
    ) { request, _ throws(AxisJSONRequest.Failure) in
        switch request.method {
        case "getSupportedVersions":
            return request.supportedVersions(["1.0"])
        case "listSensors":
            try request.requireVersion(in: ["1.0"])
            return request.answer(version: "1.0", data: .object([("sensors", .array([]))]))
        case "getSensitivity", "setSensitivity":
            throw request.failure(2200, "Invalid sensor ID: this camera has no PIR sensor")
        default:
            throw request.failure(2102, "Method not supported: '\(request.method)'")
        }
    }
}
