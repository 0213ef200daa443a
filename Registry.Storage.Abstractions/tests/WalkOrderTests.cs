namespace Registry.Storage.Tests;

/// <summary>
/// <see cref="StoragePath.CompareWalkKeys"/> and <see cref="StoragePath.WalkOrder"/> order entries
/// exactly as the ordinal order of their walk keys (<see cref="StoragePath.WalkKey"/>) does,
/// without building the keys.
/// </summary>
public class WalkOrderTests
{
    // (path A, is A a directory, path B, is B a directory, the sign of the comparison of their walk keys)
    [TestCase("/a", false, "/a", false, 0)]
    [TestCase("/a", true, "/a", true, 0)]
    [TestCase("/a", false, "/a", true, -1, Description = "a file sorts before the directory of the same name: /a < /a/")]
    [TestCase("/a", true, "/a-b", false, 1, Description = "'-' is below '/'")]
    [TestCase("/a", true, "/a.c", false, 1, Description = "'.' is below '/'")]
    [TestCase("/a", true, "/a b", false, 1, Description = "' ' is below '/'")]
    [TestCase("/a", false, "/a-b", false, -1, Description = "as a file, /a is a prefix of /a-b")]
    [TestCase("/a", true, "/a0", false, -1, Description = "'0' is above '/'")]
    [TestCase("/a", true, "/a_", true, -1)]
    [TestCase("/a", true, "/a/x", false, -1, Description = "a directory sorts just before its contents")]
    [TestCase("/a", false, "/a/x", false, -1)]
    [TestCase("/a/x", false, "/a-b", false, 1)]
    [TestCase("/a/x", false, "/a-b", true, 1)]
    [TestCase("/a-b", true, "/a/", false, -1)]
    [TestCase("/a", true, "/a/", false, 0, Description = "a directory's key is a hint ending in '/'")]
    [TestCase("/a", true, "/a//", false, -1)]
    [TestCase("/ab", true, "/a", true, 1)]
    [TestCase("/b", false, "/a/z/z", true, 1)]
    [TestCase("/", true, "/", false, 1, Description = "the root as a directory is \"//\"")]
    [TestCase("", false, "", true, -1)]
    [TestCase("/\u00e9", false, "/z", true, 1, Description = "ordinal: above ASCII")]
    public void Compares_like_the_walk_keys(string pathA, bool isDirectoryA, string pathB, bool isDirectoryB, int sign)
    {
        Math.Sign(string.CompareOrdinal(Key(pathA, isDirectoryA), Key(pathB, isDirectoryB))).ShouldBe(sign, "the table itself");
        Math.Sign(StoragePath.CompareWalkKeys(pathA, isDirectoryA, pathB, isDirectoryB)).ShouldBe(sign);
        Math.Sign(StoragePath.CompareWalkKeys(pathB, isDirectoryB, pathA, isDirectoryA)).ShouldBe(-sign);
    }

    [Test]
    public void Agrees_with_the_walk_keys_on_every_pair_of_short_paths_around_the_slash()
    {
        // every path of up to three characters from characters around '/', each as file and directory
        char[] alphabet = [' ', '-', '.', '/', '0', 'a'];
        var paths = new List<string> { "/" };
        for (var length = 1; length <= 3; length++)
        {
            paths.AddRange(paths.Where(p => p.Length == length).SelectMany(p => alphabet.Select(c => p + c)).ToList());
        }

        var entries = paths.SelectMany(p => new[] { (Path: p, IsDirectory: false), (Path: p, IsDirectory: true) }).ToList();
        entries.Count.ShouldBe(2 * (1 + 6 + 36 + 216));
        var disagreements = 0;
        foreach (var a in entries)
        {
            foreach (var b in entries)
            {
                var expected = Math.Sign(string.CompareOrdinal(Key(a.Path, a.IsDirectory), Key(b.Path, b.IsDirectory)));
                if (Math.Sign(StoragePath.CompareWalkKeys(a.Path, a.IsDirectory, b.Path, b.IsDirectory)) != expected)
                {
                    disagreements++;
                }
            }
        }

        disagreements.ShouldBe(0);
    }

    [Test]
    public void Walk_order_sorts_exactly_like_sorting_by_walk_key()
    {
        var random = new Random(20261128);
        string[] names = ["a", "a-b", "a.c", "a b", "a0", "a_", "b", "ab", "A", "-", "."];
        var entries = Enumerable.Range(0, 2000).Select(_ =>
        {
            var path = string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => "/" + names[random.Next(names.Length)]));
            return random.Next(2) == 0 ? StorageFileInfo.File(path, 1, default) : StorageFileInfo.Directory(path);
        }).ToArray();

        var byComparer = entries.Order(StoragePath.WalkOrder).Select(StoragePath.WalkKey).ToList();
        var byKey = entries.Select(StoragePath.WalkKey).Order(StringComparer.Ordinal).ToList();

        byComparer.ShouldBe(byKey);
    }

    private static string Key(string path, bool isDirectory) => isDirectory ? path + "/" : path;
}
