using System.Globalization;
using System.Net;

namespace DmaSlip.Reports;

/// <summary>Escaping and number formatting for the report (invariant culture; "–" for a missing value).</summary>
internal static class Fmt
{
    public const string Missing = "–";

    public static string Text(string? s) => WebUtility.HtmlEncode(s ?? "");

    public static string Attr(string? s) => WebUtility.HtmlEncode(s ?? "");

    public static string Num(double? v, string format = "0.00") =>
        v is { } x && double.IsFinite(x) ? NoNegativeZero(x.ToString(format, CultureInfo.InvariantCulture)) : Missing;

    /// <summary>Signed bps, e.g. "+1.25".</summary>
    public static string Bps(double? v) => Num(v, "+0.00;-0.00;0.00");

    public static string Pct(double? share, string format = "0.0") =>
        share is { } x && double.IsFinite(x) ? NoNegativeZero((x * 100).ToString(format, CultureInfo.InvariantCulture)) + " %" : Missing;

    /// <summary>"-0.0" (a tiny negative rounded away) reads as a sign error; show it as "0.0".</summary>
    private static string NoNegativeZero(string s) => s.StartsWith('-') && s.AsSpan(1).IndexOfAnyExcept("0.,") < 0 ? s[1..] : s;

    public static string Int(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    public static string Time(long ns) => DmaSlip.Core.Domain.Time.ToIso(ns);
}
