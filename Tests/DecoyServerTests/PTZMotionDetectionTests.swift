import DecoyCore
import DecoyMedia
import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// A PTZ move changes the whole picture; the motion detector must not call that motion, not
    /// while the head moves and not when it stops. A 640x480 frame takes long enough to draw that
    /// one drawn while the head still moved was often checked after the stop: judged by the clock's
    /// "now" instead of the frame's own time, it became the background and the next, still frame
    /// was motion.
    @Suite struct PTZMotionDetection {
        @Test func movesAndTheirStopsAreNotMotion() async throws {
            try await withServer({ config in
                config.cameras[0].motionDetection.enabled = true
                config.cameras[0].motionDetection.cooldownSeconds = 1
                config.cameras[0].activity = false
                config.cameras[0].resolution = PixelSize(width: 640, height: 480)
            }) { server in
                let camera = try #require(server.runtime.services.cameras.camera(id: 1001))
                try await Task.sleep(for: .milliseconds(500))
                var detected: [String] = []
                for speeds in ["100,100", "-100,-100", "-100,0", "100,0", "70,-100", "-70,100"] {
                    for command in ["continuouspantiltmove=\(speeds)", "continuouspantiltmove=0,0"] {
                        let response = try await HTTP.get(
                            port: server.port, "/axis-cgi/com/ptz.cgi?camera=1&\(command)")
                        #expect(response.status == 200)
                        for _ in 0..<(command.hasSuffix("=0,0") ? 10 : 15) {
                            try await Task.sleep(for: .milliseconds(40))
                            let now = server.runtime.services.clock.nowMilliseconds()
                            if camera.activity.isActive(at: now) { detected.append("after \(command)") }
                        }
                    }
                }
                #expect(detected.isEmpty, "motion seen \(detected.count) times, first \(detected.first ?? "")")
            }
        }
    }
}
