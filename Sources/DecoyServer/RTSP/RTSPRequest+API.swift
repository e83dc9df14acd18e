import DecoyRTSP
import DecoyTinyCam
import Foundation

extension RTSPRequest {
    /// The request as the tinyCam API reads it: the same method token (Digest hashes it), the
    /// target as sent (its path and query name the media), the headers, and the client.
    ///
    /// Credentials in the URL's userinfo (`rtsp://user:pwd@host/…`, how ha-tinycam and the `axis`
    /// library hand them to their players) count as Basic credentials when the request carries no
    /// `Authorization` of its own: most players turn them into a header after a 401, a few send
    /// them as they are.
    func apiRequest(client: String) -> TinyCamRequest {
        var fields = headers.map { (name: $0.name, value: $0.value) }
        if headers["Authorization"] == nil, let url = RTSPURL(target), let user = url.user {
            let decoded = [user, url.password ?? ""].map { $0.removingPercentEncoding ?? $0 }
            let basic = Data(decoded.joined(separator: ":").utf8).base64EncodedString()
            fields.append((name: "Authorization", value: "Basic \(basic)"))
        }
        return TinyCamRequest(method: method.token, target: target, headers: fields, clientAddress: client, wire: .rtsp)
    }
}
