namespace Registry.Storage.Drivers.Swift.Auth;

/// <summary>What authentication yields: a token and the account's storage URL (<c>…/v1/AUTH_x</c>).</summary>
/// <remarks>Holds a credential: <see cref="ToString"/> never shows the token.</remarks>
internal sealed record SwiftSession(string Token, Uri StorageUrl)
{
    public override string ToString() => $"SwiftSession {{ StorageUrl = {StorageUrl}, Token = *** }}";
}

/// <summary>One authentication protocol (tempauth v1, Keystone v2 or v3).</summary>
internal interface ISwiftAuthenticator
{
    /// <summary>Obtains a new token and storage URL.</summary>
    Task<SwiftSession> AuthenticateAsync(HttpClient http, CancellationToken cancellationToken);
}

/// <summary>Authentication was refused or its answer made no sense; the message never holds a credential.</summary>
internal sealed class SwiftAuthException(string message, Exception? inner = null) : Exception(message, inner);
