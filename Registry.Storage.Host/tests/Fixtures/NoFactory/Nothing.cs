namespace Registry.Storage.Host.Tests.Fixtures;

/// <summary>A plugin assembly that exports no factory.</summary>
public static class Nothing
{
    public static int Answer => 42;
}
