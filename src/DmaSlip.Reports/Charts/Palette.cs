using DmaSlip.Core.Domain;
using ScottPlot;

namespace DmaSlip.Reports.Charts;

/// <summary>
/// The report's colours, shared by charts and CSS so a term or regime has one colour everywhere. Classical IS terms
/// are cool blues, IOMMU terms warm reds/oranges, regimes pale so that series drawn over them stay readable.
/// </summary>
internal static class Palette
{
    public const string Ink = "#1f2933";
    public const string Muted = "#616e7c";
    public const string Grid = "#e4e7eb";
    public const string Delay = "#243b53";
    public const string Impact = "#486581";
    public const string Miss = "#9fb3c8";
    public const string DmaJitter = "#c92a2a";
    public const string ServiceBurst = "#e8590c";
    public const string QueueDecay = "#f59f00";
    public const string Total = "#102a43";
    public const string Mean = "#2f6f9f";
    public const string Q95 = "#c92a2a";
    public const string Qdl = "#f59f00";
    public const string Dfi = "#c92a2a";
    public const string Pso = "#1864ab";

    /// <summary>Sequential colours for ordered pressure buckets, calm (green) to storm (red).</summary>
    private static readonly string[] PressureRamp = ["#2b8a3e", "#74b816", "#f59f00", "#e8590c", "#c92a2a", "#862e9c"];

    public static Color Of(string hex) => Color.FromHex(hex);

    public static string RegimeFill(Regime r) => r switch
    {
        Regime.MapStable => "#d3f9d8",
        Regime.PressureWatch => "#fff3bf",
        Regime.FlushStorm => "#ffc9c9",
        _ => "#e5dbff",
    };

    /// <summary>A stronger shade of the regime colour, for badges and legends on white.</summary>
    public static string RegimeInk(Regime r) => r switch
    {
        Regime.MapStable => "#2b8a3e",
        Regime.PressureWatch => "#e67700",
        Regime.FlushStorm => "#c92a2a",
        _ => "#6741d9",
    };

    public static string Pressure(int index, int count)
    {
        if (count <= 1)
        {
            return PressureRamp[0];
        }
        // spread the buckets over the whole calm→storm ramp, whatever their number
        var i = (int)Math.Round(index * (PressureRamp.Length - 2) / (double)(count - 1));
        return PressureRamp[Math.Clamp(i, 0, PressureRamp.Length - 1)];
    }
}
