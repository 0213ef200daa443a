using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Registry.Storage.Host.Tests;

/// <summary>
/// stdout carries command output only — file bytes for <c>cat</c>, one JSON document for
/// <c>--output json</c> — so it can be piped; logs, even with <c>--verbose</c>, go to stderr.
/// </summary>
[TestFixture]
public sealed class CliOutputStreamTests
{
    private RegstoreProcess _regstore = null!;

    [SetUp]
    public void CreateScratch() => _regstore = RegstoreProcess.CreateScratch("streams");

    [TearDown]
    public void RemoveScratch() => _regstore.Dispose();

    [Test]
    [CancelAfter(60_000)]
    public async Task Verbose_logs_go_to_stderr_and_stdout_holds_only_the_output(CancellationToken cancellationToken)
    {
        var content = RandomNumberGenerator.GetBytes(4096);
        var file = Path.Combine(_regstore.Work, "content.bin");
        await File.WriteAllBytesAsync(file, content, cancellationToken);
        (await _regstore.RunAsync(cancellationToken, "put", "/streams/blob", file)).ExitCode.ShouldBe(0);

        var cat = await _regstore.RunAsync(cancellationToken, "cat", "/streams/blob", "--verbose");
        cat.ExitCode.ShouldBe(0);
        cat.Stdout.ShouldBe(content, "cat with --verbose wrote exactly the file's bytes to stdout");
        cat.Stderr.ShouldNotBeEmpty("--verbose logs plugin loading to stderr");

        var stat = await _regstore.RunAsync(cancellationToken, "stat", "/streams/blob", "--output", "json", "--verbose");
        stat.ExitCode.ShouldBe(0);
        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(stat.Stdout));
        json.RootElement.GetProperty("size").GetInt64().ShouldBe(content.Length);
    }
}
