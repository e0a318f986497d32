namespace DmaSlip.Reports.Model;

/// <summary>One failure drill (DESIGN §8): pass/fail, the criteria it was judged by, and its evidence.</summary>
public sealed record DrillResult(
    string Name,
    bool Passed,
    IReadOnlyList<DrillCriterion> Criteria,
    IReadOnlyList<KeyValuePair<string, string>> Evidence);

/// <summary>One criterion of a drill: the measured value against its threshold (both as printed).</summary>
public sealed record DrillCriterion(string Name, string Value, string Threshold, bool Passed);

/// <summary>The mitigation ladder and anti-pattern findings (DESIGN §9).</summary>
public sealed record AdviceReport(IReadOnlyList<Mitigation> Mitigations, IReadOnlyList<AntiPattern> AntiPatterns);

/// <summary>A ranked mitigation: what to do, the evidence for it, where, and what it is expected to save.</summary>
public sealed record Mitigation(
    int Rank,
    string Title,
    string Evidence,
    double? ExpectedGainBps,
    IReadOnlyList<string> Targets);

/// <summary>An anti-pattern found in the data: which one, what was seen (with numbers), and where.</summary>
public sealed record AntiPattern(string Name, string Finding, IReadOnlyList<string> Targets, string Severity);
