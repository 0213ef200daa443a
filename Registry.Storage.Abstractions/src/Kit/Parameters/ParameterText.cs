namespace Registry.Storage.Kit;

/// <summary>Wording shared by the parameter kinds.</summary>
internal static class ParameterText
{
    /// <summary>"<c>min to max</c>", "<c>at least min</c>", "<c>at most max</c>", or <see langword="null"/> for an open range.</summary>
    public static string? Range(string? min, string? max) => (min, max) switch
    {
        (not null, not null) => $"{min} to {max}",
        (not null, null) => $"at least {min}",
        (null, not null) => $"at most {max}",
        _ => null,
    };
}
