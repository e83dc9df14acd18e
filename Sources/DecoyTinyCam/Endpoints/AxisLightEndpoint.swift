import DecoyCore
import DecoyMedia

/// `/axis-cgi/lightcontrol.cgi` (Axis profile): VAPIX's Light control JSON API over the same LED
/// state tinyCam's `/axis-cgi/io/lightcontrol.cgi?action=L1:-100` sets, so either way of turning
/// it on is seen by the other, by the picture and by the `Light/Status` event.
///
/// Camera N's light is `led<N-1>`, listed for cameras with an LED capability. Decoy's LED is on,
/// off or automatic: `activateLight`/`deactivateLight` turn it on/off, `setAutomaticIntensityMode`
/// makes it automatic, a manual intensity above 0 turns it on (0 off); there is no dimming, so the
/// intensity reads 100 while on and 0 otherwise. Lights stay enabled (`disableLight` is refused).
enum AxisLightEndpoint {
    static let versions = ["1.0", "1.1"]

    static let endpoint = Endpoint.axisJSON(
        "/axis-cgi/lightcontrol.cgi", access: .admin, latestVersion: "1.1"
    ) { request, context throws(AxisJSONRequest.Failure) in
        let lights = context.services.cameras.cameras.filter { !$0.capabilities.intersection(ledBits).isEmpty }
        if request.method == "getSupportedVersions" {
            return request.supportedVersions(versions)
        }
        try request.requireVersion(in: ["1.1"])
        let version = request.apiVersion ?? "1.1"
        switch request.method {
        case "getLightInformation":
            return request.answer(version: version, data: .object([("items", .array(lights.map(information)))]))
        case "getServiceCapabilities":
            let automatic = lights.contains { $0.capabilities.contains(.ledAuto) }
            return request.answer(
                version: version,
                data: .object([
                    ("automaticIntensitySupport", .bool(automatic)), ("manualIntensitySupport", .bool(true)),
                    ("getCurrentIntensitySupport", .bool(true)), ("individualIntensitySupport", .bool(false)),
                    ("automaticAngleOfIlluminationSupport", .bool(false)),
                    ("manualAngleOfIlluminationSupport", .bool(false)), ("dayNightSynchronizeSupport", .bool(false)),
                ]))
        case "getLightStatus":
            let camera = try light(request, in: lights)
            return request.answer(version: version, data: .object([("status", .bool(camera.led == .on))]))
        case "activateLight":
            try set(.on, try light(request, in: lights), request)
        case "deactivateLight":
            try set(.off, try light(request, in: lights), request)
        case "enableLight":
            _ = try light(request, in: lights)
        case "disableLight":
            _ = try light(request, in: lights)
            throw request.failure(2104, "Invalid parameter value specified: Decoy's lights cannot be disabled")
        case "setAutomaticIntensityMode":
            let camera = try light(request, in: lights)
            guard let enabled = request.params["enabled"] as? Bool else {
                throw request.failure(2103, "Required parameter missing: params.enabled (true or false)")
            }
            if enabled {
                try set(.auto, camera, request)
            } else if camera.led == .auto {
                try set(.off, camera, request)
            }
        case "getValidIntensity":
            _ = try light(request, in: lights)
            return request.answer(
                version: version,
                data: .object([("ranges", .array([.object([("low", .int(0)), ("high", .int(100))])]))]))
        case "setManualIntensity":
            let camera = try light(request, in: lights)
            guard let intensity = request.params["intensity"] as? Int, (0...100).contains(intensity) else {
                throw request.failure(2104, "Invalid parameter value specified: params.intensity must be 0 to 100")
            }
            try set(intensity > 0 ? .on : .off, camera, request)
        case "getManualIntensity", "getCurrentIntensity":
            let camera = try light(request, in: lights)
            return request.answer(
                version: version, data: .object([("intensity", .int(camera.led == .on ? 100 : 0))]))
        default:
            throw request.failure(
                2102,
                "Method not supported: '\(request.method)'; Decoy answers getLightInformation, getServiceCapabilities, "
                    + "getLightStatus, activateLight, deactivateLight, enableLight, setAutomaticIntensityMode, "
                    + "getValidIntensity, setManualIntensity, getManualIntensity, getCurrentIntensity, getSupportedVersions"
            )
        }
        return request.answer(version: version, data: .object([]))
    }

    private static let ledBits: PTZCapabilities = [.ledOn, .ledOff, .ledAuto]

    static func lightID(_ camera: Camera) -> String { "led\(camera.index - 1)" }

    private static func information(_ camera: Camera) -> JSONValue {
        .object([
            ("lightID", .string(lightID(camera))), ("lightType", .string("IR")), ("enabled", .bool(true)),
            ("synchronizeDayNightMode", .bool(false)), ("lightState", .bool(camera.led == .on)),
            ("automaticIntensityMode", .bool(camera.led == .auto)), ("automaticAngleOfIlluminationMode", .bool(false)),
            ("nrOfLEDs", .int(1)), ("error", .bool(false)), ("errorInfo", .string("")),
        ])
    }

    private static func light(_ request: AxisJSONRequest, in lights: [Camera]) throws(AxisJSONRequest.Failure) -> Camera
    {
        guard let id = request.params["lightID"] as? String else {
            throw request.failure(2103, "Required parameter missing: params.lightID (one of \(ids(lights)))")
        }
        guard let camera = lights.first(where: { lightID($0) == id }) else {
            throw request.failure(2104, "Invalid parameter value specified: no light '\(id)' (lights: \(ids(lights)))")
        }
        return camera
    }

    private static func ids(_ lights: [Camera]) -> String {
        lights.isEmpty ? "none" : lights.map(lightID).joined(separator: ", ")
    }

    private static func set(
        _ mode: LEDMode, _ camera: Camera, _ request: AxisJSONRequest
    ) throws(AxisJSONRequest.Failure) {
        do throws(CameraCommandError) {
            try camera.setLED(mode)
        } catch {
            throw request.failure(2104, "Invalid parameter value specified: \(error.description)")
        }
    }
}
