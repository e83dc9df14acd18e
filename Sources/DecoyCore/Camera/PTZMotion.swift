import DecoyMedia

/// One PTZ command of `ptz.cgi`, already validated.
public enum PTZCommand: Sendable, Equatable {
    /// Speeds -100...100: +pan = right, +tilt = up; `0,0` stops.
    case continuousPanTilt(pan: Int, tilt: Int)
    /// -100...100: + = zoom in; 0 stops.
    case continuousZoom(Int)
    /// -100...100: + = focus near (tinyCam's sign); 0 stops.
    case continuousFocus(Int)
    /// -100...100: + = open; 0 stops.
    case continuousIris(Int)
    case home
    case gotoPreset(Int)
    case setPreset(Int)

    /// The capability bit the command needs.
    public var requiredCapability: PTZCapabilities {
        switch self {
        case .continuousPanTilt: .continuousPanTilt
        case .continuousZoom: .continuousZoom
        case .continuousFocus: .continuousFocus
        case .continuousIris: .continuousIris
        case .home: .home
        case .gotoPreset, .setPreset: .presets
        }
    }
}

/// Continuous PTZ motion as a pure state machine: positions are integrated over the injected
/// clock's time at a speed proportional to the command value and clamped at the scene's limits.
///
/// Nothing ticks: the position at any instant is computed from the last command, so motion
/// costs nothing while nobody looks and is exact under a virtual clock.
public struct PTZMotion: Sendable, Equatable {
    /// Range units per second at speed 100, per axis: crossing each full range takes 4 s.
    public static let fullSpeed = (pan: 0.5, tilt: 0.5, zoom: 0.75, focus: 0.25, iris: 0.25)
    public static let panRange = -1.0...1.0
    public static let tiltRange = -1.0...1.0
    public static let zoomRange = 1.0...4.0
    public static let unitRange = 0.0...1.0

    /// Position when the last command was applied.
    public private(set) var anchor: Viewport
    /// Range units per second, per axis.
    public private(set) var velocity = (pan: 0.0, tilt: 0.0, zoom: 0.0, focus: 0.0, iris: 0.0)
    /// When `anchor` was taken (Unix ms).
    public private(set) var anchorTime: Int64

    public init(position: Viewport = .home, at time: Int64) {
        self.anchor = position
        self.anchorTime = time
    }

    /// Where the camera points at `time`.
    public func position(at time: Int64) -> Viewport {
        let seconds = Double(max(0, time - anchorTime)) / 1000
        var view = anchor
        view.pan = (anchor.pan + velocity.pan * seconds).clamped(to: Self.panRange)
        view.tilt = (anchor.tilt + velocity.tilt * seconds).clamped(to: Self.tiltRange)
        view.zoom = (anchor.zoom + velocity.zoom * seconds).clamped(to: Self.zoomRange)
        view.focus = (anchor.focus + velocity.focus * seconds).clamped(to: Self.unitRange)
        view.iris = (anchor.iris + velocity.iris * seconds).clamped(to: Self.unitRange)
        return view
    }

    /// True while any axis moves and has not reached its limit.
    public func isMoving(at time: Int64) -> Bool { position(at: time) != position(at: time + 1000) }

    /// Applies a motion command at `time`. Preset commands are resolved by the caller into `moveTo`.
    public mutating func apply(_ command: PTZCommand, at time: Int64) {
        settle(at: time)
        let speed = Self.fullSpeed
        switch command {
        case .continuousPanTilt(let pan, let tilt):
            velocity.pan = Double(pan) / 100 * speed.pan
            velocity.tilt = Double(tilt) / 100 * speed.tilt
        case .continuousZoom(let value): velocity.zoom = Double(value) / 100 * speed.zoom
        case .continuousFocus(let value): velocity.focus = Double(value) / 100 * speed.focus
        case .continuousIris(let value): velocity.iris = Double(value) / 100 * speed.iris
        case .home: moveTo(.home, at: time)
        case .gotoPreset, .setPreset: break
        }
    }

    /// Jumps to `position` and stops every axis (home and presets).
    public mutating func moveTo(_ position: Viewport, at time: Int64) {
        anchor = position
        anchorTime = time
        velocity = (0, 0, 0, 0, 0)
    }

    /// Folds the motion so far into the anchor.
    private mutating func settle(at time: Int64) {
        anchor = position(at: time)
        anchorTime = time
    }

    public static func == (lhs: PTZMotion, rhs: PTZMotion) -> Bool {
        lhs.anchor == rhs.anchor && lhs.anchorTime == rhs.anchorTime && lhs.velocity == rhs.velocity
    }
}

extension Double {
    func clamped(to range: ClosedRange<Double>) -> Double {
        Swift.min(Swift.max(self, range.lowerBound), range.upperBound)
    }
}
