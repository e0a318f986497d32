using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Tests.Control;

public sealed class DeadlinePressureTests
{
    private const long S = Time.NanosPerSecond;

    [Fact]
    public void Worked_example_from_metrics_md()
    {
        // 1000 shares over 0..100 s. At 50 s with 400 filled: scheduled 0.5, executed 0.4, behind 0.1, time left 0.5 → 0.2.
        Assert.Equal(0.2, DeadlinePressure.OfParent(0, 100 * S, 1000, 400, 50 * S), 12);
        // At 80 s with 600 filled: behind 0.2, time left 0.2 → 1.0.
        Assert.Equal(1.0, DeadlinePressure.OfParent(0, 100 * S, 1000, 600, 80 * S), 12);
        // Book of both, weights 1000 and 3000: (0.2·1000 + 1.0·3000) / 4000 = 0.8.
        Assert.Equal(0.8, DeadlinePressure.Book([0.2, 1.0], [1000, 3000]), 12);
    }

    [Fact]
    public void A_parent_ahead_of_schedule_has_no_pressure_and_one_far_behind_is_capped_at_one()
    {
        Assert.Equal(0, DeadlinePressure.OfParent(0, 100 * S, 1000, 900, 50 * S));
        Assert.Equal(1, DeadlinePressure.OfParent(0, 100 * S, 1000, 0, 99 * S));
        Assert.Equal(0, DeadlinePressure.Book([], []));
    }
}
