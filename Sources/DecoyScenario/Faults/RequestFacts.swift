import DecoyTinyCam
import Foundation

/// What fault rules match on, read from a request once: the decoded path, the decoded
/// parameters, how it authenticates. Lenient like the journal (a query the API will reject still
/// has a path that can be faulted).
struct RequestFacts {
    let request: TinyCamRequest
    let path: String
    let parameters: [(name: String?, raw: Substring, value: String?)]
    let auth: AuthKind

    init(_ request: TinyCamRequest) {
        self.request = request
        path = Self.path(request)
        parameters = RequestRecord.rawParameters(request.rawQuery)
        auth = RequestRecord.authKind(parameters, request: request)
    }

    static func path(_ request: TinyCamRequest) -> String {
        (try? QueryParameters.decode(request.rawPath, what: "path", plusIsSpace: false)) ?? String(request.rawPath)
    }

    func parameter(_ name: String) -> String? { parameters.first { $0.name == name }?.value }

    /// The camera as the API resolves it: `cameraId=<id>` wins over `camera=<position>` (1-based).
    func cameraID(positions: [Int64]) -> Int64? {
        if let id = parameter("cameraId"), !id.isEmpty { return Int64(id) }
        guard let text = parameter("camera"), let position = Int(text), positions.indices.contains(position - 1)
        else { return nil }
        return positions[position - 1]
    }

    /// The user name of a Basic or Digest `Authorization` header.
    var headerUser: String? {
        guard let header = request.header("Authorization") else { return nil }
        let scheme = header.prefix(7).lowercased()
        if scheme.hasPrefix("basic ") {
            guard let data = Data(base64Encoded: header.dropFirst(6).trimmingCharacters(in: .whitespaces)),
                let text = String(validating: Array(data), as: UTF8.self), let colon = text.firstIndex(of: ":")
            else { return nil }
            return String(text[..<colon])
        }
        guard scheme == "digest ", let start = header.range(of: "username=\"") else { return nil }
        let rest = header[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
