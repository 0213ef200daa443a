using System.Globalization;
using Microsoft.Extensions.Configuration;
using Registry.Storage.Hosting.Decorators;

namespace Registry.Storage.Hosting.Configuration;

/// <summary>One entry of a middleware list: distribution's <c>{ name, options, disabled }</c>.</summary>
/// <param name="Name">The middleware's name (<c>cloudfront</c>, <c>retry</c> …).</param>
/// <param name="Options">Its options, as configuration gives them.</param>
/// <param name="Disabled">Listed but switched off (turns off the default-on logging, metrics and tracing).</param>
public sealed record MiddlewareEntry(string Name, IReadOnlyDictionary<string, object?> Options, bool Disabled = false);

/// <summary>
/// Reads the decorators and storage middleware from configuration in distribution's shape —
/// <c>middleware: { storage: [ { name: cloudfront, options: { … } } ] }</c> at the root — or
/// inside the storage section (<c>storage: { s3: …, middleware: [ … ] }</c>). Every decorator
/// is configured by name like a driver: <c>logging</c>, <c>metrics</c>, <c>tracing</c>,
/// <c>retry</c>, <c>timeout</c>, <c>maxthreads</c>, <c>faultinjection</c>, <c>redirect</c>,
/// <c>rewrite</c>, <c>cloudfront</c>. Unknown names and options fail, naming what is allowed.
/// </summary>
public static class MiddlewareConfiguration
{
    /// <summary>The middleware names understood.</summary>
    public static readonly IReadOnlyList<string> Names =
        ["logging", "metrics", "tracing", "retry", "timeout", "maxthreads", "faultinjection", "redirect", "rewrite", "cloudfront"];

    /// <summary>The decorator options <paramref name="configuration"/> describes (defaults when it has no middleware).</summary>
    /// <exception cref="InvalidParameterException">An entry has an unknown name, an unknown option or a bad value.</exception>
    public static DecoratorOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var entries = Entries(configuration.GetSection("middleware:storage"))
            .Concat(Entries(configuration.GetSection("storage:middleware")))
            .ToList();
        var rootDirectory = StorageConfiguration.Select(configuration)?.Parameters.GetValueOrDefault("rootdirectory") as string;
        return FromEntries(entries, rootDirectory);
    }

    /// <summary>The decorator options for <paramref name="entries"/>; <paramref name="driverRootDirectory"/> lets cloudfront name the s3 object keys.</summary>
    public static DecoratorOptions FromEntries(IEnumerable<MiddlewareEntry> entries, string? driverRootDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var options = DecoratorOptions.Default;
        foreach (var entry in entries)
        {
            var name = entry.Name.Trim().ToLowerInvariant();
            var p = new DriverParameters("middleware " + name, entry.Options, ["privatekey"]);
            options = name switch
            {
                "logging" => Plain(p) with { Logging = !entry.Disabled },
                "metrics" => Plain(p) with { Metrics = !entry.Disabled },
                "tracing" => Plain(p) with { Tracing = !entry.Disabled },
                _ when entry.Disabled => options,
                "retry" => Known(p, "maxretries", "delay", "maxdelay") with
                {
                    Retry = new RetryOptions(
                        p.GetInt32("maxretries", 3, 0, 100),
                        p.GetDuration("delay", TimeSpan.FromMilliseconds(200)),
                        p.GetDuration("maxdelay", TimeSpan.FromSeconds(10))),
                },
                "timeout" => Known(p, "timeout") with { Timeout = p.GetDuration("timeout", TimeSpan.Zero, TimeSpan.FromMilliseconds(1)) is { } t && t > TimeSpan.Zero ? t : throw p.Missing("timeout", "a duration such as 30s") },
                "maxthreads" => Known(p, "maxthreads") with { MaxConcurrency = p.GetInt32("maxthreads", 0, 1) is > 0 and var m ? m : throw p.Missing("maxthreads", "an integer of at least 1") },
                "faultinjection" => Known(p, "errorrate", "latency", "truncatereads", "seed", "operations") with
                {
                    Faults = new FaultInjectionOptions(Rate(p, "errorrate"), p.GetDuration("latency", TimeSpan.Zero), Rate(p, "truncatereads"),
                        p.ContainsKey("seed") ? p.GetInt32("seed", 0) : null,
                        p.ContainsKey("operations") ? p.GetStringList("operations") : null),
                },
                "redirect" => Known(p, "baseurl") with { RedirectBaseUrl = AbsoluteUrl(p, "baseurl", addScheme: false) },
                "rewrite" => Known(p, "scheme", "host", "trimpathprefix") with
                {
                    Rewrite = new RewriteOptions(p.GetString("scheme"), p.GetString("host"), p.GetString("trimpathprefix")),
                },
                "cloudfront" => Known(p, "baseurl", "privatekey", "keypairid", "duration") with
                {
                    CloudFront = new CloudFrontOptions(
                        AbsoluteUrl(p, "baseurl", addScheme: true),
                        PrivateKey(p),
                        p.GetRequiredString("keypairid"),
                        p.GetDuration("duration", TimeSpan.FromMinutes(20), TimeSpan.FromSeconds(1)),
                        driverRootDirectory),
                },
                _ => throw new InvalidParameterException("middleware", "name", entry.Name, "one of " + string.Join(", ", Names)),
            };

            // Each `with` above starts from the options so far; Plain/Known only check the option names.
            DecoratorOptions Plain(DriverParameters parameters) => Known(parameters);

            DecoratorOptions Known(DriverParameters parameters, params string[] names)
            {
                parameters.RejectUnknown(names);
                return options;
            }
        }

        return options;
    }

    private static IEnumerable<MiddlewareEntry> Entries(IConfigurationSection list)
    {
        foreach (var item in list.GetChildren())
        {
            var name = item["name"];
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new InvalidParameterException("middleware", $"{item.Path}:name", null, "the middleware's name, one of " + string.Join(", ", Names));
            }

            var options = item.GetSection("options");
            var disabled = item["disabled"] is { Length: > 0 } d && (bool.TryParse(d, out var b) ? b
                : throw new InvalidParameterException("middleware " + name, "disabled", d, "true or false"));
            yield return new MiddlewareEntry(name, options.Exists() ? StorageConfiguration.ToMap(options) : new Dictionary<string, object?>(), disabled);
        }
    }

    private static double Rate(DriverParameters p, string name)
    {
        var text = p.GetString(name);
        if (text is null)
        {
            return 0;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate is >= 0 and <= 1
            ? rate
            : throw p.Invalid(name, text, "a probability between 0 and 1");
    }

    private static Uri AbsoluteUrl(DriverParameters p, string name, bool addScheme)
    {
        var text = p.GetRequiredString(name, "an absolute URL such as https://cdn.example.com/");
        if (addScheme && !text.Contains("://", StringComparison.Ordinal))
        {
            text = "https://" + text; // distribution's cloudfront does the same
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var url) && !string.IsNullOrEmpty(url.Host)
            ? url
            : throw p.Invalid(name, text, "an absolute URL with a scheme and a host");
    }

    // distribution reads privatekey as a file path; a PEM given inline is accepted too.
    private static string PrivateKey(DriverParameters p)
    {
        var value = p.GetRequiredString("privatekey", "a PEM RSA private key or the path of a file holding one");
        var pem = value.Contains("-----BEGIN", StringComparison.Ordinal) ? value
            : File.Exists(value) ? File.ReadAllText(value)
            : throw p.Invalid("privatekey", value, "a PEM RSA private key or the path of an existing file holding one");
        try
        {
            CloudFrontMiddleware.LoadKey(pem).Dispose();
        }
        catch (ArgumentException)
        {
            throw p.Invalid("privatekey", value, "an RSA private key in PEM form (PKCS#1 or PKCS#8)");
        }

        return pem;
    }
}
