/// One recorded event as `get_cam_event_list` lists it: a complete clip (and usually its thumbnail).
public struct EventRecord: Sendable, Equatable {
    public let cameraID: Int64
    public let cameraName: String
    /// Start of the clip (pre-roll included), Unix milliseconds; unique across the whole index so
    /// exclusive-`endtime` paging never loses an event.
    public var time: Int64
    public var name: RecordingName { didSet { paths = Self.paths(cameraName, name, hasThumbnail) } }
    public var hasThumbnail: Bool { didSet { paths = Self.paths(cameraName, name, hasThumbnail) } }
    /// Bytes of the clip and its thumbnail (retention counts them).
    public var bytes: Int64
    /// Marked as uploaded to tinyCam's cloud (`type=cloud`); only on cameras with cloud access.
    public var cloud: Bool

    public init(
        cameraID: Int64, cameraName: String, time: Int64, name: RecordingName, hasThumbnail: Bool, bytes: Int64,
        cloud: Bool
    ) {
        self.cameraID = cameraID
        self.cameraName = cameraName
        self.time = time
        self.name = name
        self.hasThumbnail = hasThumbnail
        self.bytes = bytes
        self.cloud = cloud
        self.paths = Self.paths(cameraName, name, hasThumbnail)
    }

    /// The client paths, made once: a page of the event list names 100 of each.
    private var paths: (video: String, thumbnail: String?)

    private static func paths(
        _ camera: String, _ name: RecordingName, _ hasThumbnail: Bool
    )
        -> (video: String, thumbnail: String?)
    {
        let video = StorageRoot.clientPath(camera: camera, name: name.videoFileName)
        return (video, hasThumbnail ? video + ".jpg" : nil)
    }

    /// `duration` in the list: the name's whole seconds.
    public var durationMilliseconds: Int64 { Int64(name.seconds ?? 0) * 1000 }

    /// `/<camera>/<clip>`, what `get_file` and `param.cgi` take.
    public var videoPath: String { paths.video }

    /// `/<camera>/<clip>.jpg`, nil without a thumbnail.
    public var thumbnailPath: String? { paths.thumbnail }

    /// Equal when every stored fact is (the cached paths follow from them).
    public static func == (lhs: EventRecord, rhs: EventRecord) -> Bool {
        (lhs.cameraID, lhs.cameraName, lhs.time, lhs.name) == (rhs.cameraID, rhs.cameraName, rhs.time, rhs.name)
            && (lhs.hasThumbnail, lhs.bytes, lhs.cloud) == (rhs.hasThumbnail, rhs.bytes, rhs.cloud)
    }
}

/// What a `get_cam_event_list` request selects (docs/contract.md).
public struct EventQuery: Sendable, Equatable {
    /// Cameras to include (ids).
    public var cameras: Set<Int64>
    /// Exclusive upper bound on `time`; nil = now (everything).
    public var endTime: Int64?
    public var count: Int
    public var filter: EventFilter
    /// Only events marked as uploaded to the cloud (`type=cloud`).
    public var cloudOnly: Bool

    public init(
        cameras: Set<Int64>, endTime: Int64? = nil, count: Int = 100, filter: EventFilter = .all,
        cloudOnly: Bool = false
    ) {
        self.cameras = cameras
        self.endTime = endTime
        self.count = count
        self.filter = filter
        self.cloudOnly = cloudOnly
    }
}

/// `filter=`: everything, pinned clips, or one detection type.
public enum EventFilter: Sendable, Equatable {
    case all
    case pinned
    case type(EventType)

    func matches(_ record: EventRecord) -> Bool {
        switch self {
        case .all: true
        case .pinned: record.name.pinned
        case .type(let type): record.name.type == type
        }
    }
}
