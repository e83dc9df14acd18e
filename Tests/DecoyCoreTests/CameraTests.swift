import DecoyCore
import DecoyMedia
import Foundation
import NIOCore
import Testing

@Suite("PresetStore")
struct PresetStoreTests {
    @Test("a saved preset is read back by a new store on the same file")
    func persistence() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("state/nested/ptz-presets.json")
        let first = PresetStore(file: file)
        let view = Viewport(pan: 0.25, tilt: -0.5, zoom: 2.5, focus: 0.125, iris: 0.875)
        try first.save(view, as: 3, camera: 42)
        try first.save(.home, as: 1, camera: 7)
        #expect(FileManager.default.fileExists(atPath: file.path))

        let second = PresetStore(file: file)
        #expect(second.preset(3, camera: 42) == view)
        #expect(second.preset(1, camera: 7) == .home)
        #expect(second.preset(1, camera: 42) == nil)
        #expect(second.preset(3, camera: 7) == nil)
    }

    @Test("saving again replaces the preset and keeps the others")
    func overwrite() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("ptz-presets.json")
        let store = PresetStore(file: file)
        try store.save(Viewport(pan: 0.5), as: 2, camera: 1)
        try store.save(Viewport(pan: -0.5), as: 3, camera: 1)
        try store.save(Viewport(tilt: 0.75), as: 2, camera: 1)
        let reread = PresetStore(file: file)
        #expect(reread.preset(2, camera: 1) == Viewport(tilt: 0.75))
        #expect(reread.preset(3, camera: 1) == Viewport(pan: -0.5))
    }

    @Test("a missing file is an empty store, and saving creates it")
    func missingFile() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("absent.json")
        let store = PresetStore(file: file)
        #expect(store.preset(1, camera: 1) == nil)
        try store.save(Viewport(zoom: 3), as: 1, camera: 1)
        #expect(PresetStore(file: file).preset(1, camera: 1) == Viewport(zoom: 3))
    }

    @Test("an unreadable file is an empty store")
    func corruptFile() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("ptz-presets.json")
        try Data("not json".utf8).write(to: file)
        #expect(PresetStore(file: file).preset(1, camera: 1) == nil)
    }

    @Test("positions out of range in the file are clamped on load")
    func clampOnLoad() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("ptz-presets.json")
        try Data(#"{"5":{"1":{"pan":3,"tilt":-2,"zoom":9}}}"#.utf8).write(to: file)
        #expect(PresetStore(file: file).preset(1, camera: 5) == Viewport(pan: 1, tilt: -1, zoom: 4))
    }

    @Test("an in-memory store keeps presets without touching the disk")
    func inMemory() throws {
        let store = PresetStore(file: nil)
        try store.save(Viewport(pan: 0.5), as: 9, camera: 3)
        #expect(store.preset(9, camera: 3) == Viewport(pan: 0.5))
        #expect(PresetStore(file: nil).preset(9, camera: 3) == nil)
    }
}

/// A camera of the default configuration (or `config`) on `loop`, with a manual clock.
private func makeCamera(
    _ config: CameraConfig, clock: ManualClock, presets: PresetStore = PresetStore(file: nil), loop: any EventLoop
) -> Camera {
    Camera(
        config: config, index: 1, clock: clock, presets: presets, timeZone: LocalTimeZone(identifier: "UTC"),
        mediaLoop: loop)
}

private let frontYard = DecoyConfig.defaultCameras[0]
private let doorbell = DecoyConfig.defaultCameras[1]

@Suite("Camera commands and capabilities")
struct CameraTests {
    @Test("the sample bitmasks: 230911 can do everything, 32768 only turns the LED on")
    func capabilities() {
        let all: PTZCapabilities = [
            .continuousPanTilt, .relativePanTilt, .continuousZoom, .home, .presets, .continuousFocus, .continuousIris,
            .ledOn, .ledOff, .ledAuto,
        ]
        #expect(PTZCapabilities(rawValue: 230_911).isSuperset(of: all))
        #expect(PTZCapabilities(rawValue: 32768) == .ledOn)
    }

    @Test("Front yard pans, zooms, focuses and goes home over the camera's clock")
    func frontYardMoves() async throws {
        try await withEventLoopGroup { group in
            let clock = ManualClock()
            let camera = makeCamera(frontYard, clock: clock, loop: group.next())
            try camera.apply([.continuousPanTilt(pan: 100, tilt: 0), .continuousZoom(100)])
            clock.advance(by: 1000)
            #expect(camera.viewport.pan == 0.5)
            #expect(camera.viewport.zoom == 1.75)
            try camera.apply([.continuousPanTilt(pan: 0, tilt: 0), .continuousZoom(0)])
            clock.advance(by: 5000)
            #expect(camera.viewport.pan == 0.5)
            try camera.apply([.continuousFocus(-100), .continuousIris(100)])
            clock.advance(by: 1000)
            #expect(camera.viewport.focus == 0.25)
            #expect(camera.viewport.iris == 0.75)
            try camera.apply([.home])
            #expect(camera.viewport == .home)
        }
    }

    @Test("a preset saves the current position and goto returns to it")
    func presetRoundTrip() async throws {
        try await withEventLoopGroup { group in
            let clock = ManualClock()
            let presets = PresetStore(file: nil)
            let camera = makeCamera(frontYard, clock: clock, presets: presets, loop: group.next())
            try camera.apply([.continuousPanTilt(pan: 100, tilt: -100)])
            clock.advance(by: 1000)
            try camera.apply([.continuousPanTilt(pan: 0, tilt: 0), .setPreset(4)])
            let saved = camera.viewport
            #expect(presets.preset(4, camera: frontYard.id) == saved)
            try camera.apply([.home])
            #expect(camera.viewport == .home)
            try camera.apply([.gotoPreset(4)])
            #expect(camera.viewport == saved)
            #expect(saved.pan == 0.5 && saved.tilt == -0.5)
        }
    }

    @Test("goto of a preset that was never set is not an error: the camera stays and the outcome names it")
    func gotoUnsetPreset() async throws {
        try await withEventLoopGroup { group in
            let clock = ManualClock()
            let camera = makeCamera(frontYard, clock: clock, loop: group.next())
            let outcome = try camera.apply([.gotoPreset(8)])
            #expect(outcome == PTZOutcome(unsetPresets: [8]))
            clock.advance(by: 1000)
            #expect(camera.viewport == .home)
        }
    }

    @Test(
        "Doorbell cannot pan, zoom, go home or use presets",
        arguments: [
            PTZCommand.continuousPanTilt(pan: 10, tilt: 0), .continuousZoom(10), .continuousFocus(10),
            .continuousIris(10), .home, .gotoPreset(1), .setPreset(1),
        ])
    func doorbellUnsupported(_ command: PTZCommand) async throws {
        try await withEventLoopGroup { group in
            let camera = makeCamera(doorbell, clock: ManualClock(), loop: group.next())
            #expect {
                try camera.apply([command])
            } throws: { error in
                guard case .unsupported(let reason) = error as? CameraCommandError else { return false }
                return reason.contains("Doorbell")
            }
        }
    }

    @Test("Doorbell turns its LED on but cannot turn it off or to auto")
    func doorbellLED() async throws {
        try await withEventLoopGroup { group in
            let camera = makeCamera(doorbell, clock: ManualClock(), loop: group.next())
            #expect(camera.led == .off)
            try camera.setLED(.on)
            #expect(camera.led == .on)
            for mode in [LEDMode.off, .auto] {
                #expect {
                    try camera.setLED(mode)
                } throws: { error in
                    guard case .unsupported = error as? CameraCommandError else { return false }
                    return true
                }
                #expect(camera.led == .on)
            }
        }
    }

    @Test("Front yard sets its LED to every mode")
    func frontYardLED() async throws {
        try await withEventLoopGroup { group in
            let camera = makeCamera(frontYard, clock: ManualClock(), loop: group.next())
            for mode in [LEDMode.on, .auto, .off, .on] {
                try camera.setLED(mode)
                #expect(camera.led == mode)
            }
        }
    }

    /// A snapshot taken right after `lightcontrol.cgi` shows it: the newest frame is not reused
    /// when the LED changed after it was drawn, however young it is.
    @Test("an LED change shows in the next snapshot, even within one frame interval")
    func anLEDChangeShowsInTheNextSnapshot() async throws {
        try await withEventLoopGroup { group in
            let camera = makeCamera(frontYard, clock: ManualClock(), loop: group.next())
            let variant = FrameVariant(size: PixelSize(width: 320, height: 180), quality: 70)
            let first = try await camera.hub.snapshot(variant).get()
            #expect(try await camera.hub.snapshot(variant).get().sequence == first.sequence, "fresh: reused")
            try camera.setLED(.on)
            let lit = try await camera.hub.snapshot(variant).get()
            #expect(lit.sequence == first.sequence + 1, "drawn anew after the LED change")
            #expect(try await camera.hub.snapshot(variant).get().sequence == lit.sequence, "then reused again")
            try camera.setLED(.on)
            #expect(try await camera.hub.snapshot(variant).get().sequence == lit.sequence, "no change, no new frame")
            #expect(lit.jpeg != first.jpeg, "the picture shows it")
            camera.hub.shutdown()
        }
    }

    @Test("a request mixing a valid and an unsupported command changes nothing")
    func allOrNothingCapability() async throws {
        var config = frontYard
        config.ptzCapabilities = PTZCapabilities([.continuousPanTilt, .presets]).rawValue
        try await withEventLoopGroup { group in
            let clock = ManualClock()
            let presets = PresetStore(file: nil)
            let camera = makeCamera(config, clock: clock, presets: presets, loop: group.next())
            #expect(throws: CameraCommandError.self) {
                try camera.apply([.continuousPanTilt(pan: 100, tilt: 0), .setPreset(2), .continuousZoom(100)])
            }
            clock.advance(by: 1000)
            #expect(camera.viewport == .home)
            #expect(presets.preset(2, camera: config.id) == nil)
            // The same commands without the unsupported one do apply.
            try camera.apply([.continuousPanTilt(pan: 100, tilt: 0), .setPreset(2)])
            clock.advance(by: 1000)
            #expect(camera.viewport.pan == 0.5)
            #expect(presets.preset(2, camera: config.id) == .home)
        }
    }

    @Test("a request mixing valid commands and a goto of an unset preset carries out the valid ones")
    func unsetPresetDoesNotBlockOthers() async throws {
        try await withEventLoopGroup { group in
            let clock = ManualClock()
            let presets = PresetStore(file: nil)
            let camera = makeCamera(frontYard, clock: clock, presets: presets, loop: group.next())
            let outcome = try camera.apply([.continuousPanTilt(pan: 100, tilt: 0), .setPreset(1), .gotoPreset(6)])
            #expect(outcome.unsetPresets == [6])
            clock.advance(by: 1000)
            #expect(camera.viewport.pan > 0)
            #expect(presets.preset(1, camera: frontYard.id) == .home)
        }
    }

    @Test("motion state is reported as set")
    func motionFlag() async throws {
        try await withEventLoopGroup { group in
            let camera = makeCamera(frontYard, clock: ManualClock(), loop: group.next())
            #expect(!camera.isInMotion)
            let event = camera.activity.begin(.person, origin: .api)
            #expect(camera.isInMotion)
            camera.activity.end(event)
            #expect(!camera.isInMotion)
        }
    }

    @Test("the registry numbers cameras from 1 and finds them by id")
    func registry() async throws {
        try await withEventLoopGroup { group in
            let registry = CameraRegistry(
                config: .smallCameras, clock: ManualClock(), mediaGroup: group, stateDirectory: nil)
            defer { registry.shutdown() }
            #expect(registry.cameras.map(\.index) == [1, 2])
            #expect(registry.camera(index: 1)?.config.name == "Front yard")
            #expect(registry.camera(index: 2)?.config.name == "Doorbell")
            #expect(registry.camera(index: 0) == nil)
            #expect(registry.camera(index: 3) == nil)
            #expect(registry.camera(id: 1_455_317_736)?.index == 2)
            #expect(registry.camera(id: 5) == nil)
        }
    }
}
