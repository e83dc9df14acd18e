import DecoyScenario
import Testing

@Test func moduleBuilds() { _ = DecoyScenarioModule.self }
