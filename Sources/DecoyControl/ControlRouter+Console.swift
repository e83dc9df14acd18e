import DecoyWeb
import Foundation
import NIOHTTP1

extension ControlRouter {
    /// `/` and `/web/<file>`: the harness console (GET only, like the rest of the control API);
    /// nil for every other path.
    func consolePage(_ request: ControlRequest) -> ControlResponse? {
        let method = request.method == .GET ? "GET" : request.method.rawValue
        guard
            let answer = WebSite.console.answer(
                path: request.path, method: method, ifNoneMatch: request.headers.first(name: "If-None-Match"))
        else { return nil }
        if answer.status == 405 { return .error(.methodNotAllowed, "\(request.path) answers GET") }
        return ControlResponse(
            status: HTTPResponseStatus(statusCode: answer.status), contentType: answer.header("Content-Type") ?? "",
            body: Data(answer.body),
            headers: answer.headers.filter { $0.name != "Content-Type" }.map { ($0.name, $0.value) })
    }
}
