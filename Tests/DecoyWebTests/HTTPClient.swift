import Foundation
import NIOConcurrencyHelpers

@testable import DecoyTestSupport

/// An answer as curl saw it: status, headers (names lower-cased) and body.
struct WebAnswer: Sendable {
    let status: Int
    let headers: [String: String]
    let body: Data

    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// curl, the real client: `-i` to read the head too, killed after 30 s.
func fetch(
    _ url: String, method: String = "GET", headers: [String] = [], body: String? = nil
) async throws
    -> WebAnswer
{
    var arguments = ["curl", "-sS", "--max-time", "30"] + (method == "HEAD" ? ["-I"] : ["-i", "-X", method])
    for header in headers { arguments += ["-H", header] }
    if let body { arguments += ["--data-binary", body] }
    let data = try await ChildProcess.run("/usr/bin/env", arguments + [url]).stdout
    guard let split = data.range(of: Data("\r\n\r\n".utf8)) else {
        throw TestFailure(
            description: "curl \(method) \(url) got no HTTP head: \(String(decoding: data, as: UTF8.self))")
    }
    let head = String(decoding: data[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
    let status = head.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
    var fields: [String: String] = [:]
    for line in head.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return WebAnswer(status: status, headers: fields, body: Data(data[split.upperBound...]))
}

/// curl from PATH with `arguments`, its output on a pipe (its errors dropped).
private func startCurl(_ arguments: some Sequence<String>) throws -> (Process, FileHandle) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["curl"] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return (process, output.fileHandleForReading)
}

/// `curl -N URL` left running: what it printed so far, read by a thread of its own, until `stop`.
final class StreamReader: Sendable {
    private let process: Process
    private let text = NIOLockedValueBox("")

    init(_ url: String) throws {
        let (process, handle) = try startCurl(["-sS", "-N", "--max-time", "120", url])
        self.process = process
        let text = self.text
        Thread {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                text.withLockedValue { $0 += String(decoding: chunk, as: UTF8.self) }
            }
        }.start()
    }

    var output: String { text.withLockedValue { $0 } }

    /// Waits (at most `seconds`) until the output satisfies `condition`; returns the output then.
    func wait(seconds: Double = 20, for what: String, until condition: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let now = output
            if condition(now) { return now }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure(description: "curl -N never showed \(what) within \(seconds) s; it printed:\n\(output)")
    }

    /// Ends curl without waiting for it (its reading thread ends at the pipe's end).
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// The events of a `text/event-stream` text: (type, data) pairs, comments left out.
func serverSentEvents(_ text: String) -> [(event: String, data: String)] {
    text.components(separatedBy: "\n\n").compactMap { block in
        var event = "message"
        var data: [String] = []
        for line in block.split(separator: "\n") {
            if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
        }
        return data.isEmpty ? nil : (event, data.joined(separator: "\n"))
    }
}

func jsonObject(_ text: String) throws -> [String: Any] {
    guard let value = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        throw TestFailure(description: "not a JSON object: \(text)")
    }
    return value
}
