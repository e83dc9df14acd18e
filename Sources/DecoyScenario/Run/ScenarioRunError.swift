/// Why a run could not happen at all (as opposed to expectations failing): `decoy run` exits 2.
public enum ScenarioRunError: Error, Sendable, CustomStringConvertible {
    /// Decoy could not start (address in use, state folder, certificate).
    case startup(String)
    /// The client command could not be started.
    case client(String)

    public var description: String {
        switch self {
        case .startup(let message): "Decoy could not start: \(message)"
        case .client(let message): message
        }
    }
}
