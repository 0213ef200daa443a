using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Registry.Storage.Host.Cli;

/// <summary>
/// Parses whole-number options with a message a user can act on: the parser's own names a CLR type
/// ("expected type 'System.Int64'").
/// </summary>
internal static class WholeNumbers
{
    /// <summary>A custom parser accepting whole numbers of at least <paramref name="min"/>.</summary>
    public static Func<ArgumentResult, T> AtLeast<T>(T min)
        where T : struct, IBinaryInteger<T> => result =>
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
        if (T.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min)
        {
            return value;
        }

        var name = result.Parent is OptionResult option ? option.Option.Name : "the value";
        result.AddError($"{name} expects a whole number of at least {min}, got '{text}'");
        return min;
    };
}
