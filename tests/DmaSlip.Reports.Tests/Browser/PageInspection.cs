using System.Text.Json;
using SkiaSharp;

namespace DmaSlip.Reports.Tests.Browser;

/// <summary>What a real browser saw when it opened a page.</summary>
internal sealed record PageInspection(
    IReadOnlyList<string> ConsoleErrors,
    IReadOnlyList<string> Requests,
    IReadOnlyList<SectionSeen> Sections,
    IReadOnlyList<ChartSeen> Charts,
    IReadOnlyList<string> NoDataSections,
    byte[] Screenshot,
    byte[] FullPageScreenshot)
{
    /// <summary>Opens <paramref name="htmlPath"/> at a laptop's viewport and inspects it.</summary>
    public static async Task<PageInspection> OpenAsync(string htmlPath, IEnumerable<string> sectionIds, int width = 1366, int height = 900)
    {
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.SendAsync("Page.enable");
        await browser.SendAsync("Runtime.enable");
        await browser.SendAsync("Log.enable");
        await browser.SendAsync("Network.enable");
        await browser.SendAsync("Emulation.setDeviceMetricsOverride", new { width, height, deviceScaleFactor = 1, mobile = false });
        var url = new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri;
        var nav = await browser.SendAsync("Page.navigate", new { url });
        if (nav.TryGetProperty("errorText", out var navError))
        {
            throw new InvalidOperationException($"navigation to {url} failed: {navError.GetString()}");
        }
        await browser.WaitForEventAsync("Page.loadEventFired", TimeSpan.FromSeconds(60));

        var ids = JsonSerializer.Serialize(sectionIds.ToArray());
        var dom = JsonDocument.Parse(await browser.EvaluateStringAsync(DomProbe.Replace("__IDS__", ids, StringComparison.Ordinal))).RootElement;
        var sections = dom.GetProperty("sections").EnumerateArray().Select(s => new SectionSeen(
            s.GetProperty("id").GetString()!, s.GetProperty("present").GetBoolean(), s.GetProperty("heading").GetString(),
            s.GetProperty("height").GetDouble())).ToList();
        var charts = dom.GetProperty("charts").EnumerateArray().Select(c => new ChartSeen(
            c.GetProperty("id").GetString() ?? "", c.GetProperty("hasSvg").GetBoolean(), c.GetProperty("shapes").GetInt32(),
            c.GetProperty("texts").GetInt32(), c.GetProperty("width").GetDouble(), c.GetProperty("height").GetDouble(),
            c.GetProperty("bboxWidth").GetDouble(), c.GetProperty("bboxHeight").GetDouble())).ToList();
        var noData = dom.GetProperty("noData").EnumerateArray().Select(x => x.GetString() ?? "").ToList();

        var shot = await browser.SendAsync("Page.captureScreenshot", new { format = "png" });
        var metrics = await browser.SendAsync("Page.getLayoutMetrics");
        var content = metrics.GetProperty("cssContentSize");
        var full = await browser.SendAsync("Page.captureScreenshot", new
        {
            format = "png",
            captureBeyondViewport = true,
            clip = new { x = 0, y = 0, width = content.GetProperty("width").GetDouble(), height = content.GetProperty("height").GetDouble(), scale = 1 },
        });

        var events = browser.Events;
        var errors = new List<string>();
        var requests = new List<string>();
        foreach (var (method, p) in events)
        {
            switch (method)
            {
                case "Runtime.exceptionThrown":
                    errors.Add("exception: " + p.GetProperty("exceptionDetails").GetRawText());
                    break;
                case "Runtime.consoleAPICalled" when p.GetProperty("type").GetString() is "error" or "assert":
                    errors.Add("console." + p.GetProperty("type").GetString() + ": " + p.GetProperty("args").GetRawText());
                    break;
                case "Log.entryAdded" when p.GetProperty("entry").GetProperty("level").GetString() == "error":
                    errors.Add("log: " + p.GetProperty("entry").GetProperty("text").GetString() + " " +
                        (p.GetProperty("entry").TryGetProperty("url", out var u) ? u.GetString() : ""));
                    break;
                case "Network.requestWillBeSent":
                    var reqUrl = p.GetProperty("request").GetProperty("url").GetString()!;
                    if (reqUrl != url)
                    {
                        requests.Add(reqUrl);
                    }
                    break;
            }
        }
        return new PageInspection(errors, requests, sections, charts, noData,
            Convert.FromBase64String(shot.GetProperty("data").GetString()!), Convert.FromBase64String(full.GetProperty("data").GetString()!));
    }

    /// <summary>Standard deviation of pixel luminance (0–255): near 0 for a blank or single-colour image.</summary>
    public static (double StdDev, double NonBackgroundShare, int Width, int Height) PixelStats(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png) ?? throw new InvalidOperationException("screenshot is not a PNG");
        double sum = 0, sumSq = 0;
        long n = 0, nonBg = 0;
        var bg = bitmap.GetPixel(bitmap.Width - 1, bitmap.Height - 1);
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                var l = 0.2126 * c.Red + 0.7152 * c.Green + 0.0722 * c.Blue;
                sum += l;
                sumSq += l * l;
                n++;
                if (Math.Abs(c.Red - bg.Red) + Math.Abs(c.Green - bg.Green) + Math.Abs(c.Blue - bg.Blue) > 24)
                {
                    nonBg++;
                }
            }
        }
        var mean = sum / n;
        return (Math.Sqrt(Math.Max(0, sumSq / n - mean * mean)), nonBg / (double)n, bitmap.Width, bitmap.Height);
    }

    private const string DomProbe = """
        (() => {
          const ids = __IDS__;
          const sections = ids.map(id => {
            const s = document.getElementById(id);
            const h = s ? s.querySelector('h2') : null;
            return { id, present: !!s && s.tagName === 'SECTION', heading: h ? h.textContent : null, height: s ? s.getBoundingClientRect().height : 0 };
          });
          const charts = [...document.querySelectorAll('.chart')].map(c => {
            const svg = c.querySelector('svg');
            const r = c.getBoundingClientRect();
            const bb = svg ? svg.getBBox() : { width: 0, height: 0 };
            return {
              id: c.id, hasSvg: !!svg,
              shapes: svg ? svg.querySelectorAll('path, rect, ellipse, circle, line, polyline, polygon').length : 0,
              texts: svg ? [...svg.querySelectorAll('text')].filter(t => t.textContent.trim().length > 0).length : 0,
              width: r.width, height: r.height, bboxWidth: bb.width, bboxHeight: bb.height
            };
          });
          const noData = [...document.querySelectorAll('.no-data')].map(n => { const s = n.closest('section'); return s ? s.id : ''; });
          return JSON.stringify({ sections, charts, noData });
        })()
        """;
}

internal sealed record SectionSeen(string Id, bool Present, string? Heading, double Height);

internal sealed record ChartSeen(string Id, bool HasSvg, int Shapes, int Texts, double Width, double Height, double BboxWidth, double BboxHeight);
