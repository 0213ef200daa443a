namespace Registry.Storage.Tests;

public class StoragePathTests
{
    // distribution's testsuites.go TestValidPaths / TestInvalidPaths, plus our dot-segment rule.
    [TestCase("/a")]
    [TestCase("/2")]
    [TestCase("/aa")]
    [TestCase("/a.a")]
    [TestCase("/0-9/abcdefg")]
    [TestCase("/abcdefg/z.75")]
    [TestCase("/abc/1.2.3.4.5-6_zyx/123.z/4")]
    [TestCase("/docker/docker-registry")]
    [TestCase("/123.abc")]
    [TestCase("/abc./abc")]
    [TestCase("/.abc")]
    [TestCase("/a--b")]
    [TestCase("/a-.b")]
    [TestCase("/_.abc")]
    [TestCase("/Docker/docker-registry")]
    [TestCase("/Abc/Cba")]
    [TestCase("/...")]
    public void Valid_paths_from_distribution_are_accepted(string path)
    {
        StoragePath.IsValid(path).ShouldBeTrue();
        Should.NotThrow(() => StoragePath.Validate("test", path));
    }

    [TestCase("")]
    [TestCase("/")]
    [TestCase("abc")]
    [TestCase("123.abc")]
    [TestCase("//bcd")]
    [TestCase("/abc_123/")]
    [TestCase("/a/./b")]
    [TestCase("/a/../b")]
    [TestCase("/..")]
    [TestCase("/.")]
    [TestCase("/a/..")]
    [TestCase("/a b")]
    [TestCase("/a\\b")]
    [TestCase("/a\0b")]
    [TestCase("/a%2e%2e")]
    [TestCase("/ａ")]
    public void Invalid_paths_are_rejected_naming_driver_and_path(string path)
    {
        StoragePath.IsValid(path).ShouldBeFalse();
        var error = Should.Throw<InvalidPathException>(() => StoragePath.Validate("s3", path));
        error.DriverName.ShouldBe("s3");
        error.Path.ShouldBe(path);
        error.Message.ShouldStartWith("s3: invalid path");
    }

    [Test]
    public void Root_is_valid_only_where_a_directory_is_allowed()
    {
        StoragePath.IsValid("/", allowRoot: true).ShouldBeTrue();
        StoragePath.IsValid("/", allowRoot: false).ShouldBeFalse();
    }

    [TestCase("/a/b", "/a", true)]
    [TestCase("/a", "/a", true)]
    [TestCase("/a/bc", "/a/b", false)]
    [TestCase("/a-b", "/a", false)]
    [TestCase("/anything", "/", true)]
    public void Descendant_check_is_sibling_safe(string path, string ancestor, bool expected) =>
        StoragePath.IsSameOrDescendant(path, ancestor).ShouldBe(expected);

    [Test]
    public void Parent_name_and_combine_follow_the_path_rule()
    {
        StoragePath.Parent("/a/b").ShouldBe("/a");
        StoragePath.Parent("/a").ShouldBe("/");
        StoragePath.Name("/a/b").ShouldBe("b");
        StoragePath.Combine("/", "a").ShouldBe("/a");
        StoragePath.Combine("/a", "b").ShouldBe("/a/b");
    }

    [Test]
    public void Walk_order_puts_a_directory_just_before_its_contents_and_after_dashed_siblings()
    {
        var entries = new[]
        {
            StorageFileInfo.Directory("/a"),
            StorageFileInfo.File("/a/x", 1, default),
            StorageFileInfo.File("/a-b", 1, default),
            StorageFileInfo.File("/a.c", 1, default),
            StorageFileInfo.File("/b", 1, default),
        };
        entries.Order(StoragePath.WalkOrder).Select(e => e.Path).ShouldBe(["/a-b", "/a.c", "/a", "/a/x", "/b"]);
    }
}
