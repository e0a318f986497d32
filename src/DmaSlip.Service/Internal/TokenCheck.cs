using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace DmaSlip.Service.Internal;

/// <summary>
/// Bearer-token check for state-changing endpoints. The token comes from <c>--token-file</c>; without one, writes are
/// refused. Compared in constant time.
/// </summary>
internal sealed class TokenCheck
{
    private readonly byte[]? _token;

    private TokenCheck(byte[]? token) => _token = token;

    public static TokenCheck FromFile(string? path)
    {
        if (path is null)
        {
            return new TokenCheck(null);
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Token file '{path}' does not exist.", path);
        }
        var token = File.ReadAllText(path).Trim();
        if (token.Length < 16 || token.Any(char.IsWhiteSpace))
        {
            throw new InvalidDataException($"Token in '{path}' must be at least 16 characters without whitespace.");
        }
        return new TokenCheck(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>Null when the request carries the token, else the reason it is refused.</summary>
    public string? Refusal(HttpRequest request)
    {
        if (_token is null)
        {
            return "writes are disabled: the service was started without --token-file";
        }
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return "missing 'Authorization: Bearer <token>' header";
        }
        var given = Encoding.UTF8.GetBytes(header[prefix.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, _token) ? null : "invalid token";
    }
}
