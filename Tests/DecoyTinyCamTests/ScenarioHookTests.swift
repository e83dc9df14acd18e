import DecoyCore
import Testing

@testable import DecoyTinyCam

/// The hooks scenarios use: revoking one user's tokens and the `get_status` overrides.
@Suite struct ScenarioHookTests {
    @Test func revokeAllOfOneUserKeepsTheOthers() {
        let tokens = TokenStore(clock: ManualClock(), timeToLiveSeconds: 0, capacity: 10)
        let admin = tokens.issue(user: "admin", role: .admin)
        let guests = [tokens.issue(user: "guest", role: .guest), tokens.issue(user: "guest", role: .guest)]
        #expect(tokens.revokeAll(user: "guest") == 2)
        #expect(guests.allSatisfy { tokens.session(for: $0) == nil })
        #expect(tokens.session(for: admin)?.user == "admin")
        #expect(tokens.revokeAll(user: "nobody") == 0)
    }

    @Test func statusOverridesReplaceBatteryAndFreeSpace() async {
        let harness = Harness(config: .embeddedDefault)
        let before = String(buffer: await harness.send("/api/v1/get_status", basic: "admin", "admin").bodyBytes!)
        #expect(before.contains("\"batteryLevel\":100"), "\(before)")
        #expect(!before.contains("\"spaceAvailable\":0,"), "\(before)")
        harness.services.statusOverrides.update {
            $0 = StatusOverrides.Values(batteryLevel: 7, batteryStatus: "discharging", storageFull: true)
        }
        let after = String(buffer: await harness.send("/api/v1/get_status", basic: "admin", "admin").bodyBytes!)
        #expect(after.contains("\"batteryLevel\":7,\"batteryStatus\":\"discharging\""), "\(after)")
        #expect(after.contains("\"spaceAvailable\":0,"), "\(after)")
        await harness.shutdown()
    }
}
