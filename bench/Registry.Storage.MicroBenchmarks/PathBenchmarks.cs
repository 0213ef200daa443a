using BenchmarkDotNet.Attributes;

namespace Registry.Storage.MicroBenchmarks;

/// <summary>
/// StoragePath validation runs on every driver call (ValidatingDriver), and WalkKey ordering
/// on every flat-listing walk: both must stay allocation-free or close to it.
/// </summary>
[MemoryDiagnoser]
public class PathBenchmarks
{
    // A typical registry path: a blob's data file under the v2 layout.
    private const string BlobPath = "/docker/registry/v2/blobs/sha256/4f/4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945/data";
    private const string BadPath = "/docker/registry/v2/../blobs/data";
    private StorageFileInfo[] _entries = [];
    private StorageFileInfo _directory = StorageFileInfo.Directory("/walk");

    /// <summary>A 10 000-entry walk's worth of files and directories in reverse order.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var entries = new List<StorageFileInfo>();
        for (var d = 0; d < 100; d++)
        {
            entries.Add(StorageFileInfo.Directory($"/walk/d{d:D3}"));
            for (var f = 0; f < 100; f++)
            {
                entries.Add(new StorageFileInfo($"/walk/d{d:D3}/f{f:D3}", 1, DateTimeOffset.UnixEpoch, false));
            }
        }

        _directory = entries[0];
        entries.Reverse();
        _entries = [.. entries];
    }

    /// <summary>Validation of a valid 100-character path.</summary>
    [Benchmark]
    public bool ValidateBlobPath() => StoragePath.IsValid(BlobPath);

    /// <summary>Rejection of a path with a <c>..</c> segment.</summary>
    [Benchmark]
    public bool RejectDotDot() => StoragePath.IsValid(BadPath);

    /// <summary>The walk key of one directory entry (path + "/": the one case that builds a string).</summary>
    [Benchmark]
    public string WalkKeyOfDirectory() => StoragePath.WalkKey(_directory);

    /// <summary>Sorting 10 100 entries into walk order.</summary>
    [Benchmark]
    public StorageFileInfo[] SortTenThousandByWalkOrder()
    {
        var copy = (StorageFileInfo[])_entries.Clone();
        Array.Sort(copy, StoragePath.WalkOrder);
        return copy;
    }
}
