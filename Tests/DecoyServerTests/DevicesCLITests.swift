import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// `decoy devices` on the host (the real-device checks run in the HIL guest: Tools/test-devices).
    @Suite struct DevicesCLI {
        /// This machine has no V4L2 nodes (a CI machine): the "none found" text is what it must print.
        static let noVideoNodes =
            ((try? FileManager.default.contentsOfDirectory(atPath: "/dev")) ?? []).allSatisfy { !$0.hasPrefix("video") }

        @Test(.enabled(if: noVideoNodes, "this machine has /dev/video* nodes"))
        func withoutAWebcamSaysHowToAddOneAndExitsZero() async throws {
            let result = try await ChildProcess.run(try CLI.decoy(), ["devices"])
            #expect(result.status == 0, "\(result.stderrText)")
            let text = result.stdoutText
            #expect(text.contains("Video capture devices (V4L2):"), "\(text)")
            #expect(text.contains("no video capture devices found (plug in a USB webcam"), "\(text)")
            #expect(text.contains("video group"), "\(text)")
            #expect(text.contains("Audio capture devices (ALSA):"), "\(text)")
        }

        @Test(.enabled(if: !FileManager.default.fileExists(atPath: "/dev/snd"), "this machine has /dev/snd"))
        func withoutASoundCardNamesTheAudioGroup() async throws {
            let result = try await ChildProcess.run(try CLI.decoy(), ["devices"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("no ALSA audio capture devices found"), "\(result.stdoutText)")
            #expect(result.stdoutText.contains("audio group"), "\(result.stdoutText)")
        }

        @Test func jsonIsValidAndHasEveryList() async throws {
            let result = try await ChildProcess.run(try CLI.decoy(), ["devices", "--json"])
            #expect(result.status == 0, "\(result.stderrText)")
            let object = try JSONSerialization.jsonObject(with: Data(result.stdoutText.utf8))
            let inventory = try #require(object as? [String: Any], "\(result.stdoutText)")
            for key in ["video", "audio", "audioNames", "problems"] {
                #expect(inventory[key] is [Any], "\(key) in \(result.stdoutText)")
            }
            if Self.noVideoNodes { #expect((inventory["video"] as? [Any])?.isEmpty == true) }
        }

        @Test func unknownOptionFailsWithUsage() async throws {
            let result = try await ChildProcess.run(try CLI.decoy(), ["devices", "--bogus"])
            #expect(result.status != 0)
            #expect(result.stderrText.contains("--bogus"), "\(result.stderrText)")
        }
    }
}
