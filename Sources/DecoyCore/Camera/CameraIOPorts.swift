import NIOConcurrencyHelpers

/// The live state of a camera's virtual I/O ports (`cameras[].io`): each input and output is
/// active or not. Inputs change by a scenario's `io` action, outputs by `io/port.cgi`; the Axis
/// event stream reports both.
public final class CameraIOPorts: Sendable {
    public let config: CameraIOConfig
    private let state: NIOLockedValueBox<(inputs: [Bool], outputs: [Bool])>

    public init(config: CameraIOConfig) {
        self.config = config
        state = NIOLockedValueBox(
            (Array(repeating: false, count: config.inputs.count), Array(repeating: false, count: config.outputs.count)))
    }

    /// Which input/output this is, by 0-based position.
    public enum Port: Sendable, Hashable {
        case input(Int)
        case output(Int)
    }

    /// Whether `port` is active now (false for a port the camera does not have).
    public func isActive(_ port: Port) -> Bool {
        state.withLockedValue { state in
            switch port {
            case .input(let index): state.inputs.indices.contains(index) && state.inputs[index]
            case .output(let index): state.outputs.indices.contains(index) && state.outputs[index]
            }
        }
    }

    /// Sets `port`; false when the camera has no such port.
    @discardableResult
    public func set(_ port: Port, active: Bool) -> Bool {
        state.withLockedValue { state in
            switch port {
            case .input(let index):
                guard state.inputs.indices.contains(index) else { return false }
                state.inputs[index] = active
            case .output(let index):
                guard state.outputs.indices.contains(index) else { return false }
                state.outputs[index] = active
            }
            return true
        }
    }

    /// The input named `name`, if any.
    public func input(named name: String) -> Port? { config.inputs.firstIndex(of: name).map { .input($0) } }
}
