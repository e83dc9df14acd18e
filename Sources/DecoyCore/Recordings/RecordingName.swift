/// The file name of one recording, exactly as tinyCam names them (docs/contract.md):
/// `<yyyy-MM-dd HH.mm.ss> <N>sec <type>.mp4`, pinned clips with `_pin` before the extension, and
/// the thumbnail as the same name plus `.jpg`. Legacy names without duration and type
/// (`2016-10-21 10.03.33.mp4`) are read too, as recordings without a detection type.
///
/// The name is the truth about a clip (the index is rebuilt from names at start), so parsing is
/// strict: anything else in a camera folder is not a recording.
public struct RecordingName: Sendable, Hashable, CustomStringConvertible {
    /// Local start time of the clip (pre-roll included), in the configured time zone.
    public var stamp: LocalStamp
    /// Whole seconds of video; nil for legacy names.
    public var seconds: Int?
    /// Detection type; nil for legacy names (clients then show "Recording").
    public var type: EventType?
    public var pinned: Bool

    public init(stamp: LocalStamp, seconds: Int?, type: EventType?, pinned: Bool = false) {
        self.stamp = stamp
        self.seconds = seconds
        self.type = type
        self.pinned = pinned
    }

    /// Parses a clip's file name (`….mp4`); nil for anything else, thumbnails included.
    public init?(videoFileName name: String) {
        guard name.hasSuffix(".mp4") else { return nil }
        var base = name.dropLast(4)
        let pinned = base.hasSuffix("_pin")
        if pinned { base = base.dropLast(4) }
        guard base.utf8.count >= 19, let stamp = LocalStamp(parsing: base.prefix(19)) else { return nil }
        let rest = base.dropFirst(19)
        if rest.isEmpty {
            self.init(stamp: stamp, seconds: nil, type: nil, pinned: pinned)
            return
        }
        let words = rest.split(separator: " ", omittingEmptySubsequences: false)
        let digits = words.count == 3 ? words[1].dropLast(3) : ""
        guard words.count == 3, words[0].isEmpty, words[1].hasSuffix("sec"),
            digits.utf8.allSatisfy({ (48...57).contains($0) }), let seconds = Int(decimal: digits), seconds <= 86_400,
            let type = EventType(rawValue: String(words[2]))
        else { return nil }
        self.init(stamp: stamp, seconds: seconds, type: type, pinned: pinned)
    }

    /// The clip's file name.
    public var videoFileName: String {
        var name = stamp.description
        if let seconds, let type { name += " \(seconds)sec \(type.rawValue)" }
        return name + (pinned ? "_pin" : "") + ".mp4"
    }

    /// The thumbnail's file name: the clip's plus `.jpg`.
    public var thumbnailFileName: String { videoFileName + ".jpg" }

    /// The same recording, pinned or not.
    public func pinned(_ value: Bool) -> RecordingName {
        var copy = self
        copy.pinned = value
        return copy
    }

    public var description: String { videoFileName }
}
