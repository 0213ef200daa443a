using Registry.Storage.Drivers.Rados.Native;

namespace Registry.Storage.Drivers.Rados.Tests;

public sealed class RadosErrorMapTests
{
    [Test]
    public void ENOENT_on_a_path_becomes_PathNotFound_naming_driver_and_path()
    {
        var mapped = RadosErrors.Map(new RadosException("rados_aio_read", "x/data:1.0", -Errno.ENOENT), "read", "/a/b");

        var notFound = mapped.ShouldBeOfType<PathNotFoundException>();
        notFound.DriverName.ShouldBe("rados");
        notFound.Path.ShouldBe("/a/b");
        notFound.InnerException.ShouldBeOfType<RadosException>().ErrnoName.ShouldBe("ENOENT");
    }

    [TestCase(Errno.ETIMEDOUT)]
    [TestCase(Errno.EAGAIN)]
    [TestCase(Errno.ECONNREFUSED)]
    [TestCase(Errno.EBUSY)]
    public void Busy_or_unreachable_cluster_is_a_transient_backend_error(int errno)
    {
        var mapped = RadosErrors.Map(new RadosException("rados_aio_write_full", "o", -errno), "put", "/a");

        var error = mapped.ShouldBeOfType<StorageDriverException>();
        error.IsTransient.ShouldBeTrue();
        error.Path.ShouldBe("/a");
    }

    [TestCase(Errno.EFBIG)]
    [TestCase(Errno.EMSGSIZE)]
    [TestCase(Errno.EACCES)]
    [TestCase(Errno.ENOSPC)]
    public void Other_errnos_are_permanent_backend_errors_carrying_the_errno_name(int errno)
    {
        var mapped = RadosErrors.Map(new RadosException("rados_aio_write_full", "o", -errno), "put", "/a");

        var error = mapped.ShouldBeOfType<StorageDriverException>();
        error.IsTransient.ShouldBeFalse();
        error.Message.ShouldStartWith("rados: put /a failed");
        error.Message.ShouldContain(Errno.Name(errno));
    }

    [Test]
    public void Contract_errors_pass_through_unchanged()
    {
        var original = DriverErrors.PathNotFound("rados", "/x");

        RadosErrors.Map(original, "stat", "/x").ShouldBeSameAs(original);
    }

    [TestCase(-2, "ENOENT")]
    [TestCase(-110, "ETIMEDOUT")]
    [TestCase(-90, "EMSGSIZE")]
    [TestCase(-4095, "errno 4095")]
    public void RadosException_names_the_errno_call_and_object(int rc, string name)
    {
        var error = new RadosException("rados_read", "obj", rc);

        error.ErrnoName.ShouldBe(name);
        error.Errno.ShouldBe(-rc);
        error.Message.ShouldBe($"rados_read on object 'obj' failed: {name} ({-rc})");
    }
}
