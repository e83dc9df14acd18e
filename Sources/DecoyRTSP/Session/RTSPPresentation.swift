/// The URLs a presentation (one camera stream with its tracks) is controlled by, spelled the way
/// Axis cameras spell them.
///
/// An Axis camera answers DESCRIBE of `rtsp://host/axis-media/media.amp?videocodec=h264` with
/// `Content-Base: rtsp://host/axis-media/media.amp/`, a session-level `a=control:` of the request
/// URL itself, and per track `a=control:rtsp://host/axis-media/media.amp/stream=0?videocodec=h264`:
/// absolute URLs (no client has to resolve a relative one) with the track as a last path segment
/// (gst-rtsp-server's `stream=N`) and the query kept after it, so a SETUP still names the camera
/// and its parameters. The same spelling serves tinyCam's `?cameraId=` URLs.
public struct RTSPPresentation: Hashable, Sendable {
    /// `rtsp` or `rtsps`.
    public let scheme: String
    /// `host[:port]` as the client addressed the server (credentials never repeated back).
    public let authority: String
    /// The presentation's path, without a track segment or trailing slash.
    public let path: String
    public let query: String?

    public init(scheme: String, authority: String, path: String, query: String?) {
        self.scheme = scheme
        self.authority = authority
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        self.path = path
        self.query = query
    }

    /// Where the client's `Content-Base` points: the path with a trailing slash, no query (Axis).
    public var contentBase: String { "\(scheme)://\(authority)\(path)/" }

    /// The URL that controls every track at once (PLAY, PAUSE, TEARDOWN).
    public var aggregateControl: String { "\(scheme)://\(authority)\(path)\(querySuffix)" }

    /// The URL that sets up track `index` (its `a=control:` in the SDP).
    public func trackControl(_ index: Int) -> String {
        "\(scheme)://\(authority)\(path)/stream=\(index)\(querySuffix)"
    }

    /// True when `other` names this presentation. A query missing from `other` matches (a client
    /// that resolved a relative track URL against `Content-Base` loses it); a different one does not.
    public func includes(_ other: RTSPPresentation) -> Bool {
        path == other.path && (other.query == nil || other.query == query)
    }

    private var querySuffix: String { query.map { "?\($0)" } ?? "" }
}

/// What a request URL controls: a presentation as a whole (`track` nil) or one of its tracks.
public struct RTSPControlTarget: Hashable, Sendable {
    public let presentation: RTSPPresentation
    public let track: Int?

    public init(presentation: RTSPPresentation, track: Int?) {
        self.presentation = presentation
        self.track = track
    }

    /// Splits a track segment off `url`'s path: `…/stream=N` (what this server writes) and, from
    /// clients that rewrite URLs, `…/trackID=N`. `defaultAuthority` stands in for a bare-path
    /// target's missing host (the address the client connected to).
    public init(url: RTSPURL, defaultAuthority: String) {
        var path = Substring(url.path)
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        var track: Int?
        if let slash = path.lastIndex(of: "/"), let index = Self.trackIndex(path[path.index(after: slash)...]) {
            track = index
            path = slash == path.startIndex ? "/" : path[..<slash]
        }
        self.track = track
        self.presentation = RTSPPresentation(
            scheme: url.scheme ?? "rtsp", authority: url.authority ?? defaultAuthority, path: String(path),
            query: url.query)
    }

    private static func trackIndex(_ segment: Substring) -> Int? {
        for name in ["stream=", "trackID=", "trackid="] where segment.hasPrefix(name) {
            let digits = segment.dropFirst(name.count)
            guard (1...3).contains(digits.count), digits.allSatisfy(\.isASCIIDigit) else { return nil }
            return Int(digits)
        }
        return nil
    }
}
