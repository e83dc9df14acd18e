import Testing

/// Every integration suite nests in this one and runs one test at a time: each test starts real
/// servers, encodes video or drives real clients, on what may be a shared 2-core machine.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct ServerIntegration {}
