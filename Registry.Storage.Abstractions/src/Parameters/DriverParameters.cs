using System.Collections;
using System.Globalization;

namespace Registry.Storage;

/// <summary>
/// A driver's configuration: a case-insensitive map of parameter names to values as YAML,
/// JSON, environment variables or code give them (strings, numbers, booleans, nested maps,
/// lists), with typed accessors whose errors name the driver, the parameter, the value
/// (masked when secret) and what is allowed.
/// </summary>
public sealed class DriverParameters : IReadOnlyDictionary<string, object?>
{
    private readonly Dictionary<string, object?> _values;
    private readonly HashSet<string> _secretNames;

    /// <summary>Creates parameters for <paramref name="driverName"/>.</summary>
    /// <param name="driverName">Named in every error.</param>
    /// <param name="values">The raw values; later duplicates (case-insensitively) win.</param>
    /// <param name="secretNames">Parameter names to mask in messages, beyond those that look secret (<see cref="LooksSecret"/>).</param>
    public DriverParameters(string driverName, IEnumerable<KeyValuePair<string, object?>>? values = null, IEnumerable<string>? secretNames = null)
    {
        DriverName = driverName;
        _values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in values ?? [])
        {
            _values[key] = value;
        }

        _secretNames = new HashSet<string>(secretNames ?? [], StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The driver these parameters configure.</summary>
    public string DriverName { get; }

    /// <summary>The clock drivers use for expiries (redirect URLs, signatures); replaceable in tests.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <inheritdoc />
    public int Count => _values.Count;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _values.Keys;

    /// <inheritdoc />
    public IEnumerable<object?> Values => _values.Values;

    /// <inheritdoc />
    public object? this[string key] => _values[key];

    /// <inheritdoc />
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, out object? value) => _values.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A copy with <paramref name="name"/> set to <paramref name="value"/>.</summary>
    public DriverParameters With(string name, object? value)
    {
        var copy = new DriverParameters(DriverName, _values, _secretNames) { TimeProvider = TimeProvider };
        copy._values[name] = value;
        return copy;
    }

    /// <summary>A copy that also masks <paramref name="name"/> (a parameter declared secret whose name does not look it).</summary>
    internal DriverParameters WithSecret(string name) =>
        new(DriverName, _values, _secretNames.Append(name)) { TimeProvider = TimeProvider };

    /// <summary>Whether <paramref name="name"/> has a value (neither absent, null nor empty text), as every accessor decides.</summary>
    internal bool HasValue(string name) => TryGetRaw(name, out _);

    /// <summary>Whether the value of <paramref name="name"/> must never be shown.</summary>
    public bool IsSecret(string name) => _secretNames.Contains(name) || LooksSecret(name);

    /// <summary>
    /// Whether a parameter name looks like a credential (keys, secrets, passwords, tokens,
    /// connection strings); used when a driver has not declared its parameters.
    /// </summary>
    public static bool LooksSecret(string name)
    {
        var n = name.ToLowerInvariant();
        return n.EndsWith("key", StringComparison.Ordinal)
            || n.Contains("secret", StringComparison.Ordinal)
            || n.Contains("password", StringComparison.Ordinal)
            || n.Contains("token", StringComparison.Ordinal)
            || n.Contains("connectionstring", StringComparison.Ordinal)
            || n.Contains("credential", StringComparison.Ordinal)
            || n.Contains("sas", StringComparison.Ordinal);
    }

    /// <summary>The value of <paramref name="name"/> for display: masked when secret.</summary>
    public string Show(string name) =>
        !_values.TryGetValue(name, out var value) || value is null ? "(unset)"
        : IsSecret(name) ? "******"
        : value is IDictionary or IList ? "{…}" : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    /// <summary>The string value, or <paramref name="defaultValue"/> when unset or empty.</summary>
    public string? GetString(string name, string? defaultValue = null) =>
        _values.TryGetValue(name, out var value) && value is not null && AsText(name, value) is { Length: > 0 } text ? text : defaultValue;

    /// <summary>The string value; throws when it is unset or empty.</summary>
    public string GetRequiredString(string name, string expected = "a non-empty string") =>
        GetString(name) ?? throw Missing(name, expected);

    /// <summary>A boolean (<c>true</c>/<c>false</c>, case-insensitive; YAML and JSON booleans).</summary>
    public bool GetBoolean(string name, bool defaultValue)
    {
        if (!TryGetRaw(name, out var value))
        {
            return defaultValue;
        }

        return value switch
        {
            bool b => b,
            string s when bool.TryParse(s.Trim(), out var parsed) => parsed,
            _ => throw Invalid(name, value, "true or false"),
        };
    }

    /// <summary>A 32-bit integer within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int GetInt32(string name, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        // Open bounds stay open in the message; the int range is still enforced.
        var value = GetInt64(name, defaultValue, min == int.MinValue ? long.MinValue : min, max == int.MaxValue ? long.MaxValue : max);
        return value is < int.MinValue or > int.MaxValue
            ? throw Invalid(name, _values[name], "an integer that fits in 32 bits")
            : (int)value;
    }

    /// <summary>A 64-bit integer within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long GetInt64(string name, long defaultValue, long min = long.MinValue, long max = long.MaxValue)
    {
        if (!TryGetRaw(name, out var value))
        {
            return defaultValue;
        }

        var expected = RangeText("an integer",
            min == long.MinValue ? null : min.ToString(CultureInfo.InvariantCulture),
            max == long.MaxValue ? null : max.ToString(CultureInfo.InvariantCulture));
        long number = value switch
        {
            int i => i,
            long l => l,
            double d when d == Math.Floor(d) && d is >= long.MinValue and <= long.MaxValue => (long)d,
            string s when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => throw Invalid(name, value, expected),
        };
        return number < min || number > max ? throw Invalid(name, value, expected) : number;
    }

    /// <summary>A byte size (<c>10MB</c>, <c>5 MiB</c>, <c>1048576</c>) within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long GetByteSize(string name, long defaultValue, long min = 0, long max = long.MaxValue)
    {
        if (!TryGetRaw(name, out var value))
        {
            return defaultValue;
        }

        var expected = RangeText("a byte size such as 10MB",
            min <= 0 ? null : ByteSize.Format(min),
            max == long.MaxValue ? null : ByteSize.Format(max));
        long bytes = value switch
        {
            int i => i,
            long l => l,
            double d when d == Math.Floor(d) && d is >= 0 and <= long.MaxValue => (long)d,
            string s when ByteSize.TryParse(s, out var parsed) => parsed,
            _ => throw Invalid(name, value, expected),
        };
        return bytes < min || bytes > max ? throw Invalid(name, value, expected) : bytes;
    }

    /// <summary>A duration (<c>100ms</c>, <c>1h30m</c>; a bare integer is seconds) within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public TimeSpan GetDuration(string name, TimeSpan defaultValue, TimeSpan? min = null, TimeSpan? max = null)
    {
        if (!TryGetRaw(name, out var value))
        {
            return defaultValue;
        }

        var low = min ?? TimeSpan.Zero;
        var high = max ?? TimeSpan.MaxValue;
        var expected = RangeText("a duration such as 100ms or 1h30m",
            low <= TimeSpan.Zero ? null : low.ToString("c", CultureInfo.InvariantCulture),
            high == TimeSpan.MaxValue ? null : high.ToString("c", CultureInfo.InvariantCulture));
        TimeSpan duration = value switch
        {
            TimeSpan t => t,
            int i => TimeSpan.FromSeconds(i),
            long l => TimeSpan.FromSeconds(l),
            string s when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) => TimeSpan.FromSeconds(seconds),
            string s when GoDuration.TryParse(s, out var parsed) => parsed,
            _ => throw Invalid(name, value, expected),
        };
        return duration < low || duration > high ? throw Invalid(name, value, expected) : duration;
    }

    /// <summary>One of the names of <typeparamref name="TEnum"/>, case-insensitively (underscores and dashes ignored).</summary>
    public TEnum GetEnum<TEnum>(string name, TEnum defaultValue)
        where TEnum : struct, Enum
    {
        if (!TryGetRaw(name, out var value))
        {
            return defaultValue;
        }

        var text = AsText(name, value).Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        throw Invalid(name, value, "one of " + string.Join(", ", Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant())));
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive), returned as spelled in <paramref name="allowed"/>.</summary>
    public string GetChoice(string name, string defaultValue, params string[] allowed)
    {
        if (!TryGetRaw(name, out var value))
        {
            return defaultValue;
        }

        var text = AsText(name, value).Trim();
        return allowed.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase))
            ?? throw Invalid(name, value, "one of " + string.Join(", ", allowed));
    }

    /// <summary>A list of strings: a YAML/JSON list, or one comma-separated string.</summary>
    public IReadOnlyList<string> GetStringList(string name, IReadOnlyList<string>? defaultValue = null)
    {
        if (!TryGetRaw(name, out var value))
        {
            return defaultValue ?? [];
        }

        return value switch
        {
            string s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            IEnumerable<object?> items => items.Select(i => Convert.ToString(i, CultureInfo.InvariantCulture) ?? "").ToArray(),
            _ => throw Invalid(name, value, "a list of strings"),
        };
    }

    /// <summary>A nested map (such as azure's <c>credentials</c>) as parameters of the same driver, or <see langword="null"/> when unset.</summary>
    public DriverParameters? GetSection(string name)
    {
        if (!TryGetRaw(name, out var value))
        {
            return null;
        }

        IEnumerable<KeyValuePair<string, object?>> entries = value switch
        {
            IEnumerable<KeyValuePair<string, object?>> typed => typed,
            IDictionary map => map.Keys.Cast<object>().Select(k => new KeyValuePair<string, object?>(Convert.ToString(k, CultureInfo.InvariantCulture) ?? "", map[k])),
            _ => throw Invalid(name, value, "a map of parameters"),
        };
        return new DriverParameters(DriverName, entries, _secretNames) { TimeProvider = TimeProvider };
    }

    /// <summary>Throws naming every parameter not in <paramref name="known"/>, so a typo never goes unnoticed.</summary>
    public void RejectUnknown(IEnumerable<string> known)
    {
        var knownSet = new HashSet<string>(known, StringComparer.OrdinalIgnoreCase);
        var unknown = _values.Keys.Where(k => !knownSet.Contains(k)).Order(StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
        {
            throw new InvalidParameterException(DriverName, unknown[0], "(unknown parameter)",
                $"one of the parameters this driver understands: {string.Join(", ", knownSet.Order(StringComparer.Ordinal))}"
                + (unknown.Length > 1 ? $" (also unknown: {string.Join(", ", unknown.Skip(1))})" : ""));
        }
    }

    /// <summary>An error naming the driver, <paramref name="name"/>, its (masked) value and <paramref name="expected"/>.</summary>
    public InvalidParameterException Invalid(string name, object? value, string expected) =>
        new(DriverName, name, ShowValue(name, value), expected);

    /// <summary>An error for a required parameter that is missing.</summary>
    public InvalidParameterException Missing(string name, string expected) => new(DriverName, name, null, expected);

    private bool TryGetRaw(string name, out object value)
    {
        if (_values.TryGetValue(name, out var raw) && raw is not null && !(raw is string s && s.Length == 0))
        {
            value = raw;
            return true;
        }

        value = null!;
        return false;
    }

    private string AsText(string name, object value) => value switch
    {
        string s => s,
        bool or int or long or double or decimal => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => throw Invalid(name, value, "a single value"),
    };

    private string ShowValue(string name, object? value) =>
        IsSecret(name) ? "(secret, hidden)"
        : value is string s ? $"\"{s}\""
        : value is IDictionary ? "(a map)"
        : value is IEnumerable and not string ? "(a list)"
        : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "(null)";

    private static string RangeText(string kind, string? min, string? max) => (min, max) switch
    {
        (not null, not null) => $"{kind} from {min} to {max}",
        (not null, null) => $"{kind} of at least {min}",
        (null, not null) => $"{kind} of at most {max}",
        _ => kind,
    };
}
