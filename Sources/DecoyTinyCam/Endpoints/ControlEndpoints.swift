import DecoyCore
import DecoyMedia
import Logging
import NIOCore

private let ptzLogger = Logger(label: "decoy.ptz")

/// `/axis-cgi/com/ptz.cgi` and `/axis-cgi/io/lightcontrol.cgi`.
enum ControlEndpoints {
    static let all = [ptz, light]

    /// One or more PTZ commands; all are validated (syntax, then the camera's capabilities) before
    /// any is applied.
    static let ptz = Endpoint("/axis-cgi/com/ptz.cgi", access: .admin) { context in
        let camera = try CameraSelector.camera(from: context.query, in: context.services.cameras)
        let commands = try PTZRequest.commands(from: context.query)
        let outcome: PTZOutcome
        do throws(CameraCommandError) {
            outcome = try camera.apply(commands)
        } catch {
            throw error.apiError
        }
        for number in outcome.unsetPresets {
            ptzLogger.notice("camera '\(camera.config.name)': preset \(number) is not set; staying where it is")
        }
        // Axis cameras answer a PTZ command with 204; tinyCam with an empty 200 (docs/contract.md).
        return context.services.config.server.profile == .axis
            ? TinyCamResponse(status: .noContent, body: .bytes(ByteBuffer())) : .emptySuccess
    }

    /// `action=L1:-100` on, `L1:-0` off, `L1:-50` auto.
    static let light = Endpoint("/axis-cgi/io/lightcontrol.cgi", access: .admin) { context in
        let camera = try CameraSelector.camera(from: context.query, in: context.services.cameras)
        let modes: [String: LEDMode] = ["L1:-100": .on, "L1:-0": .off, "L1:-50": .auto]
        guard let action = context.query["action"] else {
            throw APIError.badRequest("missing action: L1:-100 (on), L1:-0 (off) or L1:-50 (auto)")
        }
        guard let mode = modes[action] else {
            throw APIError.badRequest("action must be L1:-100 (on), L1:-0 (off) or L1:-50 (auto), got '\(action)'")
        }
        do throws(CameraCommandError) {
            try camera.setLED(mode)
        } catch {
            throw error.apiError
        }
        return .emptySuccess
    }
}

extension CameraCommandError {
    var apiError: APIError {
        switch self {
        case .unsupported(let reason), .invalid(let reason): .badRequest(reason)
        case .failed(let reason): .internalError(reason)
        }
    }
}

/// Parses the commands of a `ptz.cgi` query, in query order.
enum PTZRequest {
    static let speedRange = -100...100

    static func commands(from query: QueryParameters) throws -> [PTZCommand] {
        var commands: [PTZCommand] = []
        var focusSeen = false
        var irisSeen = false
        for (name, value) in query.pairs {
            switch name {
            case "continuouspantiltmove":
                let parts = value.split(separator: ",", omittingEmptySubsequences: false)
                guard parts.count == 2, let pan = speed(parts[0]), let tilt = speed(parts[1]) else {
                    throw APIError.badRequest(
                        "continuouspantiltmove must be PAN,TILT with each from -100 to 100, got '\(value)'")
                }
                commands.append(.continuousPanTilt(pan: pan, tilt: tilt))
            case "continuouszoommove":
                commands.append(.continuousZoom(try single(name, value)))
            case "continuousfocusmove", "continuousfocusmmove":
                guard !focusSeen else { throw APIError.badRequest("give focus once (continuousfocusmove)") }
                focusSeen = true
                commands.append(.continuousFocus(try single(name, value)))
            case "continuousirismove", "continuousirismmove":
                guard !irisSeen else { throw APIError.badRequest("give iris once (continuousirismove)") }
                irisSeen = true
                commands.append(.continuousIris(try single(name, value)))
            case "move":
                guard value == "home" else { throw APIError.badRequest("move supports only 'home', got '\(value)'") }
                commands.append(.home)
            case "gotoserverpresetno":
                commands.append(.gotoPreset(try preset(name, value)))
            case "setserverpresetno":
                commands.append(.setPreset(try preset(name, value)))
            default:
                continue
            }
        }
        guard !commands.isEmpty else {
            throw APIError.badRequest(
                "no PTZ command: use continuouspantiltmove, continuouszoommove, continuousfocusmove, "
                    + "continuousirismove, move=home, gotoserverpresetno or setserverpresetno")
        }
        return commands
    }

    private static func speed(_ text: Substring) -> Int? {
        guard let value = Int(decimal: text), speedRange.contains(value) else { return nil }
        return value
    }

    private static func single(_ name: String, _ value: String) throws -> Int {
        guard let speed = speed(Substring(value)) else {
            throw APIError.badRequest("\(name) must be a whole number from -100 to 100, got '\(value)'")
        }
        return speed
    }

    private static func preset(_ name: String, _ value: String) throws -> Int {
        guard let number = Int(decimal: value), (1...PresetStore.maximumNumber).contains(number) else {
            throw APIError.badRequest(
                "\(name) must be a preset number from 1 to \(PresetStore.maximumNumber), got '\(value)'")
        }
        return number
    }
}
