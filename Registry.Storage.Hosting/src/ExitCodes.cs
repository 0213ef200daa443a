namespace Registry.Storage.Hosting;

/// <summary>The exit codes every Registry.Storage command uses (README's table).</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The operation failed (not found, backend error); retrying may help for transient errors.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage or configuration: fix the command or the config file.</summary>
    public const int Usage = 2;

    /// <summary>A plugin could not be loaded, or conformance tests failed.</summary>
    public const int Plugin = 3;
}
