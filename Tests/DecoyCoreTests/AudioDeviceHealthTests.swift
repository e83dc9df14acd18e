import DecoyCore
import DecoyMedia
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// A device-like source whose health the test sets: what a capture thread would publish.
private final class ProbedAudioSource: AudioSource {
    let published: NIOLockedValueBox<AudioDeviceHealth>

    init(published: NIOLockedValueBox<AudioDeviceHealth>) { self.published = published }

    var sampleRate: Int { 8000 }
    func start() throws {}
    func stop() {}
    func read(into samples: inout [Int16], at position: Int64) {
        for index in samples.indices { samples[index] = 0 }
    }
    var healthProbe: (@Sendable () -> AudioDeviceHealth)? {
        let published = self.published
        return { published.withLockedValue { $0 } }
    }
}

struct AudioDeviceHealthTests {
    @Test("a hub reports its source's device health, live, from any thread, once the source exists")
    func hubReadsTheProbe() async throws {
        try await withEventLoopGroup { group in
            let published = NIOLockedValueBox(AudioDeviceHealth(device: "hw:9,0"))
            let hub = AudioHub(sampleRate: 8000, mediaLoop: group.next(), clock: ManualClock()) {
                ProbedAudioSource(published: published)
            }
            #expect(hub.deviceHealth == nil, "no source is made before anyone listens")
            let subscription = hub.subscribe(onAvailable: {}, onClosed: {})
            #expect(await eventually { hub.deviceHealth?.device == "hw:9,0" })
            published.withLockedValue {
                $0.open = true
                $0.xruns = 3
            }
            #expect(hub.deviceHealth?.xruns == 3)
            #expect(hub.deviceHealth?.open == true)
            hub.unsubscribe(subscription)
        }
    }

    @Test("synthetic sound has no device health")
    func syntheticHasNone() async throws {
        try await withEventLoopGroup { group in
            let hub = AudioHub(sampleRate: 8000, mediaLoop: group.next(), clock: ManualClock()) {
                SignalAudioSource(SilenceSignal(sampleRate: 8000))
            }
            let subscription = hub.subscribe(onAvailable: {}, onClosed: {})
            #expect(await eventually { hub.counts.running })
            #expect(hub.deviceHealth == nil)
            hub.unsubscribe(subscription)
        }
    }
}
