import DecoyCore

/// One virtual I/O port as Axis clients see it: a device-wide id (0, 1, …), its camera's port.
public struct AxisIOPort: Sendable {
    public enum Direction: String, Sendable {
        case input, output
    }

    /// The device-wide port id (`io/portmanagement.cgi`'s `port`, the events' `port` source).
    public let id: Int
    public let name: String
    public let direction: Direction
    public let camera: Camera
    /// The port on its camera.
    public let port: CameraIOPorts.Port

    public var isActive: Bool { camera.io.isActive(port) }

    /// Sets the port; the event stream reports the change at its next look.
    public func set(active: Bool) { camera.io.set(port, active: active) }
}

/// The device's ports, numbered across cameras in `cameras[]` order, each camera's inputs first.
public struct AxisIOPortList: Sendable {
    public let ports: [AxisIOPort]

    public init(cameras: CameraRegistry) {
        var ports: [AxisIOPort] = []
        for camera in cameras.cameras {
            for (index, name) in camera.config.io.inputs.enumerated() {
                ports.append(
                    AxisIOPort(id: ports.count, name: name, direction: .input, camera: camera, port: .input(index)))
            }
            for (index, name) in camera.config.io.outputs.enumerated() {
                ports.append(
                    AxisIOPort(id: ports.count, name: name, direction: .output, camera: camera, port: .output(index)))
            }
        }
        self.ports = ports
    }

    public func port(id: Int) -> AxisIOPort? { ports.indices.contains(id) ? ports[id] : nil }
}
