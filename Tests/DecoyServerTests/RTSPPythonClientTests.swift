import DecoyCore
import DecoyMedia
import Foundation
import Testing

@testable import DecoyTestSupport

/// PyAV and OpenCV (each with the FFmpeg inside its wheel) in `.venv-rtsp`, made by
/// `Tools/setup.sh --test` or `--rtsp-venv`, driven through `Tools/rtsp-client.py`.
enum RTSPVenv {
    static let venv = PythonVenv(
        name: ".venv-rtsp", setupOption: "--rtsp-venv",
        check: "import importlib.metadata as m, sys; import av, cv2; sys.exit(m.version('av') != '18.1.0')",
        suite: "RTSPPythonClients")
    static let ready = venv.prepare()
}

extension ServerIntegration {
    /// PyAV opening exactly the URL ha-tinycam gives Home Assistant, the way Home Assistant's
    /// stream worker opens it, and OpenCV's `VideoCapture`: decoded pictures of the right size,
    /// frame ids increasing, no libav error; wrong credentials are a 401.
    @Suite(.enabled("needs .venv-rtsp with PyAV and OpenCV (Tools/setup.sh --rtsp-venv, from PyPI)") { RTSPVenv.ready })
    struct RTSPPythonClients {
        /// What `Tools/rtsp-client.py` printed and the frame ids of the pictures it decoded.
        struct Run {
            let result: ProcessResult
            let report: [String: Any]
            let ids: [UInt32]
            var output: String { result.stdoutText + result.stderrText }
        }

        /// Runs the client with `library` on `url` for `frames` pictures of `size` (none read back
        /// when the client fails).
        static func run(
            _ library: String, _ url: String, transport: String? = nil, frames: Int = 15,
            size: PixelSize = PixelSize(width: 320, height: 240)
        ) async throws -> Run {
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let output = folder + "/luma.gray"
            let arguments =
                [
                    PythonVenv.tool("rtsp-client.py"), "--library", library, "--url", url, "--frames", String(frames),
                    "--output", output,
                ] + (transport.map { ["--transport", $0] } ?? [])
            let result = try await ChildProcess.run(RTSPVenv.venv.python, arguments, timeout: .seconds(45))
            let report = (try? JSONSerialization.jsonObject(with: result.stdout)) as? [String: Any] ?? [:]
            let ids =
                result.status == 0
                ? try RTSPClientSupport.frameIDs(inFile: output, size: size, frameBytes: size.area) : []
            return Run(result: result, report: report, ids: ids)
        }

        /// A run that decoded `frames` pictures of `size` with increasing ids and no libav error.
        static func expectDecoded(_ run: Run, frames: Int = 15, size: PixelSize = PixelSize(width: 320, height: 240)) {
            #expect(run.result.status == 0 && !run.result.timedOut, "\(run.output)")
            #expect(run.report["opened"] as? Bool == true, "\(run.output)")
            #expect(run.report["frames"] as? Int == frames, "\(run.output)")
            #expect(run.report["width"] as? Int == size.width && run.report["height"] as? Int == size.height)
            #expect((run.report["errors"] as? [String])?.isEmpty == true, "\(run.output)")
            #expect(run.ids.count == frames, "\(run.ids)")
            #expect(run.ids.isStrictlyIncreasing, "\(run.ids)")
        }

        /// What Home Assistant's stream worker needs of the packets: it starts on a keyframe
        /// (Decoy asks the encoder for an IDR when a viewer joins), at most a few packets lack a
        /// dts (the worker gives up after 6; FFmpeg's RTSP demuxer leaves the first one without
        /// a dts), and the others' dts increase (a packet whose dts does not is dropped).
        static func expectStreamWorkerCanRemux(_ run: Run) {
            #expect(run.report["codec"] as? String == "h264", "\(run.output)")
            #expect(run.report["first_packet_keyframe"] as? Bool == true, "\(run.output)")
            #expect((run.report["missing_dts"] as? Int ?? 99) < 6, "\(run.output)")
            #expect(run.report["dts_increasing"] as? Bool == true, "\(run.output)")
        }

        @Test func pyAVOpensTheHaTinyCamURLLikeHomeAssistant() async throws {
            try await withServer { server in
                let run = try await Self.run("pyav", RTSPClientSupport.tinyCamURL(port: server.port))
                Self.expectDecoded(run)
                Self.expectStreamWorkerCanRemux(run)
            }
        }

        @Test func pyAVOverUDPFromTheAxisURL() async throws {
            try await withServer { server in
                let size = PixelSize(width: 160, height: 120)
                let run = try await Self.run(
                    "pyav",
                    RTSPClientSupport.axisURL(port: server.port, query: "camera=2&videocodec=h264&resolution=160x120"),
                    transport: "udp", size: size)
                Self.expectDecoded(run, size: size)
                Self.expectStreamWorkerCanRemux(run)
            }
        }

        /// `library` given a wrong password: it fails without opening, and the server refused
        /// its DESCRIBE with 401.
        static func runWithWrongPassword(_ library: String) async throws -> Run {
            try await withServer { server in
                let run = try await Self.run(
                    library, RTSPClientSupport.tinyCamURL(port: server.port, credentials: "admin:wrong"))
                #expect(run.result.status == 1 && !run.result.timedOut, "\(run.output)")
                #expect(run.report["opened"] as? Bool == false, "\(run.output)")
                RTSPClientSupport.expectRefusedWith401(server)
                return run
            }
        }

        @Test func pyAVWithAWrongPasswordGets401() async throws {
            let run = try await Self.runWithWrongPassword("pyav")
            #expect(run.report["error_type"] as? String == "HTTPUnauthorizedError", "\(run.output)")
            #expect((run.report["error"] as? String)?.contains("401 Unauthorized") == true, "\(run.output)")
        }

        @Test func openCVReadsTheHaTinyCamURL() async throws {
            try await withServer { server in
                Self.expectDecoded(try await Self.run("opencv", RTSPClientSupport.tinyCamURL(port: server.port)))
            }
        }

        @Test func openCVOverInterleavedTCPReadsJPEGToo() async throws {
            try await withServer { server in
                let run = try await Self.run(
                    "opencv", RTSPClientSupport.axisURL(port: server.port, query: "camera=1&videocodec=jpeg"),
                    transport: "tcp")
                Self.expectDecoded(run)
            }
        }

        @Test func openCVWithAWrongPasswordDoesNotOpen() async throws {
            let run = try await Self.runWithWrongPassword("opencv")
            #expect(run.result.stderrText.contains("method DESCRIBE failed: 401 (Unauthorized)"), "\(run.output)")
        }
    }
}
