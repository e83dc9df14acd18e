import DecoyMedia
import NIOConcurrencyHelpers

/// Where an event came from.
public enum EventOrigin: String, Sendable, Equatable {
    /// The camera's own motion detector.
    case detector
    /// `createmotion.cgi`, the official web UI's "trigger motion" button.
    case trigger
    /// The typed API (scenarios, the control API, seeding).
    case api
}

/// Identifies one active event of a camera, to end it early.
public struct EventHandle: Sendable, Hashable {
    public let camera: Int64
    public let number: UInt64
}

/// An event in progress on a camera.
public struct ActiveEvent: Sendable, Equatable {
    public var handle: EventHandle
    public var type: EventType
    public var origin: EventOrigin
    public var startMilliseconds: Int64
    /// When it ends by itself; nil until `end` is called.
    public var endMilliseconds: Int64?
    /// What the synthetic picture shows while it lasts.
    public var object: SceneObject?

    func isActive(at time: Int64) -> Bool {
        startMilliseconds <= time && endMilliseconds.map { time < $0 } ?? true
    }
}

/// The events in progress on one camera: what its `motion` flag, its picture and its recorder read.
///
/// One story for pixels, flags and recordings: every source (detector, `createmotion.cgi`,
/// scenarios) adds an `ActiveEvent` here; the flag is "any event active now", the picture draws the
/// events' objects, and the recorder records while anything is active. Expiry is computed from the
/// injected clock when asked, so nothing needs a timer.
public final class CameraActivity: Sendable {
    public let cameraID: Int64
    private let clock: any DecoyClock
    private let state = NIOLockedValueBox(State())

    private struct State {
        var events: [ActiveEvent] = []
        var nextNumber: UInt64 = 1
        /// The detector's verdict on the newest frame (percent of the picture that changed).
        var motionScore: (sequence: UInt64, percent: Double)?
    }

    public init(cameraID: Int64, clock: any DecoyClock) {
        self.cameraID = cameraID
        self.clock = clock
    }

    /// Starts an event now. `durationMilliseconds` nil lasts until `end`; `showObject` makes the
    /// synthetic picture show the matching object (a person for `person`, …; nothing for `audio`).
    @discardableResult
    public func begin(
        _ type: EventType, origin: EventOrigin, durationMilliseconds: Int64? = nil, showObject: Bool = false
    ) -> EventHandle {
        let now = clock.nowMilliseconds()
        return state.withLockedValue { state in
            let handle = EventHandle(camera: cameraID, number: state.nextNumber)
            state.nextNumber += 1
            let end = durationMilliseconds.map { now + max(1, $0) }
            let object = showObject ? Self.object(for: type, start: now, end: end, seed: handle.number) : nil
            state.events.removeAll { !$0.isActive(at: now) }
            state.events.append(
                ActiveEvent(
                    handle: handle, type: type, origin: origin, startMilliseconds: now, endMilliseconds: end,
                    object: object))
            return handle
        }
    }

    /// Ends an event now (no effect when it already ended).
    public func end(_ handle: EventHandle) {
        let now = clock.nowMilliseconds()
        state.withLockedValue { state in
            guard let index = state.events.firstIndex(where: { $0.handle == handle }) else { return }
            if state.events[index].endMilliseconds.map({ $0 > now }) ?? true {
                state.events[index].endMilliseconds = now
                if let object = state.events[index].object {
                    state.events[index].object?.durationMilliseconds = max(1, now - object.startMilliseconds)
                }
            }
        }
    }

    /// Ends every event of `origin` (all when nil).
    public func endAll(origin: EventOrigin? = nil) {
        let handles = state.withLockedValue { state in
            state.events.filter { origin == nil || $0.origin == origin }.map(\.handle)
        }
        handles.forEach(end)
    }

    /// The events active at `time`.
    public func active(at time: Int64) -> [ActiveEvent] {
        state.withLockedValue { $0.events.filter { $0.isActive(at: time) } }
    }

    public func isActive(at time: Int64) -> Bool {
        state.withLockedValue { $0.events.contains { $0.isActive(at: time) } }
    }

    /// The `motion` flag of `get_status` now.
    public var isActiveNow: Bool { isActive(at: clock.nowMilliseconds()) }

    /// Objects the picture shows at `time`.
    public func sceneObjects(at time: Int64) -> [SceneObject] {
        state.withLockedValue { state in
            state.events.compactMap { event in
                guard let object = event.object, object.isActive(atMilliseconds: time) else { return nil }
                return object
            }
        }
    }

    /// Notes how much of frame `sequence` changed (the motion detector), for the recorder's thumbnail.
    public func recordMotionScore(_ percent: Double, sequence: UInt64) {
        state.withLockedValue { $0.motionScore = (sequence, percent) }
    }

    /// What the detector said of frame `sequence`; nil when there is no detector or it did not see that frame.
    public func motionScore(sequence: UInt64) -> Double? {
        state.withLockedValue { state in
            guard let score = state.motionScore, score.sequence == sequence else { return nil }
            return score.percent
        }
    }

    /// The object shown for an event type; a plain `motion` event shows a person, a vehicle or a pet.
    static func object(for type: EventType, start: Int64, end: Int64?, seed: UInt64) -> SceneObject? {
        let kind: SceneObjectKind
        switch type {
        case .person: kind = .person
        case .vehicle: kind = .vehicle
        case .pet: kind = .pet
        case .face: kind = .face
        case .audio: return nil
        case .motion: kind = [.person, .vehicle, .pet][Int(seed % 3)]
        }
        // Open-ended events keep something moving until they end (see `end`).
        let duration = end.map { $0 - start } ?? Int64(365 * 86_400_000)
        return SceneObject(kind: kind, startMilliseconds: start, durationMilliseconds: duration, seed: seed)
    }
}
