namespace DmaSlip.Core.Advice;

/// <summary>
/// One rung of the mitigation ladder (DESIGN §9): a pure function of the stored facts that proposes mitigations of
/// one kind, each with its expected gain in bps per parent and how it was priced. Rank 0 (the engine ranks them).
/// </summary>
internal interface IMitigationRule
{
    /// <summary>The <see cref="MitigationKinds"/> value of what this rule proposes.</summary>
    string Kind { get; }

    IEnumerable<Mitigation> Propose(AdviceInputs inputs);
}
