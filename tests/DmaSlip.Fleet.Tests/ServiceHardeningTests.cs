using System.Text;
using DmaSlip.Service.Internal;

namespace DmaSlip.Fleet.Tests;

/// <summary>Input the service refuses before anything is written, and the brake on token guessing.</summary>
public sealed class ServiceHardeningTests
{
    [Theory]
    [InlineData("""{"pool":"p1","action":"pin","reason":"ok\nFAKE LOG LINE"}""")]
    [InlineData("""{"pool":"p1","action":"pin","reason":"ok \u001b[31mred"}""")]
    [InlineData("""{"pool":"p1","action":"pin","reason":"ok","actor":"a\rb"}""")]
    public void A_reason_or_actor_with_control_characters_is_refused(string body)
    {
        Assert.Null(RouteRequest.Parse(Encoding.UTF8.GetBytes(body), out var error));
        Assert.Contains("control characters", error, StringComparison.Ordinal);
        Assert.NotNull(RouteRequest.Parse("""{"pool":"p1","action":"pin","reason":"fine, with punctuation: ok"}"""u8, out _));
    }

    [Fact]
    public void Failed_token_attempts_are_limited_per_client_until_the_window_passes()
    {
        var time = new ManualTime();
        var limiter = new AuthFailureLimiter(time);
        for (var i = 0; i < AuthFailureLimiter.MaxFailures; i++)
        {
            Assert.Null(limiter.RetryAfter("10.0.0.1"));
            limiter.Fail("10.0.0.1");
            time.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(55, limiter.RetryAfter("10.0.0.1"));
        Assert.Null(limiter.RetryAfter("10.0.0.2"));
        time.Advance(TimeSpan.FromSeconds(55));
        Assert.Null(limiter.RetryAfter("10.0.0.1"));
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UnixEpoch;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
