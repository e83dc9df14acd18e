import DecoyCore
import DecoyMedia
import DecoyTinyCam
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

/// The API with everything behind it, built the way `DecoyRuntime` builds it but without sockets.
final class Harness: Sendable {
    let api: TinyCamAPI
    let services: TinyCamServices
    let clock: ManualClock
    let control = RecordingControl()
    private let group: MultiThreadedEventLoopGroup

    /// `stateDirectory` gives the API a state folder, and with it a recordings folder
    /// (`<stateDirectory>/recordings` unless `storage.recordingsDirectory` says otherwise);
    /// without one, Decoy keeps no files.
    init(config: DecoyConfig, stateDirectory: URL? = nil) {
        clock = ManualClock()
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let cameras = CameraRegistry(config: config, clock: clock, mediaGroup: group, stateDirectory: stateDirectory)
        services = TinyCamServices(
            config: config, cameras: cameras, clock: clock, stateDirectory: stateDirectory?.path)
        api = TinyCamAPI(services: services)
    }

    func shutdown() async {
        services.cameras.shutdown()
        try? await group.shutdownGracefully()
    }

    /// Sends one request; an answer's effect is carried out on `control`, as the transport does.
    func send(
        _ target: String, method: String = "GET", headers: [(name: String, value: String)] = [],
        from address: String = "192.0.2.10"
    ) async -> TinyCamResponse {
        let response = await api.handle(
            TinyCamRequest(method: method, target: target, headers: headers, clientAddress: address))
        if response.effect == .restartServer { control.scheduleRestart() }
        return response
    }

    /// Sends one request with Basic credentials.
    func send(
        _ target: String, basic user: String, _ password: String, from address: String = "192.0.2.10"
    ) async
        -> TinyCamResponse
    {
        await send(target, headers: [("Authorization", basicHeader(user, password))], from: address)
    }

    /// A token issued the way `/api/v1/login` issues one.
    func token(for user: String = "admin", role: Role = .admin) -> String {
        services.authenticator.tokens.issue(user: user, role: role)
    }

    var frontYard: Camera { services.cameras.cameras[0] }
    var doorbell: Camera { services.cameras.cameras[1] }
}

/// Runs `body` against a fresh harness and shuts it down afterwards.
func withHarness(
    _ config: DecoyConfig = .testDefault, stateDirectory: URL? = nil, _ body: (Harness) async throws -> Void
) async throws {
    let harness = Harness(config: config, stateDirectory: stateDirectory)
    do {
        try await body(harness)
        await harness.shutdown()
    } catch {
        await harness.shutdown()
        throw error
    }
}

/// Counts the restarts `restart.cgi` answers ask for instead of restarting anything.
final class RecordingControl: ServerControl {
    private let count = NIOLockedValueBox(0)
    func scheduleRestart() { count.withLockedValue { $0 += 1 } }
    var restarts: Int { count.withLockedValue { $0 } }
}

func basicHeader(_ user: String, _ password: String) -> String {
    "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
}

extension DecoyConfig {
    /// The embedded default's users and camera list with small, slow cameras so frames are cheap, and
    /// without the sandbox's motion detection, recording and activity (tests turn those on themselves).
    static var testDefault: DecoyConfig {
        var config = DecoyConfig(cameras: DecoyConfig.defaultCameras)
        for index in config.cameras.indices {
            config.cameras[index].resolution = PixelSize(width: 320, height: 240)
            config.cameras[index].fps = 10
        }
        return config
    }

    func with(_ change: (inout DecoyConfig) -> Void) -> DecoyConfig {
        var copy = self
        change(&copy)
        return copy
    }
}

extension TinyCamResponse {
    var code: Int { status.code }

    /// The body as text (empty for a stream).
    var text: String { bodyBytes.map { String(buffer: $0) } ?? "" }

    var bytes: [UInt8] { bodyBytes.map { Array($0.readableBytesView) } ?? [] }

    /// The body parsed as JSON (nil if it is not JSON).
    var json: JSON? { try? JSON.parse(text) }

    /// The MJPEG request of a stream answer.
    var stream: MJPEGStreamRequest? {
        if case .mjpeg(let request) = body { return request }
        return nil
    }
}

/// A JSON value as parsed by the tests' own small parser, which keeps object keys in order so tests
/// can compare key lists, and tells integers, booleans and strings apart.
indirect enum JSON: Equatable, CustomStringConvertible {
    case object([Member])
    case array([JSON])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    struct Member: Equatable {
        let key: String
        let value: JSON
    }

    subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    subscript(index: Int) -> JSON? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    var keys: [String] {
        guard case .object(let members) = self else { return [] }
        return members.map(\.key)
    }

    var items: [JSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var int: Int64? {
        if case .number(let text) = self { return Int64(text) }
        return nil
    }

    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var description: String {
        switch self {
        case .object(let members): "{" + members.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .array(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .string(let text): "\"\(text)\""
        case .number(let text): text
        case .bool(let value): "\(value)"
        case .null: "null"
        }
    }

    struct SyntaxError: Error {
        let offset: Int
    }

    static func parse(_ text: String) throws -> JSON {
        var parser = Parser(bytes: Array(text.utf8))
        let value = try parser.value()
        parser.skipSpace()
        guard parser.position == parser.bytes.count else { throw SyntaxError(offset: parser.position) }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        mutating func skipSpace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        mutating func expect(_ byte: UInt8) throws {
            guard position < bytes.count, bytes[position] == byte else { throw SyntaxError(offset: position) }
            position += 1
        }

        mutating func literal(_ word: String) throws {
            for byte in word.utf8 { try expect(byte) }
        }

        mutating func value() throws -> JSON {
            skipSpace()
            guard position < bytes.count else { throw SyntaxError(offset: position) }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                var members: [Member] = []
                skipSpace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    return .object(members)
                }
                while true {
                    skipSpace()
                    let key = try string()
                    skipSpace()
                    try expect(UInt8(ascii: ":"))
                    members.append(Member(key: key, value: try value()))
                    skipSpace()
                    if position < bytes.count, bytes[position] == UInt8(ascii: ",") {
                        position += 1
                        continue
                    }
                    try expect(UInt8(ascii: "}"))
                    return .object(members)
                }
            case UInt8(ascii: "["):
                position += 1
                var items: [JSON] = []
                skipSpace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return .array(items)
                }
                while true {
                    items.append(try value())
                    skipSpace()
                    if position < bytes.count, bytes[position] == UInt8(ascii: ",") {
                        position += 1
                        continue
                    }
                    try expect(UInt8(ascii: "]"))
                    return .array(items)
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            default:
                let start = position
                while position < bytes.count, "-+.eE0123456789".utf8.contains(bytes[position]) { position += 1 }
                guard position > start else { throw SyntaxError(offset: position) }
                return .number(String(decoding: bytes[start..<position], as: UTF8.self))
            }
        }

        mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                raw.removeAll()
            }
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush()
                    guard position < bytes.count else { throw SyntaxError(offset: position) }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        guard position + 4 <= bytes.count,
                            let code = UInt32(
                                String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16),
                            let scalar = Unicode.Scalar(code)
                        else { throw SyntaxError(offset: position) }
                        position += 4
                        scalars.append(scalar)
                    default: throw SyntaxError(offset: position)
                    }
                default:
                    guard byte >= 0x20 else { throw SyntaxError(offset: position) }
                    raw.append(byte)
                }
            }
            throw SyntaxError(offset: position)
        }
    }
}

/// `text` with every whitespace character outside JSON strings removed (how a pretty-printed example
/// from the API document looks on the wire).
func compactJSON(_ text: String) -> String {
    var out = ""
    var inString = false
    var escaped = false
    for character in text {
        if inString {
            out.append(character)
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                inString = false
            }
        } else if character == "\"" {
            inString = true
            out.append(character)
        } else if !character.isWhitespace {
            out.append(character)
        }
    }
    return out
}
