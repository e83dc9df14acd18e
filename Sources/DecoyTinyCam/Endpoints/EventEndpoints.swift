import DecoyCore

/// `/api/v1/get_cam_event_list`, `/api/v1/get_file` and `/axis-cgi/motion/createmotion.cgi`
/// (docs/contract.md).
enum EventEndpoints {
    static let all = [eventList, file, createMotion]

    /// Newest first, `endtime` exclusive, so both official paging styles see every event once.
    static let eventList = Endpoint("/api/v1/get_cam_event_list", access: .guest) { context in
        let query = try EventListRequest.parse(context.query, cameras: context.services.cameras)
        let records = context.services.cameras.events?.list(query) ?? []
        return .json(.array(records.map(EventListRequest.json)))
    }

    /// An indexed clip or thumbnail, streamed from disk with ranges and validators.
    static let file = Endpoint("/api/v1/get_file", access: .guest) { context in
        guard let path = context.query["file"], !path.isEmpty else {
            throw APIError.badRequest("missing file (the video or image path from get_cam_event_list)")
        }
        let cameras = context.services.cameras
        guard let store = cameras.events, let record = store.record(forPath: path),
            cameras.camera(id: record.cameraID)?.config.enabled == true, let real = store.servableFile(clientPath: path)
        else {
            throw APIError.notFound("No such file.")
        }
        do {
            return try .file(
                atPath: real, contentType: TinyCamResponse.contentType(forFileName: path), request: context.request)
        } catch {
            throw APIError.notFound("No such file.")
        }
    }

    /// The official web UI's "trigger motion" button: a `motion` event of `events.triggerDuration`
    /// seconds, shown in the picture, flagged in `get_status` and recorded where recording is on.
    static let createMotion = Endpoint("/axis-cgi/motion/createmotion.cgi", access: .admin) { context in
        let services = context.services
        let camera = try CameraSelector.camera(from: context.query, in: services.cameras)
        let milliseconds = Int64(services.config.events.triggerDurationSeconds * 1000)
        camera.activity.begin(.motion, origin: .trigger, durationMilliseconds: milliseconds, showObject: true)
        services.recordAudit("motion triggered on '\(camera.config.name)' by \(context.principal.user)")
        return .emptySuccess
    }
}

/// The parameters of `get_cam_event_list`.
enum EventListRequest {
    /// `count` when absent (docs/contract.md).
    static let defaultCount = 100
    static let maximumCount = 100_000

    /// The official web UI sends the literal `undefined` for unset `cameraId` and `filter`.
    static func isAbsent(_ value: String?) -> Bool { value == nil || value == "" || value == "undefined" }

    static func parse(_ query: QueryParameters, cameras: CameraRegistry) throws -> EventQuery {
        let cloud: Bool
        switch query["type"] {
        case nil, "", "local": cloud = false
        case "cloud": cloud = true
        case let other?: throw APIError.badRequest("type must be local or cloud, got '\(other)'")
        }
        var selected: [Camera]
        let cameraID = query["cameraId"]
        if isAbsent(cameraID) || cameraID == "-1" {
            selected = cameras.cameras.filter(\.config.enabled)
            if cloud { selected = selected.filter(\.config.cloudAccess) }
        } else {
            let camera = try CameraSelector.camera(id: cameraID!, in: cameras, requireEnabled: true)
            if cloud && !camera.config.cloudAccess {
                throw APIError.badRequest("camera '\(camera.config.name)' has no cloud access (type=cloud)")
            }
            selected = [camera]
        }
        var endTime: Int64?
        if let text = query["endtime"], text != "", text != "-1" {
            guard let value = Int(decimal: text), value >= 0 else {
                throw APIError.badRequest("endtime must be Unix milliseconds (or -1 for now), got '\(text)'")
            }
            endTime = Int64(value)
        }
        var count = defaultCount
        if let text = query["count"], text != "" {
            guard let value = Int(decimal: text), (0...maximumCount).contains(value) else {
                throw APIError.badRequest("count must be a whole number from 0 to \(maximumCount), got '\(text)'")
            }
            count = value
        }
        let filter: EventFilter
        if isAbsent(query["filter"]) {
            filter = .all
        } else if query["filter"] == "pin" {
            filter = .pinned
        } else if let type = EventType(rawValue: query["filter"]!) {
            filter = .type(type)
        } else {
            let allowed = (["pin"] + EventType.allCases.map(\.rawValue)).joined(separator: ", ")
            throw APIError.badRequest("filter must be empty or one of \(allowed), got '\(query["filter"]!)'")
        }
        return EventQuery(
            cameras: Set(selected.map(\.config.id)), endTime: endTime, count: count, filter: filter, cloudOnly: cloud)
    }

    /// One event as the API document shows it: `time`, `duration`, `motion`, `video`, `image`.
    static func json(_ record: EventRecord) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("time", .int(record.time)), ("duration", .int(record.durationMilliseconds)),
        ]
        if let type = record.name.type { fields.append(("motion", .string(type.rawValue))) }
        fields.append(("video", .string(fileURL(record.videoPath))))
        if let thumbnail = record.thumbnailPath { fields.append(("image", .string(fileURL(thumbnail)))) }
        return .object(fields)
    }

    /// `/api/v1/get_file?file=<percent-encoded path>`: everything but unreserved characters and `/`
    /// is encoded, so names with spaces, `&`, `+`, `%` or non-ASCII letters round-trip.
    static func fileURL(_ clientPath: String) -> String {
        "/api/v1/get_file?file=" + percentEncoded(clientPath)
    }

    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
