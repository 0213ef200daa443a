using Registry.Storage.Hosting.Configuration;

namespace Registry.Storage.Host.Tests;

public class ConfigurationTests
{
    private static string Write(string extension, string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"regstore-config-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void A_registry_config_yml_selects_its_driver_and_ignores_registry_only_keys()
    {
        var file = Write(".yml", """
            version: 0.1
            log:
              level: info
            storage:
              s3:
                bucket: registry
                region: us-east-1
                chunksize: 10MB
                secure: true
              delete:
                enabled: true
              cache:
                blobdescriptor: inmemory
              redirect:
                disable: true
            http:
              addr: :5000
            """);
        var selection = StorageConfiguration.Select(StorageConfiguration.Build(file))!;
        selection.DriverName.ShouldBe("s3");
        selection.Parameters["bucket"].ShouldBe("registry");
        new DriverParameters("s3", selection.Parameters).GetByteSize("chunksize", 0).ShouldBe(10L << 20);
    }

    [Test]
    public void Nested_maps_and_lists_survive_as_parameters()
    {
        var file = Write(".yaml", """
            storage:
              azure:
                credentials:
                  type: client_secret
                  clientid: abc
                tempurlmethods: [GET, HEAD]
            """);
        var parameters = new DriverParameters("azure", StorageConfiguration.Select(StorageConfiguration.Build(file))!.Parameters);
        parameters.GetSection("credentials")!.GetString("type").ShouldBe("client_secret");
        parameters.GetStringList("tempurlmethods").ShouldBe(["GET", "HEAD"]);
    }

    [Test]
    public void A_driver_with_no_parameters_is_still_selected()
    {
        var file = Write(".yml", "storage:\n  inmemory:\n");
        StorageConfiguration.Select(StorageConfiguration.Build(file))!.DriverName.ShouldBe("inmemory");
    }

    [Test]
    public void Json_configuration_works_the_same()
    {
        var file = Write(".json", """{"storage":{"filesystem":{"rootdirectory":"/srv/registry"}}}""");
        var selection = StorageConfiguration.Select(StorageConfiguration.Build(file))!;
        selection.DriverName.ShouldBe("filesystem");
        selection.Parameters["rootdirectory"].ShouldBe("/srv/registry");
    }

    [Test]
    public void Two_drivers_in_one_storage_section_are_refused()
    {
        var file = Write(".yml", "storage:\n  s3:\n    bucket: a\n  azure:\n    container: b\n");
        Should.Throw<InvalidOperationException>(() => StorageConfiguration.Select(StorageConfiguration.Build(file)))
            .Message.ShouldContain("more than one driver (azure, s3)");
    }

    [Test]
    public void No_storage_section_means_the_default() =>
        StorageConfiguration.Select(StorageConfiguration.Build(Write(".yml", "log:\n  level: debug\n"))).ShouldBeNull();

    [Test]
    public void Command_line_overrides_win_over_the_file()
    {
        var file = Write(".yml", "storage:\n  s3:\n    bucket: from-file\n");
        var selection = StorageConfiguration.Select(StorageConfiguration.Build(file, ["--storage:s3:bucket=from-command-line"]))!;
        selection.Parameters["bucket"].ShouldBe("from-command-line");
    }

    [Test]
    public void A_missing_config_file_is_a_clear_error() =>
        Should.Throw<FileNotFoundException>(() => StorageConfiguration.Build("/nonexistent/regstore.yaml"))
            .Message.ShouldBe("configuration file /nonexistent/regstore.yaml does not exist");
}
