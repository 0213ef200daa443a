namespace Registry.Storage.Bench;

/// <summary>The bench log: progress on stdout, failures on stderr (as Cake's Information and Error did).</summary>
internal static class Log
{
    public static void Information(string message) => Console.WriteLine(message);

    public static void Error(string message) => Console.Error.WriteLine(message);
}
