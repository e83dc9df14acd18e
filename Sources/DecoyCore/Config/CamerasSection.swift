import DecoyMedia
import Yams

/// `cameras:`.
enum CamerasSection {
    static let keys = [
        "name", "id", "enabled", "ptzCapabilities", "audioListening", "cloudAccess", "source", "resolution", "fps",
        "movingObject", "seed", "motionDetection", "recording", "activity", "cloudShare", "audio", "device", "format",
        "keyframeInterval", "io",
    ]

    static func read(_ node: Node, reader: inout YAMLReader) -> [CameraConfig] {
        guard let items = reader.sequence(node, at: "cameras") else { return [] }
        var cameras: [CameraConfig] = []
        for (index, item) in items.enumerated() {
            if let camera = readCamera(item, path: "cameras[\(index)]", existing: cameras, reader: &reader) {
                cameras.append(camera)
            }
        }
        return cameras
    }

    private static func readCamera(
        _ item: Node, path: String, existing: [CameraConfig], reader: inout YAMLReader
    ) -> CameraConfig? {
        guard let map = reader.mapping(item, at: path, allowed: keys) else { return nil }
        guard let nameNode = map["name"], let name = reader.string(nameNode, at: "\(path).name"), !name.isEmpty else {
            reader.error("'\(path)' needs a non-empty 'name'", at: item)
            return nil
        }
        if !StorageRoot.isValidCameraFolder(name) {
            reader.error(
                "camera name '\(name)' cannot name its recordings folder: it must not contain '/', '\\' or NUL, "
                    + "be '.' or '..', start with '.', or exceed 255 bytes", at: nameNode)
        }
        guard let idNode = map["id"], let id = reader.integer(idNode, at: "\(path).id", in: 1...Int64.max) else {
            if map["id"] == nil { reader.error("'\(path)' needs an 'id' (a positive number, unique)", at: item) }
            return nil
        }
        if existing.contains(where: { $0.id == id }) { reader.error("camera id \(id) is used twice", at: idNode) }
        if existing.contains(where: { $0.name == name }) {
            reader.error("camera name '\(name)' is used twice", at: nameNode)
        }
        var camera = CameraConfig(name: name, id: id)
        if let node = map["enabled"], let value = reader.bool(node, at: "\(path).enabled") { camera.enabled = value }
        if let node = map["ptzCapabilities"],
            let value = reader.integer(node, at: "\(path).ptzCapabilities", in: 0...Int(Int32.max))
        {
            camera.ptzCapabilities = value
        }
        if let node = map["audioListening"], let value = reader.bool(node, at: "\(path).audioListening") {
            camera.audioListening = value
        }
        if let node = map["cloudAccess"], let value = reader.bool(node, at: "\(path).cloudAccess") {
            camera.cloudAccess = value
        }
        if let node = map["source"], let value = reader.choice(node, at: "\(path).source", as: CameraSource.self) {
            camera.source = value
        }
        if let node = map["resolution"], let size = reader.cameraResolution(node, at: "\(path).resolution") {
            camera.resolution = size
        }
        if let node = map["fps"], let value = reader.cameraFrameRate(node, at: "\(path).fps") { camera.fps = value }
        if let node = map["keyframeInterval"],
            let value = reader.integer(
                node, at: "\(path).keyframeInterval (frames from one H.264 IDR to the next)", in: 1...600)
        {
            camera.keyframeInterval = Int(value)
        }
        if let node = map["movingObject"], let value = reader.bool(node, at: "\(path).movingObject") {
            camera.movingObject = value
        }
        if let node = map["seed"], let value = reader.integer(node, at: "\(path).seed", in: 0...UInt64.max) {
            camera.seed = value
        }
        if let node = map["activity"], let value = reader.bool(node, at: "\(path).activity") { camera.activity = value }
        if let node = map["cloudShare"], let value = reader.integer(node, at: "\(path).cloudShare", in: 0...100) {
            camera.cloudShare = value
        }
        if let node = map["motionDetection"] {
            EventsSection.readMotion(
                node, at: "\(path).motionDetection", into: &camera.motionDetection, reader: &reader)
        }
        if let node = map["recording"] {
            EventsSection.readRecording(node, at: "\(path).recording", into: &camera.recording, reader: &reader)
        }
        if let node = map["audio"] {
            AudioSection.read(node, at: "\(path).audio", into: &camera.audio, reader: &reader)
        }
        if let node = map["io"] { readIO(node, at: "\(path).io", into: &camera.io, reader: &reader) }
        readDevice(map, item: item, at: path, into: &camera, reader: &reader)
        return camera
    }

    /// `device` and `format`: required and allowed only for `source: v4l2`.
    private static func readDevice(
        _ map: [String: Node], item: Node, at path: String, into camera: inout CameraConfig, reader: inout YAMLReader
    ) {
        let isDevice = camera.source == .v4l2
        if let node = map["device"], let value = reader.string(node, at: "\(path).device") {
            if !isDevice {
                reader.error(
                    "'\(path).device' is only for 'source: v4l2' (this camera is \(camera.source.rawValue)); "
                        + "add 'source: v4l2' or remove 'device'", at: node)
            } else if value.isEmpty || value.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "\0" }) {
                reader.error(
                    "'\(path).device' must be a V4L2 device such as /dev/video0 or /dev/v4l/by-id/usb-…-video-index0 "
                        + "(no spaces), got '\(value)'; 'decoy devices' lists them", at: node)
            } else {
                camera.device = value
            }
        } else if isDevice, map["device"] == nil {
            reader.error(
                "'\(path)' has 'source: v4l2' but no 'device': add e.g. 'device: /dev/video0' ('decoy devices' "
                    + "lists the capture devices)", at: map["source"] ?? item)
        }
        if let node = map["format"], let value = reader.choice(node, at: "\(path).format", as: VideoCaptureFormat.self)
        {
            if isDevice {
                camera.captureFormat = value
            } else {
                reader.error("'\(path).format' is only for 'source: v4l2'; remove it or add 'source: v4l2'", at: node)
            }
        }
    }
}

extension PixelSize {
    /// Parses `WxH` (digits only, e.g. `640x480`); nil otherwise.
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count <= 6 }), let width = Int(decimal: parts[0]),
            let height = Int(decimal: parts[1]), width >= 0, height >= 0
        else { return nil }
        self.init(width: width, height: height)
    }
}

extension YAMLReader {
    /// A camera's `resolution`: WxH with even sides from 64x48 to 3840x2160 (the config's, and a
    /// scenario's `camera` step's).
    public mutating func cameraResolution(_ node: Node, at path: String) -> PixelSize? {
        guard let text = string(node, at: path) else { return nil }
        if let size = PixelSize(parsing: text), (64...3840).contains(size.width), (48...2160).contains(size.height),
            size.width % 2 == 0, size.height % 2 == 0
        {
            return size
        }
        error("'\(path)' must be WxH with even sides from 64x48 to 3840x2160, got '\(text)'", at: node)
        return nil
    }

    /// A camera's `fps`: 1 to 60.
    public mutating func cameraFrameRate(_ node: Node, at path: String) -> Int? { integer(node, at: path, in: 1...60) }
}
