namespace DmaSlip.Core.Attribution;

/// <summary>
/// Flush-pressure bucket of a parent's life (<see cref="PressureBuckets"/>). Stored and printed by its stable text
/// name (<see cref="PressureBuckets.Name"/>): <c>unknown</c>, <c>calm</c>, <c>elevated</c>, <c>high</c>, <c>storm</c>.
/// </summary>
public enum PressureBucket
{
    Unknown,
    Calm,
    Elevated,
    High,
    Storm,
}
