#!/usr/bin/env bash
# The host as packages a user installs (issue 17), built and run outside the repository against
# artifacts/packages only:
#   1. `dotnet tool install regstore` into an empty tool path: info, put, cat on the built-in
#      default (the filesystem driver, from the plugins the tool package carries);
#   2. samples/StorageWorker, which references only the Registry.Storage.Hosting package: the
#      driver selected from appsettings.json and from REGISTRY_STORAGE* variables, health
#      reported, a blob round-tripped; a wrong driver name and a wrong parameter stop start-up;
#   3. samples/LinkedDriver, which links the Registry.Storage.Drivers.Filesystem package instead of
#      loading a plugin; and every package exists at this build's prerelease version.
# Usage: hosting-packages.sh <published host folder> <packages folder>. Ends with "N passed, N failed".
set -uo pipefail
host="$(cd "$1" && pwd)"
feed="$(cd "$2" && pwd)"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d /tmp/regstore-hosting-e2e.XXXXXX)"
log="$work/logs"
mkdir -p "$log"
passed=0
failed=0
pass() { echo "PASS  $1"; passed=$((passed + 1)); }
fail() { echo "FAIL  $1"; failed=$((failed + 1)); if [ -n "${2:-}" ] && [ -f "$2" ]; then sed 's/^/      /' "$2" | tail -n 20; fi; }
version="$(cat "$feed/version.txt")"   # this build's prerelease version, written by ./build.sh pack

# Packages from the local feed plus nuget.org, into a private package folder, so a stale copy of
# this version in the machine's cache can never stand in for what was just packed.
fallback="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
if [ ! -d "$fallback" ] || compgen -G "$fallback/registry.storage.*" >/dev/null || [ -d "$fallback/regstore" ]; then fallback=""; fi
{
  echo '<?xml version="1.0" encoding="utf-8"?>'
  echo '<configuration><packageSources><clear />'
  echo "  <add key=\"local\" value=\"$feed\" />"
  echo '  <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />'
  echo "</packageSources><config><add key=\"globalPackagesFolder\" value=\"$work/nuget-packages\" /></config>"
  if [ -n "$fallback" ]; then echo "<fallbackPackageFolders><add key=\"machine\" value=\"$fallback\" /></fallbackPackageFolders>"; fi
  echo '</configuration>'
} >"$work/nuget.config"

# ------------------------------------------------------------------ 1. the regstore tool
if dotnet tool install regstore --version "$version" --tool-path "$work/tools" --configfile "$work/nuget.config" >"$log/tool-install.txt" 2>&1; then
  pass "dotnet tool install regstore $version from $feed"
else
  fail "dotnet tool install regstore $version" "$log/tool-install.txt"
fi
empty="$work/empty"
mkdir -p "$empty"
if (cd "$empty" && "$work/tools/regstore" info) >"$log/tool-info.txt" 2>&1 && grep -q '^driver: *filesystem' "$log/tool-info.txt" && grep -q 'config: *built-in default' "$log/tool-info.txt"; then
  pass "the installed tool's info works on the built-in default (filesystem under ./data)"
else
  fail "the installed tool's info works on the built-in default" "$log/tool-info.txt"
fi
printf 'stored through the installed tool\n' >"$work/hello.txt"
if (cd "$empty" && "$work/tools/regstore" put /hello.txt "$work/hello.txt" && "$work/tools/regstore" cat /hello.txt >"$work/hello.back") >"$log/tool-put.txt" 2>&1 \
  && cmp -s "$work/hello.txt" "$work/hello.back" && cmp -s "$work/hello.txt" "$empty/data/hello.txt"; then
  pass "the installed tool's put and cat round-trip a file under ./data"
else
  fail "the installed tool's put and cat round-trip a file" "$log/tool-put.txt"
fi
if "$work/tools/regstore" drivers >"$log/tool-drivers.txt" 2>&1 && [ "$(grep -cE '^  \S+ +found .*\(bundled\)$' "$log/tool-drivers.txt")" -eq 7 ]; then
  pass "the tool package carries the seven drivers as bundled plugins"
else
  fail "the tool package carries the seven drivers as bundled plugins" "$log/tool-drivers.txt"
fi
if compgen -G "$work/tools/.store/regstore/*/regstore/*/tools/*/any/nunit*" >/dev/null || compgen -G "$work/tools/.store/regstore/*/regstore/*/tools/*/any/Shouldly*" >/dev/null; then
  fail "the tool carries no test framework"
else
  pass "the tool carries no test framework (no nunit*, Shouldly*)"
fi

if find "$host" \( -iname 'nunit*' -o -iname 'Shouldly*' -o -iname 'DiffEngine*' -o -iname 'EmptyFiles' \) | grep -q .; then
  fail "the published host folder carries no test framework" 
  find "$host" \( -iname 'nunit*' -o -iname 'Shouldly*' -o -iname 'DiffEngine*' -o -iname 'EmptyFiles' \) | head -n 5 | sed 's/^/      /'
else
  pass "the published host folder ($host) carries no nunit*, Shouldly*, DiffEngine* or EmptyFiles"
fi

# ------------------------------------------------------------------ 2. the sample application
sample="$work/StorageWorker"
cp -r "$repo/samples/StorageWorker" "$sample"
rm -rf "$sample/bin" "$sample/obj"
cp "$work/nuget.config" "$sample/nuget.config"
if dotnet build "$sample" -c Release -p:RegistryStorageVersion="$version" >"$log/sample-build.txt" 2>&1; then
  pass "samples/StorageWorker builds against the Registry.Storage.Hosting package"
else
  fail "samples/StorageWorker builds" "$log/sample-build.txt"
fi
if grep -q '"Registry.Storage.Hosting/' "$sample/obj/project.assets.json" 2>/dev/null && ! grep -q '"type": "project"' "$sample/obj/project.assets.json"; then
  pass "the sample references packages only, no project of the repository"
else
  fail "the sample references packages only"
fi
worker() { (cd "$sample" && dotnet bin/Release/net10.0/StorageWorker.dll --regstore:plugins="$host/plugins" "$@"); }
if worker >"$log/sample-appsettings.txt" 2>&1 && grep -q '^driver: filesystem' "$log/sample-appsettings.txt" \
  && grep -q '^round trip: ok' "$log/sample-appsettings.txt" && grep -q '^health: Healthy' "$log/sample-appsettings.txt" && [ -f "$sample/data/sample/greeting.txt" ]; then
  pass "appsettings.json selects filesystem: round trip ok, health Healthy, the blob under ./data"
else
  fail "appsettings.json selects filesystem" "$log/sample-appsettings.txt"
fi
if REGISTRY_STORAGE=inmemory worker >"$log/sample-env.txt" 2>&1 && grep -q '^driver: inmemory' "$log/sample-env.txt" && grep -q '^round trip: ok' "$log/sample-env.txt"; then
  pass "REGISTRY_STORAGE=inmemory selects the inmemory driver over appsettings.json"
else
  fail "REGISTRY_STORAGE=inmemory selects the inmemory driver" "$log/sample-env.txt"
fi
if REGISTRY_STORAGE=filesystem REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY="$work/env-root" worker >"$log/sample-env-param.txt" 2>&1 && [ -f "$work/env-root/sample/greeting.txt" ]; then
  pass "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY sets the driver's parameter"
else
  fail "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY sets the driver's parameter" "$log/sample-env-param.txt"
fi
status=0
REGISTRY_STORAGE=nosuch worker >"$log/sample-wrong-name.txt" 2>&1 || status=$?
if [ "$status" -eq 2 ] && grep -q 'start-up failed: nosuch: no storage driver is registered' "$log/sample-wrong-name.txt"; then
  pass "a wrong driver name stops start-up (exit 2) naming the registered drivers"
else
  fail "a wrong driver name stops start-up (exit $status)" "$log/sample-wrong-name.txt"
fi
status=0
REGISTRY_STORAGE=inmemory REGISTRY_STORAGE_INMEMORY_ROOTDIRECTORY='a/../b' worker >"$log/sample-wrong-param.txt" 2>&1 || status=$?
if [ "$status" -eq 2 ] && grep -q 'start-up failed: inmemory' "$log/sample-wrong-param.txt" && grep -qi 'rootdirectory' "$log/sample-wrong-param.txt"; then
  pass "a wrong parameter stops start-up (exit 2) naming the driver and the parameter"
else
  fail "a wrong parameter stops start-up (exit $status)" "$log/sample-wrong-param.txt"
fi

# ------------------------------------------------------------------ 3. a driver linked as a library package
linked="$work/LinkedDriver"
cp -r "$repo/samples/LinkedDriver" "$linked"
rm -rf "$linked/bin" "$linked/obj"
cp "$work/nuget.config" "$linked/nuget.config"
if dotnet build "$linked" -c Release -p:RegistryStorageVersion="$version" >"$log/linked-build.txt" 2>&1 \
  && grep -q '"Registry.Storage.Drivers.Filesystem/' "$linked/obj/project.assets.json" && ! grep -q '"type": "project"' "$linked/obj/project.assets.json"; then
  pass "samples/LinkedDriver builds against the Registry.Storage.Drivers.Filesystem and Hosting packages only"
else
  fail "samples/LinkedDriver builds against the driver package" "$log/linked-build.txt"
fi
if (cd "$linked" && dotnet bin/Release/net10.0/LinkedDriver.dll "$work/linked-root") >"$log/linked-run.txt" 2>&1 \
  && grep -q '^driver: filesystem' "$log/linked-run.txt" && grep -q 'default load context: True' "$log/linked-run.txt" \
  && grep -q '^round trip: ok' "$log/linked-run.txt" && [ -f "$work/linked-root/linked/hello.txt" ] && [ ! -d "$linked/bin/Release/net10.0/plugins" ]; then
  pass "the linked filesystem driver is selected by name without a plugins folder and round-trips a blob"
else
  fail "the linked filesystem driver round-trips a blob" "$log/linked-run.txt"
fi
for package in Abstractions Conformance Hosting Templates Drivers.InMemory Drivers.Filesystem Drivers.S3 Drivers.Azure Drivers.Rados Drivers.Swift Drivers.Oss; do
  [ -f "$feed/Registry.Storage.$package.$version.nupkg" ] || missing_packages="${missing_packages:-} $package"
done
if [ -z "${missing_packages:-}" ] && [[ "$version" == *-build.* ]]; then
  pass "every package is packed at this build's prerelease version $version (drivers, template, contract, hosting)"
else
  fail "packages missing at $version:${missing_packages:-}"
fi

rm -rf "$work/nuget-packages"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
