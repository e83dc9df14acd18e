import DecoyCore
import DecoyTinyCam
import NIOCore
import NIOHTTP1

/// The answers the transport gives by itself, before or without the responder: each names its
/// status and the reason its body gives.
enum TransportRejection: Equatable, Sendable {
    /// The request line is longer than `ConnectionGuardState.maximumRequestLine` (414).
    case requestLineTooLong
    /// Part of a request head arrived, the rest not within the head timeout (408).
    case headTimeout
    /// The HTTP parser refused the request (400, or 431 for oversized headers).
    case malformed(HTTPStatus, reason: String)
    /// The request body is larger than `TinyCamHTTPHandler.maximumBodyBytes` (413).
    case bodyTooLarge
    /// The connection limit is reached (503 with `Retry-After`).
    case tooManyConnections
    /// A file the responder answered with was gone when the transport opened it (404).
    case fileGone

    var status: HTTPStatus {
        switch self {
        case .requestLineTooLong: HTTPStatus(code: 414, reason: "URI Too Long")
        case .headTimeout: HTTPStatus(code: 408, reason: "Request Timeout")
        case .malformed(let status, _): status
        case .bodyTooLarge: .contentTooLarge
        case .tooManyConnections: .serviceUnavailable
        case .fileGone: .notFound
        }
    }

    /// The sentence after `HTTP NNN.`: what was wrong and what to do about it.
    var reason: String {
        switch self {
        case .requestLineTooLong:
            "The request line is longer than \(ConnectionGuardState.maximumRequestLine) bytes; shorten the URL."
        case .headTimeout: "The request head did not arrive in time."
        case .malformed(_, let reason): reason
        case .bodyTooLarge: "Request bodies are limited to \(TinyCamHTTPHandler.maximumBodyBytes) bytes."
        case .tooManyConnections: "Too many connections; try again later."
        case .fileGone: "The file is no longer available."
        }
    }

    /// Headers only this answer has.
    private var extraHeaders: [(name: String, value: String)] {
        self == .tooManyConnections ? [("Retry-After", "1")] : []
    }

    /// The answer as a response value: the body every error answer has (`HTTP NNN. Reason.`,
    /// built by `TinyCamResponse.failure`) and the headers every answer has (`Server`, CORS).
    func response(_ server: ServerConfig) -> TinyCamResponse {
        TinyCamResponse.failure(status, reason, headers: extraHeaders).withCommonHeaders(server)
    }
}

/// The one way an answer's head is framed, whether the HTTP encoder writes it (`TinyCamHTTPHandler`,
/// `HTTPErrorResponder`) or a handler below the codec writes raw bytes (`ConnectionGuard`,
/// `RefuseHandler`): the response's own headers, then `Date`, `Content-Length` (where the status
/// may carry one) and `Connection`, in that order.
enum AnswerFraming {
    /// `headers` plus the framing headers for a body of `contentLength` bytes (nil: close-delimited).
    static func headers(
        _ headers: HTTPHeaders, status: HTTPStatus, date: String, contentLength: Int64?, keepAlive: Bool
    ) -> HTTPHeaders {
        var headers = headers
        headers.add(name: "Date", value: date)
        // RFC 9110 §8.6: no Content-Length on 1xx and 204 answers (the CORS preflight), nor on
        // 304, where it would have to be the length of the 200 answer.
        if let contentLength, status.code >= 200, status.code != 204, status.code != 304 {
            headers.add(name: "Content-Length", value: String(contentLength))
        }
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        return headers
    }

    /// A whole in-memory answer that closes the connection, as bytes (HTTP/1.1 status line,
    /// headers, blank line, body), for handlers that sit below the HTTP encoder.
    static func closingBytes(_ response: TinyCamResponse, date: String, allocator: ByteBufferAllocator) -> ByteBuffer {
        let body = response.bodyBytes ?? ByteBuffer()
        let headers = Self.headers(
            HTTPHeaders(response.headers), status: response.status, date: date,
            contentLength: Int64(body.readableBytes), keepAlive: false)
        var text = "HTTP/1.1 \(response.status.code) \(response.status.reason)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        var buffer = allocator.buffer(capacity: text.utf8.count + body.readableBytes)
        buffer.writeString(text)
        buffer.writeImmutableBuffer(body)
        return buffer
    }
}
