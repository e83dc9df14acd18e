import DecoyWeb
import Foundation
import NIOHTTP1

extension ControlRouter {
    /// `/` and `/web/<file>`: the harness console (GET only, like the rest of the control API:
    /// this listener writes whole bodies, so it answers no HEAD); nil for every other path.
    func consolePage(_ request: ControlRequest) -> ControlResponse? {
        guard
            let answer = WebSite.console.answer(
                path: request.path, method: "GET", ifNoneMatch: request.headers.first(name: "If-None-Match"))
        else { return nil }
        guard request.method == .GET else { return notAllowed(request, allowed: [.GET]) }
        return ControlResponse(
            status: HTTPResponseStatus(statusCode: answer.status), contentType: answer.header("Content-Type") ?? "",
            body: Data(answer.body),
            headers: answer.headers.filter { $0.name != "Content-Type" }.map { ($0.name, $0.value) })
    }
}
