import DecoyMedia
import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// PTZ and LED commands over HTTP change the picture as a client sees it. The synthetic world
    /// encodes position in chroma: U rises left to right, V top to bottom.
    @Suite struct PTZPicture {
        static func snapshot(_ port: Int) async throws -> PictureStats {
            let response = try await HTTP.get(port: port, "/axis-cgi/jpg/image.cgi?camera=1")
            try #require(response.status == 200, "\(response.head)")
            #expect(response.header("Content-Type") == "image/jpeg")
            return PictureStats(try FrameInspector.image(response.body))
        }

        /// Sends a command CGI, then waits a few frame intervals: `image.cgi` serves the newest
        /// frame while it is younger than one frame interval (67 ms here), which may predate the command.
        static func command(_ port: Int, _ target: String) async throws {
            let response = try await HTTP.get(port: port, target)
            #expect(response.status == 200, "\(target): \(response.bodyText)")
            #expect(response.body.isEmpty)
            try await Task.sleep(for: .milliseconds(250))
        }

        /// Starts a continuous move, lets it run `milliseconds`, stops it (`stop` is the stop command).
        static func move(_ port: Int, _ start: String, stop: String, milliseconds: Int) async throws {
            try await command(port, "/axis-cgi/com/ptz.cgi?camera=1&\(start)")
            try await Task.sleep(for: .milliseconds(milliseconds))
            try await command(port, "/axis-cgi/com/ptz.cgi?camera=1&\(stop)")
        }

        @Test func panRightRaisesMeanU() async throws {
            try await withServer { server in
                let before = try await Self.snapshot(server.port)
                try await Self.move(
                    server.port, "continuouspantiltmove=100,0", stop: "continuouspantiltmove=0,0", milliseconds: 800)
                let after = try await Self.snapshot(server.port)
                #expect(after.meanU > before.meanU + 5, "before \(before), after \(after)")
                #expect(abs(after.meanV - before.meanV) < 3, "a pan does not tilt: before \(before), after \(after)")
            }
        }

        @Test func panLeftLowersMeanU() async throws {
            try await withServer { server in
                let before = try await Self.snapshot(server.port)
                try await Self.move(
                    server.port, "continuouspantiltmove=-100,0", stop: "continuouspantiltmove=0,0", milliseconds: 800)
                let after = try await Self.snapshot(server.port)
                #expect(after.meanU < before.meanU - 5, "before \(before), after \(after)")
            }
        }

        @Test func tiltUpLowersMeanV() async throws {
            try await withServer { server in
                let before = try await Self.snapshot(server.port)
                try await Self.move(
                    server.port, "continuouspantiltmove=0,100", stop: "continuouspantiltmove=0,0", milliseconds: 800)
                let after = try await Self.snapshot(server.port)
                #expect(after.meanV < before.meanV - 5, "before \(before), after \(after)")
                #expect(abs(after.meanU - before.meanU) < 3, "a tilt does not pan: before \(before), after \(after)")
            }
        }

        @Test func zoomInNarrowsTheChromaSpread() async throws {
            try await withServer { server in
                let before = try await Self.snapshot(server.port)
                try await Self.move(
                    server.port, "continuouszoommove=100", stop: "continuouszoommove=0", milliseconds: 1000)
                let after = try await Self.snapshot(server.port)
                #expect(after.uSpread < before.uSpread * 0.8, "before \(before), after \(after)")
                #expect(after.uSpread > 0, "still left-to-right")
            }
        }

        @Test func homeReturnsToTheStartingView() async throws {
            try await withServer { server in
                let before = try await Self.snapshot(server.port)
                try await Self.move(
                    server.port, "continuouspantiltmove=100,-100", stop: "continuouspantiltmove=0,0", milliseconds: 600)
                let moved = try await Self.snapshot(server.port)
                #expect(moved.meanU > before.meanU + 3 && moved.meanV > before.meanV + 3, "\(before) → \(moved)")
                try await Self.command(server.port, "/axis-cgi/com/ptz.cgi?camera=1&move=home")
                let home = try await Self.snapshot(server.port)
                #expect(abs(home.meanU - before.meanU) < 1 && abs(home.meanV - before.meanV) < 1, "\(before) → \(home)")
            }
        }

        @Test func ledOnBrightensThePicture() async throws {
            try await withServer { server in
                let before = try await Self.snapshot(server.port)
                try await Self.command(server.port, "/axis-cgi/io/lightcontrol.cgi?camera=1&action=L1:-100")
                let lit = try await Self.snapshot(server.port)
                #expect(lit.meanY > before.meanY + 5, "before \(before), lit \(lit)")
                try await Self.command(server.port, "/axis-cgi/io/lightcontrol.cgi?camera=1&action=L1:-0")
                let off = try await Self.snapshot(server.port)
                #expect(off.meanY < lit.meanY - 5, "lit \(lit), off \(off)")
            }
        }

        @Test func aCameraWithoutPTZRefusesTheCommand() async throws {
            try await withServer { server in
                let response = try await HTTP.get(
                    port: server.port, "/axis-cgi/com/ptz.cgi?camera=2&continuouspantiltmove=100,0")
                #expect(response.status == 400)
                #expect(response.bodyText.hasPrefix("HTTP 400. "))
            }
        }
    }
}
