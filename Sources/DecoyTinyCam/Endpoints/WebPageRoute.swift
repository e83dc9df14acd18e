import DecoyWeb
import NIOCore

/// `/` and `/web/<file>`: the camera page, as a real tinyCam serves its web client at `/` (and an
/// Axis camera its own page). Answered before any credential check, since the page is what logs
/// in; everything it shows comes from the API endpoints with the user's own token.
enum WebPageRoute {
    static func answer(path: String, request: TinyCamRequest) -> TinyCamResponse? {
        guard
            let answer = WebSite.camera.answer(
                path: path, method: request.method, ifNoneMatch: request.header("If-None-Match"))
        else { return nil }
        return TinyCamResponse(
            status: HTTPStatus(code: answer.status, reason: answer.reason),
            headers: answer.headers.map { ($0.name, $0.value) }, body: .bytes(ByteBuffer(bytes: answer.body)))
    }
}
