namespace Registry.Server.Auth;

/// <summary>One resource a request needs, as distribution's token scopes name it (<c>repository:library/alpine:pull,push</c>).</summary>
public sealed record AccessRequest(string Type, string Name, IReadOnlyList<string> Actions)
{
    /// <summary>The scope string of a token challenge.</summary>
    public string Scope => $"{Type}:{Name}:{string.Join(',', Actions)}";
}

/// <summary>The outcome of authenticating a request.</summary>
/// <param name="User">The authenticated user, or null when refused.</param>
/// <param name="Challenge">The <c>WWW-Authenticate</c> value when refused.</param>
/// <param name="Detail">Why the request was refused.</param>
public sealed record AuthResult(string? User, string? Challenge, string? Detail)
{
    /// <summary>Whether the request may proceed.</summary>
    public bool Succeeded => User is not null;

    /// <summary>A success for <paramref name="user"/>.</summary>
    public static AuthResult Success(string user) => new(user, null, null);

    /// <summary>A refusal with its challenge.</summary>
    public static AuthResult Fail(string challenge, string detail) => new(null, challenge, detail);
}
