using System.Globalization;

namespace DmaSlip.Core.Advice;

/// <summary>Invariant-culture messages and the evidence's rounding, shared by the rules.</summary>
internal static class AdviceText
{
    public static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public static double Round(double v) => Math.Round(v, 3);
}
