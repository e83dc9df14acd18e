/// Scenario scripts: a timeline of actions, fault rules and expectations on what a client did.
/// (Being built: see issue 8.)
public enum DecoyScenarioModule {}
