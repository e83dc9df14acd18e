import Yams

/// `cameras[].io`: the camera's virtual I/O ports, by name. Inputs are what a scenario's `io`
/// action sets (a door contact, a PIR wired to the camera); outputs are what a client sets with
/// `io/port.cgi` (a relay). Axis clients see them in `io/portmanagement.cgi` and as `tns1:Device`
/// port events. Default: none.
public struct CameraIOConfig: Sendable, Equatable {
    public var inputs: [String] = []
    public var outputs: [String] = []

    public init(inputs: [String] = [], outputs: [String] = []) {
        self.inputs = inputs
        self.outputs = outputs
    }

    /// At most this many ports of each kind per camera (Axis cameras have a handful).
    public static let maximumPorts = 16
}

extension CamerasSection {
    /// `io: {inputs: [names], outputs: [names]}`.
    static func readIO(_ node: Node, at path: String, into io: inout CameraIOConfig, reader: inout YAMLReader) {
        guard let map = reader.mapping(node, at: path, allowed: ["inputs", "outputs"]) else { return }
        if let inputs = map["inputs"] { io.inputs = readNames(inputs, at: "\(path).inputs", reader: &reader) }
        if let outputs = map["outputs"] { io.outputs = readNames(outputs, at: "\(path).outputs", reader: &reader) }
    }

    private static func readNames(_ node: Node, at path: String, reader: inout YAMLReader) -> [String] {
        guard let items = reader.sequence(node, at: path) else { return [] }
        var names: [String] = []
        for (index, item) in items.enumerated() {
            guard let name = reader.string(item, at: "\(path)[\(index)]") else { continue }
            if name.isEmpty || name.count > 64 || name.contains(where: \.isNewline) {
                reader.error("'\(path)[\(index)]' must be a port name of 1 to 64 characters on one line", at: item)
            } else if names.contains(name) {
                reader.error("port name '\(name)' is used twice in '\(path)'", at: item)
            } else {
                names.append(name)
            }
        }
        if names.count > CameraIOConfig.maximumPorts {
            reader.error("'\(path)' has \(names.count) ports; at most \(CameraIOConfig.maximumPorts)", at: node)
            return Array(names.prefix(CameraIOConfig.maximumPorts))
        }
        return names
    }
}
