import DecoyMedia
import Foundation
import NIOConcurrencyHelpers

/// PTZ server presets (`setserverpresetno`), per camera, kept in the state folder so they
/// survive restarts of Decoy just as they survive restarts of tinyCam.
public final class PresetStore: Sendable {
    /// Preset numbers tinyCam's UI offers are 1...9; Decoy accepts 1...`maximumNumber`.
    public static let maximumNumber = 100

    private let file: URL?
    private let presets: NIOLockedValueBox<[Int64: [Int: Viewport]]>

    /// `file` nil keeps presets in memory only (tests).
    public init(file: URL?) {
        self.file = file
        self.presets = NIOLockedValueBox(file.flatMap(Self.load) ?? [:])
    }

    public func preset(_ number: Int, camera: Int64) -> Viewport? {
        presets.withLockedValue { $0[camera]?[number] }
    }

    /// Saves `position` as preset `number` and writes the file (atomically).
    public func save(_ position: Viewport, as number: Int, camera: Int64) throws {
        let snapshot = presets.withLockedValue { all -> [Int64: [Int: Viewport]] in
            all[camera, default: [:]][number] = position
            return all
        }
        guard let file else { return }
        let encoded = snapshot.map { camera, byNumber in
            (String(camera), Dictionary(uniqueKeysWithValues: byNumber.map { (String($0.key), $0.value.fields) }))
        }
        let data = try JSONSerialization.data(
            withJSONObject: Dictionary(uniqueKeysWithValues: encoded), options: [.sortedKeys, .prettyPrinted])
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file, options: .atomic)
    }

    private static func load(_ file: URL) -> [Int64: [Int: Viewport]]? {
        guard let data = try? Data(contentsOf: file),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: [String: [String: Double]]]
        else { return nil }
        var result: [Int64: [Int: Viewport]] = [:]
        for (camera, byNumber) in root {
            guard let id = Int64(camera) else { continue }
            for (number, fields) in byNumber {
                if let number = Int(number), let view = Viewport(fields: fields) {
                    result[id, default: [:]][number] = view
                }
            }
        }
        return result
    }
}

extension Viewport {
    fileprivate var fields: [String: Double] {
        ["pan": pan, "tilt": tilt, "zoom": zoom, "focus": focus, "iris": iris]
    }

    fileprivate init?(fields: [String: Double]) {
        guard let pan = fields["pan"], let tilt = fields["tilt"], let zoom = fields["zoom"] else { return nil }
        self = .home
        self.pan = pan.clamped(to: PTZMotion.panRange)
        self.tilt = tilt.clamped(to: PTZMotion.tiltRange)
        self.zoom = zoom.clamped(to: PTZMotion.zoomRange)
        self.focus = (fields["focus"] ?? Viewport.home.focus).clamped(to: PTZMotion.unitRange)
        self.iris = (fields["iris"] ?? Viewport.home.iris).clamped(to: PTZMotion.unitRange)
    }
}
