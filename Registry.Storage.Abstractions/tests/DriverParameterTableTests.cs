using System.Text;
using Registry.Storage.Kit;

namespace Registry.Storage.Tests;

/// <summary>The kit that declares each parameter once: reading, defaults, ranges, descriptions, unknown names and masking.</summary>
public class DriverParameterTableTests
{
    private enum Signing
    {
        V4,
        V1,
    }

    private static readonly StringParameter Bucket = new("bucket", "The bucket.") { Required = true, Expected = "the bucket name" };
    private static readonly StringParameter Root = new("rootdirectory", "Key prefix.") { Default = "" };
    private static readonly StringParameter AccessKey = new("accesskey", "The access key.") { Secret = true };
    private static readonly StringParameter Passphrase = new("phrase", "Not named like a credential.") { Secret = true };
    private static readonly BooleanParameter Secure = new("secure", "HTTPS.") { Default = true };
    private static readonly Int32Parameter Concurrency = new("uploadconcurrency", "Parts at once.") { Default = 4, Min = 1, Max = 64 };
    private static readonly Int32Parameter Retries = new("max_retries", "Polls.") { Default = 5, Min = -1 };
    private static readonly SizeParameter ChunkSize = new("chunksize", "Part size.") { Default = 10L << 20, Min = 5L << 20, Max = 5L << 30 };
    private static readonly DurationParameter Delay = new("retry_delay", "Base delay.") { Default = TimeSpan.FromMilliseconds(100) };
    private static readonly DurationParameter Timeout = new("timeout", "Bound.") { Default = TimeSpan.FromSeconds(30), Min = TimeSpan.FromSeconds(1), Max = TimeSpan.FromHours(1) };
    private static readonly ChoiceParameter Acl = new("objectacl", "Canned ACL.", ["private", "public-read"]);
    private static readonly EnumParameter<Signing> SignatureVersion = new("signatureversion", "Signing.");
    private static readonly StringListParameter Methods = new("tempurlmethods", "Methods.");
    private static readonly StringParameter Secret = new("secret", "Client secret.") { Secret = true };
    private static readonly SectionParameter Credentials = new("credentials", "How to authenticate.",
        new DriverParameterTable(new ChoiceParameter("type", "Kind.", ["shared_key", "client_secret"]), new StringParameter("clientid", "Client."), Secret));

    private static readonly DriverParameterTable Table = new(
        Bucket, Root, AccessKey, Passphrase, Secure, Concurrency, Retries, ChunkSize, Delay, Timeout, Acl, SignatureVersion, Methods, Credentials);

    private static DriverParameters Make(params (string Key, object? Value)[] values) =>
        new("acme", values.Select(v => new KeyValuePair<string, object?>(v.Key, v.Value)));

    [Test]
    public void Unset_parameters_read_as_their_typed_defaults()
    {
        var empty = Make();
        Root.Read(empty).ShouldBe("");
        AccessKey.Read(empty).ShouldBeNull();
        Secure.Read(empty).ShouldBeTrue();
        Concurrency.Read(empty).ShouldBe(4);
        ChunkSize.Read(empty).ShouldBe(10L << 20);
        Delay.Read(empty).ShouldBe(TimeSpan.FromMilliseconds(100));
        Acl.Read(empty).ShouldBe("private", "a choice defaults to its first word");
        SignatureVersion.Read(empty).ShouldBe(Signing.V4);
        Methods.Read(empty).ShouldBeEmpty();
        Credentials.Read(empty).ShouldBeNull();
    }

    [Test]
    public void Values_are_read_with_the_typed_accessors()
    {
        var parameters = Make(("BUCKET", "b"), ("secure", "false"), ("uploadconcurrency", 8), ("chunksize", "32MB"), ("retry_delay", "2s"),
            ("objectacl", "PUBLIC-READ"), ("signatureversion", "v1"), ("tempurlmethods", "GET, PUT"));
        Bucket.Read(parameters).ShouldBe("b");
        Secure.Read(parameters).ShouldBeFalse();
        Concurrency.Read(parameters).ShouldBe(8);
        ChunkSize.Read(parameters).ShouldBe(32L << 20);
        Delay.Read(parameters).ShouldBe(TimeSpan.FromSeconds(2));
        Acl.Read(parameters).ShouldBe("public-read");
        SignatureVersion.Read(parameters).ShouldBe(Signing.V1);
        Methods.Read(parameters).ShouldBe(["GET", "PUT"]);
    }

    [Test]
    public void A_default_given_by_the_caller_replaces_the_declared_one() =>
        ChunkSize.Read(Make(), 7L << 20).ShouldBe(7L << 20);

    [Test]
    public void Range_errors_are_the_accessors_own()
    {
        var error = Should.Throw<InvalidParameterException>(() => ChunkSize.Read(Make(("chunksize", "1MB"))));
        error.Message.ShouldBe("acme: parameter 'chunksize' has invalid value \"1MB\": expected a byte size such as 10MB from 5 MiB to 5 GiB");
        Should.Throw<InvalidParameterException>(() => Concurrency.Read(Make(("uploadconcurrency", 0)))).Expected.ShouldBe("an integer from 1 to 64");
        Should.Throw<InvalidParameterException>(() => Retries.Read(Make(("max_retries", -2)))).Parameter.ShouldBe("max_retries");
        Should.Throw<InvalidParameterException>(() => Timeout.Read(Make(("timeout", "2h")))).Parameter.ShouldBe("timeout");
        Should.Throw<InvalidParameterException>(() => Acl.Read(Make(("objectacl", "everyone")))).Expected.ShouldBe("one of private, public-read");
        Should.Throw<InvalidParameterException>(() => SignatureVersion.Read(Make(("signatureversion", "v2")))).Expected.ShouldBe("one of v4, v1");
    }

    [Test]
    public void A_required_parameter_fails_naming_what_it_expects()
    {
        Should.Throw<InvalidParameterException>(() => Bucket.Read(Make())).Message.ShouldBe("acme: parameter 'bucket' is required: expected the bucket name");
        Should.Throw<InvalidParameterException>(() => Bucket.ReadRequired(Make(("bucket", "")))).Parameter.ShouldBe("bucket");
        Bucket.ReadRequired(Make(("bucket", "b"))).ShouldBe("b");
    }

    [Test]
    public void ReadRequired_takes_the_words_of_a_requirement_another_parameter_makes() =>
        Should.Throw<InvalidParameterException>(() => AccessKey.ReadRequired(Make(), "both accesskey and secretkey, or neither"))
            .Expected.ShouldBe("both accesskey and secretkey, or neither");

    [Test]
    public void A_secret_parameter_is_masked_in_errors_even_when_its_name_does_not_look_secret()
    {
        var error = Should.Throw<InvalidParameterException>(() => Passphrase.Read(Make(("phrase", new Dictionary<string, object?> { ["x"] = "hunter2" }))));
        error.Message.ShouldNotContain("hunter2");
        error.Message.ShouldContain("(secret, hidden)");
    }

    [Test]
    public void A_section_checks_its_own_names_and_reads_nested_parameters()
    {
        var section = Credentials.Read(Make(("credentials", new Dictionary<string, object?> { ["type"] = "client_secret", ["clientid"] = "c" })))!;
        section.GetString("clientid").ShouldBe("c");
        Should.Throw<InvalidParameterException>(() => Credentials.Read(Make(("credentials", new Dictionary<string, object?> { ["tenant"] = "t" }))))
            .Parameter.ShouldBe("tenant");
    }

    [Test]
    public void Info_describes_each_declaration_in_order_with_rendered_defaults_and_ranges()
    {
        Table.Info.Select(p => p.Name).ShouldBe(Table.Select(p => p.Name));
        Table.Info.Select(p => (p.Name, p.Type, p.Default, p.Allowed)).ShouldBe(
        [
            ("bucket", "string", null, null),
            ("rootdirectory", "string", "", null),
            ("accesskey", "string", null, null),
            ("phrase", "string", null, null),
            ("secure", "bool", "true", null),
            ("uploadconcurrency", "int", "4", "1 to 64"),
            ("max_retries", "int", "5", "at least -1"),
            ("chunksize", "size", "10MiB", "5MiB to 5GiB"),
            ("retry_delay", "duration", "100ms", null),
            ("timeout", "duration", "30s", "1s to 1h"),
            ("objectacl", "enum", "private", "one of private, public-read"),
            ("signatureversion", "enum", "v4", "one of v4, v1"),
            ("tempurlmethods", "list", "", null),
            ("credentials", "map", null, "keys type (one of shared_key, client_secret), clientid, secret"),
        ]);
        Table.Info.Where(p => p.Required).Select(p => p.Name).ShouldBe(["bucket"]);
        Table.Info.Where(p => p.Secret).Select(p => p.Name).ShouldBe(["accesskey", "phrase"]);
        Table.Info[0].Description.ShouldBe("The bucket.");
    }

    [Test]
    public void A_default_that_is_not_one_value_is_described_in_words() =>
        new SizeParameter("multipartcopythresholdsize", "Copy threshold.") { DefaultDescription = "copycutoff" }.ToInfo().Default.ShouldBe("copycutoff");

    [Test]
    public void Every_rendered_default_reads_back_as_the_typed_default()
    {
        foreach (var parameter in Table.Where(p => p.DefaultText is not null))
        {
            var withDefault = Make((parameter.Name, parameter.DefaultText));
            var unset = Make();
            Read(parameter, withDefault).ShouldBe(Read(parameter, unset), parameter.Name);
        }

        static string Read(DriverParameter parameter, DriverParameters parameters) => parameter switch
        {
            StringParameter p => p.Read(parameters) ?? "(null)",
            BooleanParameter p => p.Read(parameters).ToString(),
            Int32Parameter p => p.Read(parameters).ToString(),
            SizeParameter p => p.Read(parameters).ToString(),
            DurationParameter p => p.Read(parameters).ToString(),
            ChoiceParameter p => p.Read(parameters),
            EnumParameter<Signing> p => p.Read(parameters).ToString(),
            StringListParameter p => string.Join("|", p.Read(parameters)),
            _ => throw new InvalidOperationException(parameter.Name),
        };
    }

    [Test]
    public void A_default_outside_its_own_range_fails_when_the_table_is_built()
    {
        var error = Should.Throw<ArgumentException>(() => new DriverParameterTable(new SizeParameter("chunksize", "Part size.") { Default = 1L << 20, Min = 5L << 20 }));
        error.Message.ShouldContain("chunksize");
        error.Message.ShouldContain("1MiB");
        Should.Throw<ArgumentException>(() => new DriverParameterTable(new ChoiceParameter("acl", "ACL.", ["a", "b"]) { Default = "c" }));
    }

    [Test]
    public void A_name_declared_twice_fails_when_the_table_is_built() =>
        Should.Throw<ArgumentException>(() => new DriverParameterTable(Root, new StringParameter("RootDirectory", "Again."))).Message.ShouldContain("twice");

    [Test]
    public void RejectUnknown_names_the_parameter_no_declaration_has()
    {
        Table.RejectUnknown(Make(("Bucket", "b"), ("chunksize", "10MB")));
        var error = Should.Throw<InvalidParameterException>(() => Table.RejectUnknown(Make(("bucket", "b"), ("chunksise", "10MB"))));
        error.Parameter.ShouldBe("chunksise");
        error.Expected.ShouldContain("chunksize");
    }

    [Test]
    public void Find_is_case_insensitive()
    {
        Table.Find("ChunkSize").ShouldBeSameAs(ChunkSize);
        Table.Find("nothing").ShouldBeNull();
    }

    private sealed record Parsed(string Bucket, string? AccessKey, string? Phrase, string? ClientSecret, string? ClientId, long ChunkSize, TimeSpan RetryDelay,
        int MaxRetries, string? KeyId, bool Secure, IReadOnlyList<string> TempUrlMethods, Parsed.Inner Nested)
    {
        public sealed record Inner(string Token)
        {
            public override string ToString() => "Inner { Token = *** }";
        }

        private bool PrintMembers(StringBuilder builder) => Table.PrintMembers(builder, this);
    }

    [Test]
    public void PrintMembers_masks_by_the_declarations_and_writes_values_as_configuration_would()
    {
        var text = new Parsed("b", "AKID-VALUE", "hunter2", "client-secret-value", "cid", 10L << 20, TimeSpan.FromMilliseconds(100), -1, null, true, ["GET", "PUT"], new("tok")).ToString();

        text.ShouldBe("Parsed { Bucket = b, AccessKey = ******, Phrase = ******, ClientSecret = ******, ClientId = cid, ChunkSize = 10MiB, RetryDelay = 100ms, "
            + "MaxRetries = -1, KeyId = (unset), Secure = true, TempUrlMethods = GET,PUT, Nested = Inner { Token = *** } }");
    }

    [TestCase(0L, "0s")]
    [TestCase(100 * TimeSpan.TicksPerMillisecond, "100ms")]
    [TestCase(15L, "1500ns")]
    [TestCase(20L, "2us")]
    [TestCase(30 * TimeSpan.TicksPerSecond, "30s")]
    [TestCase(25 * TimeSpan.TicksPerSecond / 10, "2.5s")]
    [TestCase(90 * TimeSpan.TicksPerMinute, "1h30m")]
    [TestCase(TimeSpan.TicksPerHour + TimeSpan.TicksPerSecond / 2, "1h0.5s")]
    [TestCase(-2 * TimeSpan.TicksPerMinute, "-2m")]
    public void Durations_are_written_go_style_and_read_back(long ticks, string expected)
    {
        GoDuration.Format(TimeSpan.FromTicks(ticks)).ShouldBe(expected);
        GoDuration.TryParse(expected, out var back).ShouldBeTrue();
        back.ShouldBe(TimeSpan.FromTicks(ticks));
    }

    [Test]
    public void The_longest_durations_are_written_too() =>
        GoDuration.Format(TimeSpan.MinValue).ShouldStartWith("-");
}
