using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using DmaSlip.Testing;

namespace DmaSlip.Reports.Tests.Browser;

/// <summary>
/// Debian's headless Chromium driven over the DevTools protocol with nothing but a WebSocket: no browser download,
/// no driver package. One browser process and one page per instance; disposing kills the process (by its id) and
/// deletes its profile folder.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly TempDir _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly List<(string Method, JsonElement Params)> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly StringBuilder _stderr = new();
    private Task? _reader;
    private int _nextId;

    private HeadlessChromium(Process process, TempDir profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The browser's executable: <c>DMASLIP_CHROMIUM</c>, else the Debian package's <c>/usr/bin/chromium</c>.</summary>
    public static string? FindExecutable()
    {
        var fromEnv = Environment.GetEnvironmentVariable("DMASLIP_CHROMIUM");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return File.Exists(fromEnv) ? fromEnv : null;
        }
        return new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);
    }

    public static async Task<HeadlessChromium> StartAsync()
    {
        var exe = FindExecutable() ?? throw new InvalidOperationException(
            "headless Chromium not found (/usr/bin/chromium). Install the Debian package `chromium` (scripts/test.sh does).");
        var profile = new TempDir();
        var psi = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions", "--mute-audio",
            "--hide-scrollbars", "--disable-dev-shm-usage",
            // a request that slipped through must not leave the machine: every host name fails to resolve
            "--host-resolver-rules=MAP * ~NOTFOUND",
            $"--user-data-dir={profile.Path}", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank",
        })
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {exe}");
        var browser = new HeadlessChromium(process, profile);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (browser._stderr)
            {
                browser._stderr.AppendLine(e.Data);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var port = await browser.ReadDevToolsPortAsync();
            await browser.ConnectToPageAsync(port);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Every protocol event received so far.</summary>
    public IReadOnlyList<(string Method, JsonElement Params)> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public async Task<JsonElement> SendAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?> { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new { } });
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, _stop.Token);
        return await tcs.Task.WaitAsync(CallTimeout);
    }

    /// <summary>Waits until an event named <paramref name="method"/> has arrived (including ones already received).</summary>
    public async Task WaitForEventAsync(string method, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (Events.Any(e => e.Method == method))
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"no {method} within {timeout.TotalSeconds} s. Browser stderr:\n{Stderr}");
    }

    /// <summary>Evaluates a JavaScript expression whose value is a string (use JSON.stringify for objects).</summary>
    public async Task<string> EvaluateStringAsync(string expression)
    {
        var r = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true });
        if (r.TryGetProperty("exceptionDetails", out var ex))
        {
            throw new InvalidOperationException("script failed: " + ex.GetRawText());
        }
        return r.GetProperty("result").GetProperty("value").GetString() ?? "";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // the browser is killed next anyway
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        if (_reader is not null)
        {
            await Task.WhenAny(_reader, Task.Delay(2000));
        }
        _socket.Dispose();
        _process.Dispose();
        _profile.Dispose();
        _stop.Dispose();
    }

    /// <summary>Chromium writes the port it chose into <c>DevToolsActivePort</c> in its profile folder.</summary>
    private async Task<int> ReadDevToolsPortAsync()
    {
        var file = Path.Combine(_profile.Path, "DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Chromium exited with {_process.ExitCode}:\n{Stderr}");
            }
            if (File.Exists(file))
            {
                var lines = await File.ReadAllLinesAsync(file);
                if (lines.Length > 0 && int.TryParse(lines[0], out var port) && port > 0)
                {
                    return port;
                }
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Chromium did not open its DevTools port in {StartTimeout.TotalSeconds} s:\n{Stderr}");
    }

    private async Task ConnectToPageAsync(int port)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(20) };
        var targets = JsonDocument.Parse(await http.GetStringAsync("json/list")).RootElement;
        var page = targets.EnumerateArray().FirstOrDefault(t => t.GetProperty("type").GetString() == "page");
        if (page.ValueKind == JsonValueKind.Undefined)
        {
            using var created = await http.PutAsync("json/new?about:blank", null);
            page = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        }
        var url = page.GetProperty("webSocketDebuggerUrl").GetString()!;
        await _socket.ConnectAsync(new Uri(url), _stop.Token);
        _reader = Task.Run(ReadLoopAsync);
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var r = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage)
                {
                    continue;
                }
                using var doc = JsonDocument.Parse(message.ToArray());
                message.SetLength(0);
                var root = doc.RootElement.Clone();
                if (root.TryGetProperty("id", out var idEl) && _pending.TryRemove(idEl.GetInt32(), out var tcs))
                {
                    if (root.TryGetProperty("error", out var err))
                    {
                        tcs.TrySetException(new InvalidOperationException("DevTools error: " + err.GetRawText()));
                    }
                    else
                    {
                        tcs.TrySetResult(root.GetProperty("result"));
                    }
                }
                else if (root.TryGetProperty("method", out var m))
                {
                    lock (_events)
                    {
                        _events.Add((m.GetString()!, root.TryGetProperty("params", out var p) ? p : default));
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // closing
        }
        foreach (var p in _pending.Values)
        {
            p.TrySetCanceled();
        }
    }
}
