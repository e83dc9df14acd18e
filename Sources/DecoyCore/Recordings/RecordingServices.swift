/// What cameras need to record: the event store (the recordings folder) and the encoder program.
public struct RecordingServices: Sendable {
    public let store: EventStore
    /// Path of the `ffmpeg` program (see `ClipEncoder`).
    public let encoderPath: String

    public init(store: EventStore, encoderPath: String) {
        self.store = store
        self.encoderPath = encoderPath
    }

    /// The `ffmpeg` on `PATH`, or nil when it is not installed (recording then stays off, said in the log).
    public static func locateEncoder() -> String? { ClipEncoder.locate() }
}
