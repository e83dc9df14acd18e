import DecoyMedia

/// Who gets a camera's frames: the subscribers of each variant and the observers of raw pictures.
///
/// Changed and used on the media loop only (the hub queues `subscribe`/`unsubscribe` there), so a
/// frame goes to exactly the subscribers present when it is delivered, with no lock per frame.
/// Delivery asks for each variant's frame once (`deliver(sequence:frameOf:)`), whatever the number
/// of its subscribers, and hands every one of them the same shared frame.
struct FrameFanOut {
    private var subscribers: [FrameVariant: [ObjectIdentifier: any FrameSubscriber]] = [:]
    private var observers: [ObjectIdentifier: any FrameObserver] = [:]
    /// The newest frame handed out: a frame is delivered once, and a tick with nothing new repeats nothing.
    private var delivered: UInt64 = 0

    /// Whether anyone needs frames (the hub then runs).
    var isWanted: Bool { !subscribers.isEmpty || !observers.isEmpty }

    var hasObservers: Bool { !observers.isEmpty }

    mutating func subscribe(_ subscriber: any FrameSubscriber, variant: FrameVariant) {
        subscribers[variant, default: [:]][ObjectIdentifier(subscriber)] = subscriber
    }

    mutating func unsubscribe(_ subscriber: any FrameSubscriber, variant: FrameVariant) {
        subscribers[variant]?[ObjectIdentifier(subscriber)] = nil
        if subscribers[variant]?.isEmpty == true { subscribers[variant] = nil }
    }

    mutating func addObserver(_ observer: any FrameObserver) { observers[ObjectIdentifier(observer)] = observer }

    mutating func removeObserver(_ observer: any FrameObserver) { observers[ObjectIdentifier(observer)] = nil }

    /// Forgets everyone (shutdown).
    mutating func removeAll() {
        subscribers.removeAll()
        observers.removeAll()
    }

    /// Shows frame `sequence` to the observers; `pixels` is asked only when there is one.
    func observe(sequence: UInt64, timeMilliseconds: Int64, pixels: () throws -> I420Image) rethrows {
        guard !observers.isEmpty else { return }
        let image = try pixels()
        for observer in observers.values {
            observer.observe(image, sequence: sequence, timeMilliseconds: timeMilliseconds)
        }
    }

    /// Hands frame `sequence` to every subscriber unless it was handed out already; `frameOf` makes
    /// the frame of one variant and is asked once per variant.
    mutating func deliver(sequence: UInt64, frameOf: (FrameVariant) throws -> EncodedFrame) rethrows {
        guard sequence > delivered else { return }
        delivered = sequence
        for (variant, group) in subscribers {
            let frame = try frameOf(variant)
            for subscriber in group.values { subscriber.deliver(frame) }
        }
    }

    /// Tells every subscriber the camera went offline (their streams end).
    func announceOffline() {
        for group in subscribers.values {
            for subscriber in group.values { subscriber.cameraWentOffline() }
        }
    }
}
