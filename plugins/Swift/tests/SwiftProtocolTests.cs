using System.Text;
using System.Text.Json;
using Registry.Storage.Drivers.Swift.Auth;

namespace Registry.Storage.Drivers.Swift.Tests;

/// <summary>The wire formats, read and written without a server: listings, manifests, bulk delete, /info, Keystone, layout.</summary>
public sealed class SwiftProtocolTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Test]
    public void Listing_reads_objects_slo_markers_and_subdirs()
    {
        var entries = SwiftClient.ParseListing(Json("""
            [{"bytes": 5, "hash": "59", "name": "files/m", "content_type": "application/octet-stream", "last_modified": "2026-11-28T10:06:22.765270", "slo_etag": "\"37\""},
             {"bytes": 3, "hash": "47", "name": "files/p", "content_type": "application/octet-stream", "last_modified": "2026-11-28T10:06:22.722570"},
             {"subdir": "files/d/"}]
            """));

        entries.Count.ShouldBe(3);
        entries[0].ShouldBe(new SwiftListingEntry("files/m", 5, new DateTimeOffset(2026, 11, 28, 10, 6, 22, TimeSpan.Zero).AddTicks(7652700), true, false));
        entries[1].IsStaticLargeObject.ShouldBeFalse();
        entries[2].IsSubdirectory.ShouldBeTrue();
        entries[2].Name.ShouldBe("files/d/");
    }

    [Test]
    public void Slo_manifest_lists_path_etag_and_size_of_each_segment()
    {
        var body = SwiftClient.BuildStaticManifest([new SegmentRef("c1", "segments/abc/def/0000000000000001", 3, "47bc"), new SegmentRef("c1", "s/2", 2, null)]);

        Encoding.UTF8.GetString(body).ShouldBe("""[{"path":"/c1/segments/abc/def/0000000000000001","etag":"47bc","size_bytes":3},{"path":"/c1/s/2","etag":null,"size_bytes":2}]""");
    }

    [Test]
    public void Slo_manifest_as_Swift_returns_it_gives_container_name_size_and_etag()
    {
        var segments = SwiftClient.ParseStaticManifest(Json("""
            [{"name": "/c1/seg/1", "bytes": 3, "hash": "47bc", "content_type": "application/octet-stream", "last_modified": "2026-11-28T10:06:23.000000"},
             {"name": "/other/seg/2", "bytes": 2, "hash": "21ad"}]
            """));

        segments.ShouldBe([new SegmentRef("c1", "seg/1", 3, "47bc"), new SegmentRef("other", "seg/2", 2, "21ad")]);
    }

    [Test]
    public void Bulk_delete_body_is_one_escaped_container_path_per_line()
    {
        var body = SwiftClient.BuildBulkDeleteBody([new SegmentRef("c1", "files/a b/c", 0, null), new SegmentRef("c 2", "x", 0, null)]);

        Encoding.UTF8.GetString(body).ShouldBe("/c1/files/a%20b/c\n/c%202/x\n");
    }

    [TestCase("""{"Response Status": "200 OK", "Response Body": "", "Number Deleted": 2, "Number Not Found": 1, "Errors": []}""", null)]
    [TestCase("""  \n {"Response Status": "400 Bad Request", "Response Body": "", "Number Deleted": 1, "Number Not Found": 0, "Errors": [["/c/a", "404 Not Found"]]}""", "400 Bad Request")]
    [TestCase("""{"Response Status": "400 Bad Request", "Response Body": "", "Errors": [["/c/a", "409 Conflict"]]}""", "400 Bad Request; 1 failed, first /c/a: 409 Conflict")]
    [TestCase("""{"Response Status": "502 Bad Gateway", "Response Body": "Max delete failures exceeded", "Errors": []}""", "502 Bad Gateway Max delete failures exceeded")]
    public void Bulk_delete_answer_fails_only_for_errors_other_than_not_found(string answer, string? failure)
    {
        var result = SwiftClient.ParseBulkDeleteFailure(answer.Replace("\\n", "\n", StringComparison.Ordinal));
        if (failure is null)
        {
            result.ShouldBeNull();
        }
        else
        {
            result.ShouldBe(failure);
        }
    }

    [TestCase("""{"Response Status": "400 Bad Request", "Errors": [["/c/a", "401 Unauthorized"], ["/c/b", "404 Not Found"]]}""", true)]
    [TestCase("""{"Response Status": "400 Bad Request", "Errors": [["/c/a", "401 Unauthorized"], ["/c/b", "409 Conflict"]]}""", false)]
    [TestCase("""{"Response Status": "200 OK", "Errors": []}""", false)]
    public void A_bulk_answer_refusing_only_the_token_asks_for_a_reauthentication(string answer, bool expected)
    {
        SwiftClient.OnlyUnauthorized(answer).ShouldBe(expected);
    }

    [Test]
    public void Info_reads_bulk_tempurl_slo_and_version()
    {
        var info = SwiftInfo.Parse(Json("""
            {"swift": {"version": "2.30.1"}, "bulk_delete": {"max_deletes_per_request": 10000, "max_failed_deletes": 1000},
             "tempurl": {"methods": ["GET", "HEAD", "PUT"], "allowed_digests": ["sha1", "sha256", "sha512"]},
             "slo": {"max_manifest_segments": 1000, "min_segment_size": 1}}
            """));

        info.SwiftVersion.ShouldBe(new Version(2, 30, 1));
        info.SupportsContainerTempUrlKey.ShouldBeTrue();
        info.BulkDeleteMax.ShouldBe(10000);
        info.TempUrlMethods.ShouldBe(["GET", "HEAD", "PUT"]);
        info.TempUrlDigests.ShouldBe(["sha1", "sha256", "sha512"]);
        info.StaticLargeObjects.ShouldBeTrue();
        info.MaxManifestSegments.ShouldBe(1000);
    }

    [Test]
    public void Info_without_middleware_offers_nothing_and_old_clusters_sign_with_sha1()
    {
        var bare = SwiftInfo.Parse(Json("""{"swift": {"version": "2.2.0"}}"""));
        bare.BulkDeleteMax.ShouldBe(0);
        bare.TempUrlMethods.ShouldBeEmpty();
        bare.SupportsContainerTempUrlKey.ShouldBeFalse();

        SwiftInfo.Parse(Json("""{"tempurl": {"methods": ["GET"]}}""")).TempUrlDigests.ShouldBe(["sha1"]);
    }

    [Test]
    public void Version_2_10_counts_as_newer_than_2_3_unlike_a_string_comparison()
    {
        SwiftInfo.Parse(Json("""{"swift": {"version": "2.10.0.dev12"}}""")).SupportsContainerTempUrlKey.ShouldBeTrue();
    }

    [TestCase("http://127.0.0.1:8080/v1/AUTH_test", "http://127.0.0.1:8080/info")]
    [TestCase("https://swift.example/object/v1/AUTH_abc/", "https://swift.example/object/info")]
    public void Info_url_sits_beside_the_v1_path_of_the_storage_url(string storage, string expected)
    {
        SwiftInfo.InfoUrl(new Uri(storage)).ShouldBe(new Uri(expected));
    }

    [TestCase("", "/a/b", "files/a/b")]
    [TestCase("", "/", "files")]
    [TestCase("run1/docker", "/a", "run1/docker/files/a")]
    public void Objects_live_under_files_as_distribution_lays_them_out(string root, string path, string key)
    {
        var layout = new SwiftLayout(root);
        layout.ObjectKey(path).ShouldBe(key);
        layout.DirectoryPrefix(path).ShouldBe(key + "/");
        if (path != "/")
        {
            layout.PathOf(key).ShouldBe(path);
            layout.IsFileKey(key).ShouldBeTrue();
        }
    }

    [Test]
    public void Segment_folders_are_random_and_shaped_like_distributions()
    {
        var layout = new SwiftLayout("r");
        var a = layout.NewSegmentPrefix();
        var b = layout.NewSegmentPrefix();

        a.ShouldNotBe(b);
        a.ShouldMatch("^r/segments/[0-9a-f]{3}/[0-9a-f]{37}$");
        SwiftLayout.SegmentName(a, 7).ShouldBe(a + "/0000000000000007");
    }

    [Test]
    public void Pending_uploads_live_outside_files_so_they_never_list()
    {
        var layout = new SwiftLayout("r");
        layout.PendingUploadKey("/a/b").ShouldBe("r/pending-uploads/a/b");
        layout.PendingUploadPrefix("/a").ShouldBe("r/pending-uploads/a/");
        layout.IsFileKey(layout.PendingUploadKey("/a/b")).ShouldBeFalse();
    }

    [Test]
    public void Pending_upload_record_round_trips()
    {
        var upload = new SwiftPendingUpload("r/segments/abc/def", 3, [new SegmentRef("c", "r/segments/abc/def/0000000000000001", 10, "e1"), new SegmentRef("c", "r/segments/abc/def/0000000000000002", 4, null)]);

        var back = SwiftPendingUpload.Deserialize(upload.Serialize());

        back.SegmentPrefix.ShouldBe(upload.SegmentPrefix);
        back.NextNumber.ShouldBe(3);
        back.Segments.ShouldBe(upload.Segments);
        back.Size.ShouldBe(14);
    }

    [Test]
    public void Keystone_v3_request_scopes_the_project_by_name_in_its_domain()
    {
        var p = Parameters(("tenant", "registry"), ("tenantdomain", "projects"), ("domain", "users"));
        var body = Json(Encoding.UTF8.GetString(KeystoneV3Auth.BuildRequestBody(p)));

        var identity = body.GetProperty("auth").GetProperty("identity");
        identity.GetProperty("methods")[0].GetString().ShouldBe("password");
        var user = identity.GetProperty("password").GetProperty("user");
        user.GetProperty("name").GetString().ShouldBe("test:tester");
        user.GetProperty("password").GetString().ShouldBe("testing");
        user.GetProperty("domain").GetProperty("name").GetString().ShouldBe("users");
        var project = body.GetProperty("auth").GetProperty("scope").GetProperty("project");
        project.GetProperty("name").GetString().ShouldBe("registry");
        project.GetProperty("domain").GetProperty("name").GetString().ShouldBe("projects");
    }

    [Test]
    public void Keystone_v3_project_domain_falls_back_to_the_users_then_Default()
    {
        static JsonElement ProjectDomain(SwiftParameters p) =>
            Json(Encoding.UTF8.GetString(KeystoneV3Auth.BuildRequestBody(p))).GetProperty("auth").GetProperty("scope").GetProperty("project").GetProperty("domain");

        ProjectDomain(Parameters(("tenant", "t"), ("domainid", "u1"))).GetProperty("id").GetString().ShouldBe("u1");
        ProjectDomain(Parameters(("tenant", "t"))).GetProperty("name").GetString().ShouldBe("Default");
    }

    [Test]
    public void Keystone_v3_scopes_a_trust_or_a_project_id_when_given()
    {
        var trust = Json(Encoding.UTF8.GetString(KeystoneV3Auth.BuildRequestBody(Parameters(("trustid", "tr1"), ("tenant", "t")))));
        trust.GetProperty("auth").GetProperty("scope").GetProperty("OS-TRUST:trust").GetProperty("id").GetString().ShouldBe("tr1");

        var byId = Json(Encoding.UTF8.GetString(KeystoneV3Auth.BuildRequestBody(Parameters(("tenantid", "p1"), ("tenant", "t")))));
        var project = byId.GetProperty("auth").GetProperty("scope").GetProperty("project");
        project.GetProperty("id").GetString().ShouldBe("p1");
        project.TryGetProperty("name", out _).ShouldBeFalse();

        var unscoped = Json(Encoding.UTF8.GetString(KeystoneV3Auth.BuildRequestBody(Parameters())));
        unscoped.GetProperty("auth").TryGetProperty("scope", out _).ShouldBeFalse();
    }

    [TestCase("public", null, "https://public-one/v1/AUTH_p")]
    [TestCase("internal", null, "https://internal-one/v1/AUTH_p")]
    [TestCase("public", "RegionTwo", "https://public-two/v1/AUTH_p")]
    [TestCase("admin", null, null)]
    public void Keystone_v3_catalog_picks_the_object_store_endpoint_of_the_interface_and_region(string endpointType, string? region, string? expected)
    {
        var body = Json("""
            {"token": {"catalog": [
              {"type": "identity", "endpoints": [{"interface": "public", "region": "RegionOne", "url": "https://keystone"}]},
              {"type": "object-store", "endpoints": [
                {"interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": "https://public-one/v1/AUTH_p"},
                {"interface": "internal", "region": "RegionOne", "region_id": "RegionOne", "url": "https://internal-one/v1/AUTH_p"},
                {"interface": "public", "region": "RegionTwo", "region_id": "RegionTwo", "url": "https://public-two/v1/AUTH_p"}]}]}}
            """);

        KeystoneV3Auth.FindStorageUrl(body, endpointType, region)?.AbsoluteUri.ShouldBe(expected);
        if (expected is null)
        {
            KeystoneV3Auth.FindStorageUrl(body, endpointType, region).ShouldBeNull();
        }
    }

    [Test]
    public void Keystone_v2_request_carries_password_credentials_and_the_tenant()
    {
        var body = Json(Encoding.UTF8.GetString(KeystoneV2Auth.BuildRequestBody(Parameters(("tenant", "proj")))));

        var auth = body.GetProperty("auth");
        auth.GetProperty("passwordCredentials").GetProperty("username").GetString().ShouldBe("test:tester");
        auth.GetProperty("passwordCredentials").GetProperty("password").GetString().ShouldBe("testing");
        auth.GetProperty("tenantName").GetString().ShouldBe("proj");
    }

    [Test]
    public void A_session_never_prints_its_token()
    {
        new SwiftSession("AUTH_tk-secret", new Uri("http://h/v1/AUTH_a")).ToString().ShouldNotContain("AUTH_tk-secret");
    }

    private static SwiftParameters Parameters(params (string Key, object? Value)[] extra) =>
        SwiftParameters.Parse(TestParameters.Create("http://keystone:5000/v3", extra));
}
