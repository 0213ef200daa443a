using System.Text;
using Registry.Storage.Drivers.Rados.Native;

namespace Registry.Storage.Drivers.Rados.Tests;

/// <summary>The librados binding against the real cluster: results, errors and handle hygiene.</summary>
public sealed class RadosBindingTests
{
    private RadosCluster _cluster = null!;
    private RadosIoContext _io = null!;
    private string _prefix = null!;

    [SetUp]
    public void Connect()
    {
        _cluster = RadosTestCluster.Connect();
        _io = _cluster.OpenIoContext(RadosTestCluster.Pool);
        _prefix = "binding-test-" + Guid.NewGuid().ToString("N") + "/";
    }

    [TearDown]
    public void Disconnect()
    {
        if (_io is null)
        {
            return;
        }

        foreach (var oid in _io.ListObjects().Where(o => o.StartsWith(_prefix, StringComparison.Ordinal)).ToList())
        {
            _io.Remove(oid);
        }

        _io.Dispose();
        _cluster.Dispose();
    }

    [Test]
    public void Sync_write_read_append_trunc_stat_and_remove_round_trip()
    {
        var oid = _prefix + "sync";
        _io.WriteFull(oid, "hello"u8);
        _io.Append(oid, " world"u8);
        _io.Write(oid, "H"u8, 0);
        var buffer = new byte[64];

        Encoding.ASCII.GetString(buffer, 0, _io.Read(oid, buffer, 0)).ShouldBe("Hello world");
        _io.Truncate(oid, 5);
        _io.Stat(oid).Size.ShouldBe(5UL);
        _io.Remove(oid);
        Should.Throw<RadosException>(() => _io.Stat(oid)).ErrnoName.ShouldBe("ENOENT");
    }

    [Test]
    public async Task Async_write_read_append_trunc_stat_and_remove_round_trip()
    {
        var oid = _prefix + "async";
        await _io.WriteFullAsync(oid, "hello"u8.ToArray(), default);
        await _io.AppendAsync(oid, " world"u8.ToArray(), default);
        await _io.WriteAsync(oid, "H"u8.ToArray(), 0, default);
        var buffer = new byte[64];

        var read = await _io.ReadAsync(oid, buffer, 0, default);
        Encoding.ASCII.GetString(buffer, 0, read).ShouldBe("Hello world");
        await _io.TruncateAsync(oid, 5, default);
        (await _io.StatAsync(oid, default)).Size.ShouldBe(5UL);
        await _io.RemoveAsync(oid, default);
        (await Should.ThrowAsync<RadosException>(() => _io.StatAsync(oid, default))).Errno.ShouldBe(Errno.ENOENT);
    }

    [Test]
    public async Task Xattrs_set_and_get_sync_and_async()
    {
        var oid = _prefix + "xattr";
        _io.SetXattr(oid, "a", "1"u8);
        await _io.SetXattrAsync(oid, "b", "22"u8.ToArray(), default);
        var buffer = new byte[16];

        Encoding.ASCII.GetString(buffer, 0, _io.GetXattr(oid, "b", buffer)).ShouldBe("22");
        Encoding.ASCII.GetString(buffer, 0, await _io.GetXattrAsync(oid, "a", buffer, default)).ShouldBe("1");
        (await Should.ThrowAsync<RadosException>(() => _io.GetXattrAsync(oid, "missing", buffer, default))).ErrnoName.ShouldBe("ENODATA");
    }

    [Test]
    public async Task Omap_set_get_paged_by_keys_and_remove()
    {
        var oid = _prefix + "omap";
        var entries = Enumerable.Range(0, 25).ToDictionary(i => $"k{i:D2}", i => Encoding.ASCII.GetBytes($"v{i}"));
        await _io.OmapSetAsync(oid, entries, default);

        var (first, more, _) = await _io.OmapGetAsync(oid, null, 10, default);
        first.Select(e => e.Key).ShouldBe(Enumerable.Range(0, 10).Select(i => $"k{i:D2}"));
        more.ShouldBeTrue();
        var (rest, restMore, _) = await _io.OmapGetAsync(oid, "k19", 10, default);
        rest.Select(e => e.Key).ShouldBe(["k20", "k21", "k22", "k23", "k24"]);
        restMore.ShouldBeFalse();

        var byKeys = await _io.OmapGetByKeysAsync(oid, ["k03", "nope"], default);
        byKeys.ShouldHaveSingleItem().Value.ShouldBe("v3"u8.ToArray());

        await _io.OmapRemoveAsync(oid, ["k03"], default);
        (await _io.OmapGetByKeysAsync(oid, ["k03"], default)).ShouldBeEmpty();
    }

    [Test]
    public async Task Omap_compare_guard_cancels_the_whole_write_when_the_value_differs()
    {
        var oid = _prefix + "cmp";
        await _io.OmapSetAsync(oid, new Dictionary<string, byte[]> { ["k"] = "old"u8.ToArray() }, default);

        using (var op = new RadosWriteOperation())
        {
            op.OmapCompareEqual("k", "other"u8);
            op.OmapSet(new Dictionary<string, byte[]> { ["k"] = "new"u8.ToArray() });
            (await Should.ThrowAsync<RadosException>(() => op.ExecuteAsync(_io, oid, default))).ErrnoName.ShouldBe("ECANCELED");
        }

        (await _io.OmapGetByKeysAsync(oid, ["k"], default)).Single().Value.ShouldBe("old"u8.ToArray());
    }

    [Test]
    public async Task Omap_compare_with_an_empty_value_asserts_the_key_is_absent()
    {
        var oid = _prefix + "absent";
        await _io.OmapSetAsync(oid, new Dictionary<string, byte[]> { ["present"] = "v"u8.ToArray() }, default);

        using (var absent = new RadosWriteOperation())
        {
            absent.OmapCompareEqual("new", []);
            absent.OmapSet(new Dictionary<string, byte[]> { ["new"] = "1"u8.ToArray() });
            await absent.ExecuteAsync(_io, oid, default);
        }

        using var present = new RadosWriteOperation();
        present.OmapCompareEqual("present", []);
        present.OmapSet(new Dictionary<string, byte[]> { ["present"] = "2"u8.ToArray() });
        (await Should.ThrowAsync<RadosException>(() => present.ExecuteAsync(_io, oid, default))).ErrnoName.ShouldBe("ECANCELED");
        (await _io.OmapGetByKeysAsync(oid, ["new", "present"], default)).Select(e => e.Value).ShouldBe(["1"u8.ToArray(), "v"u8.ToArray()]);
    }

    [Test]
    public async Task Version_guard_fails_once_the_object_changed()
    {
        var oid = _prefix + "version";
        await _io.OmapSetAsync(oid, new Dictionary<string, byte[]> { ["a"] = [] }, default);
        var (_, _, version) = await _io.OmapGetAsync(oid, null, 1, default);
        await _io.OmapSetAsync(oid, new Dictionary<string, byte[]> { ["b"] = [] }, default);

        using var op = new RadosWriteOperation();
        op.AssertVersion(version);
        op.Remove();
        (await Should.ThrowAsync<RadosException>(() => op.ExecuteAsync(_io, oid, default))).ErrnoName.ShouldBe("ERANGE");
        (await _io.StatAsync(oid, default)).Size.ShouldBe(0UL);
    }

    [Test]
    public void Object_listing_finds_written_objects()
    {
        _io.WriteFull(_prefix + "l1", "x"u8);
        _io.WriteFull(_prefix + "l2", "y"u8);

        _io.ListObjects().Where(o => o.StartsWith(_prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .ShouldBe([_prefix + "l1", _prefix + "l2"]);
    }

    [Test]
    public void Reading_a_missing_object_raises_ENOENT_naming_call_and_object()
    {
        var error = Should.Throw<RadosException>(() => _io.Read(_prefix + "missing", new byte[4], 0));

        error.Errno.ShouldBe(Errno.ENOENT);
        error.Operation.ShouldBe("rados_read");
        error.Message.ShouldContain(_prefix + "missing");
    }

    [Test]
    public void Opening_a_missing_pool_raises_ENOENT() =>
        Should.Throw<RadosException>(() => _cluster.OpenIoContext("no-such-pool-" + Guid.NewGuid().ToString("N")))
            .ErrnoName.ShouldBe("ENOENT");

    [Test]
    public void Connecting_with_an_unknown_user_fails_with_an_errno_not_a_hang()
    {
        var options = RadosParameters.Parse(RadosTestCluster.Parameters());

        var error = Should.Throw<RadosException>(() => RadosCluster.Connect(new RadosConnectOptions("nobody-" + Guid.NewGuid().ToString("N")[..8], options.ConfFile, options.Keyring, TimeSpan.FromSeconds(5))));

        error.Operation.ShouldBe("rados_connect");
    }

    [Test]
    public async Task Thousand_open_close_cycles_leak_no_file_descriptors_or_threads()
    {
        // Warm up once, so lazily created process-wide resources are not counted as leaks.
        await CycleAsync();
        var fdsBefore = Directory.GetFiles("/proc/self/fd").Length;
        var threadsBefore = ThreadCount();

        for (var i = 0; i < 1000; i++)
        {
            await CycleAsync();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        Directory.GetFiles("/proc/self/fd").Length.ShouldBeLessThanOrEqualTo(fdsBefore + 2);
        ThreadCount().ShouldBeLessThanOrEqualTo(threadsBefore + 4);
    }

    // One full cycle: cluster handle, connection, I/O context, an async op, deterministic release.
    private async Task CycleAsync()
    {
        using var cluster = RadosTestCluster.Connect();
        using var io = cluster.OpenIoContext(RadosTestCluster.Pool);
        await Should.ThrowAsync<RadosException>(() => io.StatAsync(_prefix + "never-written", default));
    }

    private static int ThreadCount() => Directory.GetDirectories("/proc/self/task").Length;
}
