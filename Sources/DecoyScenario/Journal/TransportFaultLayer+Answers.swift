import DecoyServer
import DecoyTinyCam
import NIOCore

/// The answers the transport makes by itself (414, 408, 400/431, 413, 503 over the connection
/// limit) never reach the responder, so `JournalingResponder` cannot see them: the fault layer,
/// which the transport already holds, journals them as requests with what is known of them (a
/// head that was never read has an empty method and path).
extension TransportFaultLayer: TransportAnswerObserver {
    public func transportAnswered(_ answer: TransportAnswerRecord) {
        let request = TinyCamRequest(method: answer.method, target: answer.target, clientAddress: answer.client)
        let response = TinyCamResponse(
            status: HTTPStatus(code: answer.status, reason: ""), body: .bytes(ByteBuffer()))
        var record = RequestRecord(request: request, response: response)
        record.bodyBytes = answer.bodyBytes
        record.connection = answer.exchange.connection
        record.request = answer.exchange.request
        journal.append(JournalEntry(milliseconds: clock.elapsedMilliseconds(), event: .request(record)))
    }
}
