import DecoyCore
import DecoyMedia

/// The VAPIX parameter tree `/axis-cgi/param.cgi?action=list` reports, built from the configured
/// cameras: `root.Brand`, `root.Properties`, `root.Image`, `root.PTZ` (when a camera has PTZ),
/// `root.Input`, `root.Output`, `root.StreamProfile`.
///
/// Names and value formats follow VAPIX parameter management and what the `axis` library
/// (`axis==60`, `models/parameters/*.py`) requires: it raises on a missing required key, e.g.
/// `Properties.API.Metadata.Version` or `PTZ.CamPorts`, so each of those is present. Only what
/// Decoy really does is claimed: no audio (`receive.wav` is not Axis's `receive.cgi`), no motion
/// windows, no stream profiles, no I/O ports.
struct AxisParameters: Sendable {
    /// Every parameter, full names (`root.Brand.Brand`), in listing order.
    let all: [(name: String, value: String)]

    init(config: DecoyConfig) {
        let identity = AxisDeviceIdentity(config: config)
        let cameras = config.cameras
        all =
            Self.brand(identity) + Self.properties(identity, config: config) + Self.image(cameras)
            + Self.ptz(cameras) + [
                ("root.Input.NbrOfInputs", "0"), ("root.Output.NbrOfOutputs", "0"),
                ("root.StreamProfile.MaxGroups", "0"),
            ]
    }

    /// The parameters of one group (`root.Brand`, `Brand`, `root.Image.I0`, or one parameter's
    /// full name); nil when nothing is in it, which Axis reports as an error line.
    func group(_ name: String) -> [(name: String, value: String)]? {
        let full = name == "root" || name.hasPrefix("root.") ? name : "root." + name
        let prefix = full + "."
        let found = all.filter { $0.name == full || $0.name.hasPrefix(prefix) }
        return found.isEmpty ? nil : found
    }

    private static func brand(_ identity: AxisDeviceIdentity) -> [(name: String, value: String)] {
        [
            ("Brand", identity.brand), ("ProdFullName", identity.productFullName),
            ("ProdNbr", identity.productNumber), ("ProdShortName", identity.productShortName),
            ("ProdType", identity.productType), ("ProdVariant", identity.productVariant), ("WebURL", identity.webURL),
        ].map { ("root.Brand." + $0.0, $0.1) }
    }

    private static func properties(
        _ identity: AxisDeviceIdentity, config: DecoyConfig
    ) -> [(name: String, value: String)] {
        let hasPTZ = config.cameras.contains { !axisPTZ(of: $0).isEmpty }
        let properties: [(String, String)] = [
            ("API.HTTP.AdminPath", "/"), ("API.HTTP.Version", "3"), ("API.Metadata.Metadata", "no"),
            ("API.Metadata.Version", "1.0"), ("ApiDiscovery.ApiDiscovery", "yes"), ("Audio.Audio", "no"),
            // The ACAP platform version: 1.20 or newer tells the `axis` library to list applications (VMD).
            ("BasicDeviceInfo.BasicDeviceInfo", "yes"), ("EmbeddedDevelopment.Version", "3.0"),
            ("Firmware.BuildDate", identity.buildDate),
            ("Firmware.BuildNumber", identity.firmwareBuildNumber), ("Firmware.Version", identity.firmwareVersion),
            ("HTTPS.HTTPS", yesNo(config.server.https)), ("Image.Format", "jpeg,mjpeg"),
            ("Image.NbrOfViews", String(config.cameras.count)),
            ("Image.Resolution", resolutions(config.cameras).map(\.description).joined(separator: ",")),
            ("Image.Rotation", "0"), ("Motion.Motion", "no"), ("PTZ.DigitalPTZ", "no"), ("PTZ.PTZ", yesNo(hasPTZ)),
            ("System.Architecture", identity.architecture), ("System.HardwareID", identity.hardwareID),
            ("System.Language", "English"), ("System.LanguageType", "default"),
            ("System.SerialNumber", identity.serialNumber), ("System.Soc", identity.soc),
        ]
        return properties.map { ("root.Properties." + $0.0, $0.1) }
    }

    /// Common sizes Axis cameras list, offered when they fit inside some camera (Decoy never upscales).
    private static let commonSizes = [
        (1920, 1080), (1280, 960), (1280, 720), (1024, 768), (1024, 576), (800, 600), (800, 450), (640, 480),
        (640, 360), (480, 270), (320, 240), (320, 180), (160, 120), (160, 90),
    ].map { PixelSize(width: $0.0, height: $0.1) }

    /// Every camera's own size and the common sizes that fit inside at least one camera, largest first.
    static func resolutions(_ cameras: [CameraConfig]) -> [PixelSize] {
        let native = cameras.map(\.resolution)
        let fitting = commonSizes.filter { size in
            native.contains { size.width <= $0.width && size.height <= $0.height }
        }
        var seen = Set<PixelSize>()
        return (native + fitting).filter { seen.insert($0).inserted }
            .sorted { ($0.width, $0.height) > ($1.width, $1.height) }
    }

    /// `root.Image.I<n>`: one video channel per configured camera, in `camera=N` order (I0 is camera 1).
    private static func image(_ cameras: [CameraConfig]) -> [(name: String, value: String)] {
        var lines: [(name: String, value: String)] = [("root.Image.RFCCompliantMultipartEnabled", "yes")]
        for (index, camera) in cameras.enumerated() {
            let channel: [(String, String)] = [
                ("Enabled", yesNo(camera.enabled)), ("Name", singleLine(camera.name)), ("Source", String(index)),
                ("Appearance.ColorEnabled", "yes"), ("Appearance.Compression", "30"),
                ("Appearance.MirrorEnabled", "no"), ("Appearance.Resolution", camera.resolution.description),
                ("Appearance.Rotation", "0"), ("Stream.Duration", "0"), ("Stream.FPS", String(camera.fps)),
                ("Stream.NbrOfFrames", "0"),
            ]
            lines += channel.map { ("root.Image.I\(index)." + $0.0, $0.1) }
        }
        return lines
    }

    /// The capabilities Decoy's `ptz.cgi` carries out for a camera (the ones VAPIX can describe).
    static func axisPTZ(of camera: CameraConfig) -> PTZCapabilities {
        PTZCapabilities(rawValue: camera.ptzCapabilities).intersection([
            .continuousPanTilt, .continuousZoom, .continuousFocus, .continuousIris, .home, .presets,
        ])
    }

    /// `root.PTZ`, only when some camera has PTZ. Channels are 1-based (`S1`, `V1`, `Cam1Port`)
    /// except `ImageSource.I0`, as on Axis devices.
    private static func ptz(_ cameras: [CameraConfig]) -> [(name: String, value: String)] {
        guard cameras.contains(where: { !axisPTZ(of: $0).isEmpty }) else { return [] }
        var lines: [(String, String)] = [
            ("BoaProtPTZOperator", "password"), ("CameraDefault", "1"), ("NbrOfCameras", String(cameras.count)),
            ("NbrOfSerPorts", "0"),
        ]
        for (index, camera) in cameras.enumerated() where !axisPTZ(of: camera).isEmpty {
            lines.append(("CamPorts.Cam\(index + 1)Port", String(index + 1)))
        }
        for (index, camera) in cameras.enumerated() {
            lines.append(("ImageSource.I\(index).PTZEnabled", trueFalse(!axisPTZ(of: camera).isEmpty)))
        }
        for (index, camera) in cameras.enumerated() {
            let capabilities = axisPTZ(of: camera)
            guard !capabilities.isEmpty else { continue }
            lines += support(capabilities).map { ("Support.S\(index + 1)." + $0.0, $0.1) }
            lines += various(capabilities).map { ("Various.V\(index + 1)." + $0.0, $0.1) }
        }
        return lines.map { ("root.PTZ." + $0.0, $0.1) }
    }

    /// `PTZ.Support.S<n>`: all 35 keys the library requires, true only for what `ptz.cgi` does.
    private static func support(_ capabilities: PTZCapabilities) -> [(String, String)] {
        let supported: [String: Bool] = [
            "ContinuousFocus": capabilities.contains(.continuousFocus),
            "ContinuousIris": capabilities.contains(.continuousIris),
            "ContinuousPan": capabilities.contains(.continuousPanTilt),
            "ContinuousTilt": capabilities.contains(.continuousPanTilt),
            "ContinuousZoom": capabilities.contains(.continuousZoom), "ServerPreset": capabilities.contains(.presets),
        ]
        let keys = [
            "AbsoluteBrightness", "AbsoluteFocus", "AbsoluteIris", "AbsolutePan", "AbsoluteTilt", "AbsoluteZoom",
            "ActionNotification", "AreaZoom", "AutoFocus", "AutoIrCutFilter", "AutoIris", "Auxiliary", "BackLight",
            "ContinuousBrightness", "ContinuousFocus", "ContinuousIris", "ContinuousPan", "ContinuousTilt",
            "ContinuousZoom", "DevicePreset", "DigitalZoom", "GenericHTTP", "IrCutFilter", "JoyStickEmulation",
            "LensOffset", "OSDMenu", "ProportionalSpeed", "RelativeBrightness", "RelativeFocus", "RelativeIris",
            "RelativePan", "RelativeTilt", "RelativeZoom", "ServerPreset", "SpeedCtl",
        ]
        return keys.map { ($0, trueFalse(supported[$0] ?? false)) }
    }

    /// `PTZ.Various.V<n>`: queueing off, and which moves are enabled.
    private static func various(_ capabilities: PTZCapabilities) -> [(String, String)] {
        [
            ("CtlQueueing", "false"), ("CtlQueueLimit", "20"), ("CtlQueuePollTime", "20"),
            ("FocusEnabled", trueFalse(capabilities.contains(.continuousFocus))),
            ("HomePresetSet", trueFalse(capabilities.contains(.home))),
            ("IrisEnabled", trueFalse(capabilities.contains(.continuousIris))), ("Locked", "false"),
            ("PanEnabled", trueFalse(capabilities.contains(.continuousPanTilt))),
            ("ProportionalSpeedEnabled", "false"), ("ReturnToOverview", "0"), ("SpeedCtlEnabled", "false"),
            ("TiltEnabled", trueFalse(capabilities.contains(.continuousPanTilt))),
            ("ZoomEnabled", trueFalse(capabilities.contains(.continuousZoom))),
        ]
    }

    private static func yesNo(_ value: Bool) -> String { value ? "yes" : "no" }
    private static func trueFalse(_ value: Bool) -> String { value ? "true" : "false" }

    /// A value on one line: a line break would start a bogus parameter.
    private static func singleLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
