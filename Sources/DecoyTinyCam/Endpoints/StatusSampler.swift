import DecoyCore
import NIOConcurrencyHelpers

/// Builds the global `get_status` object from real readings of the host and of Decoy, caching
/// the expensive ones (CPU usage needs two readings; the storage walk touches the disk) so the
/// official UI's 3-second polling costs almost nothing.
final class StatusSampler: Sendable {
    private struct Cache {
        var cpu: (busy: Int64, total: Int64)?
        var cpuPercent = 0
        var space: (time: Int64, used: Int64)?
    }

    private let cache = NIOLockedValueBox(Cache())

    func globalStatus(_ services: TinyCamServices) -> JSONValue {
        let now = services.clock.nowMilliseconds()
        let settings = services.settings.current
        let memory = HostProbe.memory()
        let threads = HostProbe.threads()
        let rates = services.traffic.rates(nowMilliseconds: now)
        let status = services.config.status
        let overrides = services.statusOverrides.current
        var fields: [(String, JSONValue)] = [
            ("backgroundMode", .bool(settings.backgroundMode)), ("cpuUsagePercents", .int(cpuPercent())),
            ("cpuFrequencyMhz", .int(HostProbe.cpuFrequencyMHz() ?? -1)), ("temperature", .int(status.temperature)),
            ("memoryAvailable", .int(memory?.available ?? -1)), ("memoryUsed", .int(memory?.used ?? -1)),
            ("threadsUsed", .int(threads?.all ?? 1)), ("threadsRunnableUsed", .int(threads?.runnable ?? 1)),
            (
                "processes",
                .array([
                    .object([("name", .string("WebServer")), ("memoryUsed", .int(HostProbe.residentBytes() ?? -1))])
                ])
            ),
            ("batteryLevel", .int(overrides.batteryLevel ?? status.batteryLevel)),
            ("batteryStatus", .string(overrides.batteryStatus ?? status.batteryStatus)),
            ("uptime", .int(now - services.counters.startedAt)), ("networkInBps", .int(rates.inBps)),
            ("networkOutBps", .int(rates.outBps)), ("streamProfile", .int(settings.streamProfile.statusValue)),
            ("powerSafeMode", .bool(settings.powerSafeMode)), ("notifications", .bool(settings.notifications)),
            ("rootAvailable", .bool(false)),
        ]
        let space =
            services.cameras.events.map { recordingSpace($0, limit: services.config.storage.maxSizeBytes) }
            ?? spaceUsage(services.stateDirectory, now: now)
        fields += [
            ("spaceUsed", .int(space.used)), ("spaceAvailable", .int(overrides.storageFull ? 0 : space.available)),
            ("liveConnections", .int(services.counters.openStreams)),
            ("motionCameras", .array(services.motionCameraNames.map { .string($0) })),
        ]
        return .object(fields)
    }

    /// Host CPU usage since the previous reading (at least half a second apart), 0–100.
    private func cpuPercent() -> Int {
        guard let reading = HostProbe.cpuTimes() else { return 0 }
        return cache.withLockedValue { cache in
            if let previous = cache.cpu, reading.total - previous.total >= 50 {
                let busy = Double(reading.busy - previous.busy)
                let total = Double(reading.total - previous.total)
                cache.cpuPercent = Int((busy / total * 100).rounded()).clamped(0, 100)
                cache.cpu = reading
            } else if cache.cpu == nil {
                cache.cpuPercent = reading.total > 0 ? Int(Double(reading.busy) / Double(reading.total) * 100) : 0
                cache.cpu = reading
            }
            return cache.cpuPercent
        }
    }

    /// The recordings' bytes (from the index, exact and free to read) and what retention still
    /// allows: the free space of the folder's file system, or less when `storage.maxSize` is nearer.
    private func recordingSpace(_ store: EventStore, limit: Int64?) -> (used: Int64, available: Int64) {
        let used = store.totalBytes
        let free = HostProbe.availableBytes(at: store.root.path) ?? -1
        guard let limit else { return (used, free) }
        let allowed = max(0, limit - used)
        return (used, free < 0 ? allowed : min(free, allowed))
    }

    /// Bytes under the state folder (walked at most every 10 s) and free bytes on its file system.
    private func spaceUsage(_ directory: String?, now: Int64) -> (used: Int64, available: Int64) {
        guard let directory else { return (0, -1) }
        let used = cache.withLockedValue { cache -> Int64? in
            guard let space = cache.space, now - space.time < 10_000 else { return nil }
            return space.used
        }
        let usedBytes = used ?? HostProbe.usedBytes(under: directory)
        if used == nil { cache.withLockedValue { $0.space = (now, usedBytes) } }
        return (usedBytes, HostProbe.availableBytes(at: directory) ?? -1)
    }
}

extension Int {
    fileprivate func clamped(_ low: Int, _ high: Int) -> Int { Swift.min(Swift.max(self, low), high) }
}
