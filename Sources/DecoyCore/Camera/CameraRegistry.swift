import Foundation
import NIOCore

/// The cameras Decoy serves, in `get_cam_list` order.
public final class CameraRegistry: Sendable {
    public let cameras: [Camera]
    public let presets: PresetStore

    /// Builds every configured camera; each camera's frames are made on one loop of `mediaGroup`
    /// (spread round-robin), never on a network loop.
    public init(
        config: DecoyConfig, clock: any DecoyClock, mediaGroup: any EventLoopGroup, stateDirectory: URL?
    ) {
        let presets = PresetStore(file: stateDirectory?.appendingPathComponent("ptz-presets.json"))
        let timeZone = LocalTimeZone(identifier: config.storage.timeZone)
        self.presets = presets
        self.cameras = config.cameras.enumerated().map { offset, camera in
            Camera(
                config: camera, index: offset + 1, clock: clock, presets: presets, timeZone: timeZone,
                mediaLoop: mediaGroup.next())
        }
    }

    public func camera(id: Int64) -> Camera? { cameras.first { $0.config.id == id } }

    /// `camera=N`: 1-based.
    public func camera(index: Int) -> Camera? {
        cameras.indices.contains(index - 1) ? cameras[index - 1] : nil
    }

    /// Stops every frame pipeline.
    public func shutdown() { cameras.forEach { $0.hub.shutdown() } }
}
