import DecoyCore
import Foundation
import NIOCore

/// The envelope shared by VAPIX's JSON APIs (`basicdeviceinfo.cgi`, `apidiscovery.cgi`): a POST
/// of `{"apiVersion":"1.1","context":"…","method":"…","params":{…}}`, answered with status 200
/// and either `"data"` or `"error":{"code":…,"message":…}`, echoing `apiVersion`, `context`
/// (only when given) and `method`.
///
/// Error codes are the ones VAPIX documents and the `axis` library lists (`error_codes` in
/// `models/basic_device_info.py` and `models/api_discovery.py`).
struct AxisJSONRequest {
    let apiVersion: String?
    let context: String?
    let method: String
    let params: [String: Any]
    /// `params` when it is a list (I/O port management's `setPorts` sends its ports so).
    let paramList: [[String: Any]]?

    /// One failure, as VAPIX reports it.
    struct Failure: Error {
        let code: Int
        let message: String
        /// What to echo back of the request (it may have failed before being read).
        var apiVersion: String?
        var context: String?
        var method: String?

        static func invalidJSON(_ why: String) -> Failure {
            Failure(code: 4000, message: "Invalid JSON: \(why)")
        }
    }

    /// Reads the request; VAPIX JSON APIs take POST only.
    init(_ request: TinyCamRequest) throws(Failure) {
        guard request.method == "POST" else {
            throw Failure(
                code: 2002,
                message:
                    "HTTP request type not supported. Only POST is supported (send the JSON request as a POST body)"
            )
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(request.body))
        } catch {
            throw .invalidJSON(request.body.isEmpty ? "the body is empty" : "the body is not valid JSON")
        }
        guard let fields = object as? [String: Any] else { throw .invalidJSON("the body must be a JSON object") }
        apiVersion = fields["apiVersion"] as? String
        context = fields["context"] as? String
        guard let method = fields["method"] as? String else {
            throw Failure(
                code: 4002, message: "Required parameter missing or invalid: method (a string)",
                apiVersion: apiVersion, context: context)
        }
        self.method = method
        params = fields["params"] as? [String: Any] ?? [:]
        paramList = fields["params"] as? [[String: Any]]
    }

    /// Checks `apiVersion` against the versions an API implements: the major version must be
    /// one of them and the minor no newer (VAPIX minor versions are backwards compatible).
    func requireVersion(in supported: [String]) throws(Failure) {
        guard let apiVersion else {
            throw failure(
                4002, "Required parameter missing or invalid: apiVersion (one of \(supported.joined(separator: ", ")))")
        }
        let asked = apiVersion.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        let ok = supported.contains { version in
            let have = version.split(separator: ".").compactMap { Int($0) }
            guard let major = asked.first ?? nil, major == have[0], asked.count <= 2 else { return false }
            guard asked.count == 2 else { return true }
            guard let minor = asked[1] else { return false }
            return minor <= have[1]
        }
        guard ok else {
            throw failure(
                2003,
                "Requested API version is not supported: '\(apiVersion)' (supported: \(supported.joined(separator: ", ")))"
            )
        }
    }

    func failure(_ code: Int, _ message: String) -> Failure {
        Failure(code: code, message: message, apiVersion: apiVersion, context: context, method: method)
    }

    /// A success answer carrying `data`.
    func answer(version: String, data: JSONValue) -> TinyCamResponse {
        Self.response(version: version, context: context, method: method, payload: ("data", data))
    }

    /// `getSupportedVersions`' answer: `versions`, oldest first, the newest echoed as `apiVersion`.
    func supportedVersions(_ versions: [String]) -> TinyCamResponse {
        answer(
            version: versions.last ?? "1.0", data: .object([("apiVersions", .array(versions.map(JSONValue.string)))]))
    }

    /// The answer to a failure; `version` stands in when the request gave none.
    static func answer(_ failure: Failure, version: String) -> TinyCamResponse {
        let error = JSONValue.object([("code", .int(failure.code)), ("message", .string(failure.message))])
        return response(
            version: failure.apiVersion ?? version, context: failure.context, method: failure.method,
            payload: ("error", error))
    }

    private static func response(
        version: String, context: String?, method: String?, payload: (String, JSONValue)
    ) -> TinyCamResponse {
        var members: [(String, JSONValue)] = [("apiVersion", .string(version))]
        if let context { members.append(("context", .string(context))) }
        if let method { members.append(("method", .string(method))) }
        members.append(payload)
        return TinyCamResponse(
            status: .ok, headers: [("Content-Type", "application/json"), ("Cache-Control", "no-cache")],
            body: .bytes(ByteBuffer(bytes: JSONValue.object(members).serializedBytes)))
    }
}

extension Endpoint {
    /// A VAPIX JSON API endpoint: `handle` answers a parsed request, and every failure becomes a
    /// VAPIX error answer (`latestVersion` echoed when the request named none).
    static func axisJSON(
        _ path: String, access: Role, latestVersion: String,
        handle:
            @escaping @Sendable (AxisJSONRequest, EndpointContext) throws(AxisJSONRequest.Failure) -> TinyCamResponse
    ) -> Endpoint {
        Endpoint(path, access: access) { context in
            do throws(AxisJSONRequest.Failure) {
                return try handle(try AxisJSONRequest(context.request), context)
            } catch {
                return AxisJSONRequest.answer(error, version: latestVersion)
            }
        }
    }
}
