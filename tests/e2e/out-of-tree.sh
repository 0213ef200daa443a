#!/usr/bin/env bash
# The out-of-tree proof (issue 10): a third party's driver, made from the dotnet new template
# in a folder OUTSIDE this repository and built only against the packed packages, is loaded by
# the published host, selected by name from a config file, used through regstore and passes
# the conformance runner; a deliberately broken variant fails it with a clear report; and the
# contract versioning rule holds (same/older minor accepted, newer minor and other major refused).
#
# Usage: tests/e2e/out-of-tree.sh [HOST_DIR] [PACKAGES_DIR]
#   HOST_DIR      the published host (default artifacts/regstore: ./build.sh publish)
#   PACKAGES_DIR  the local feed (default artifacts/packages: ./build.sh pack)
# Network: only NuGet (nuget.org for NUnit and friends). Ends with "N passed, N failed".
# REGSTORE_E2E_KEEP=1 keeps the temp folder for inspection.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
host="$(cd "${1:-$repo/artifacts/regstore}" && pwd)"
feed="$(cd "${2:-$repo/artifacts/packages}" && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export REGSTORE_CONFORMANCE_LARGE_STREAM_SIZE="${REGSTORE_CONFORMANCE_LARGE_STREAM_SIZE:-64MB}"

work="$(mktemp -d "${TMPDIR:-/tmp}/regstore-e2e.XXXXXX")"
case "$work/" in "$repo"/*) echo "e2e: the temp folder must be outside the repository ($work)" >&2; exit 2 ;; esac
contracts=""
cleanup() {
  # an early exit must not delete the folder under the background contract packs
  if [ -n "$contracts" ]; then wait "$contracts" 2>/dev/null || true; fi
  if [ "${REGSTORE_E2E_KEEP:-0}" = 1 ]; then echo "e2e: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

passed=0
failed=0
log="$work/logs"
mkdir -p "$log"

pass() { passed=$((passed + 1)); echo "e2e PASS: $1"; }
fail() { failed=$((failed + 1)); echo "e2e FAIL: $1"; if [ -n "${2:-}" ] && [ -f "$2" ]; then tail -n 40 "$2" | sed 's/^/    | /'; fi; }

# check "what it proves" logfile command...: passes when the command exits 0.
check() {
  local what="$1" out="$2"
  shift 2
  if "$@" >"$out" 2>&1; then pass "$what"; else fail "$what (exit $?)" "$out"; fi
}

# step "what" logfile command...: a preparation step; when it fails, the rest cannot run.
step() {
  local what="$1" out="$2"
  shift 2
  if "$@" >"$out" 2>&1; then
    echo "e2e: $what"
  else
    fail "$what" "$out"
    echo "$passed passed, $failed failed"
    exit 1
  fi
}

regstore() { "$host/regstore" "$@"; }

# ------------------------------------------------------------------ 1. the template, outside the repo
hive="$work/template-hive"   # a private template cache: nothing is installed for the machine's user
version="$(cat "$feed/version.txt")"
step "template package Registry.Storage.Templates $version installed from $feed" "$log/install.txt" \
  dotnet new install "$feed/Registry.Storage.Templates.$version.nupkg" --debug:custom-hive "$hive"
step "driver Acme created from the template in $work/Acme" "$log/new.txt" \
  dotnet new regstore-driver -n Acme -o "$work/Acme" --debug:custom-hive "$hive"
if grep -q 'DriverName = "acme"' "$work/Acme/src/AcmeDriver.cs" && ! grep -rqi 'sample' "$work/Acme" \
  && grep -q ">$version</RegistryStorageVersion>" "$work/Acme/Directory.Build.props"; then
  pass "the template named everything after the driver (registered as 'acme', no 'Sample' left) and builds against $version"
else
  fail "the template named everything after the driver"
fi

# Restore only from the packed packages plus nuget.org, into a private package folder, so the
# repository's projects and a stale copy of a 1.0.0 package in the machine's cache play no part.
# The machine's package cache serves NUnit and friends without a download, unless it holds a
# Registry.Storage package (which could be stale and would shadow the feed).
fallback="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
if [ ! -d "$fallback" ] || compgen -G "$fallback/registry.storage.*" >/dev/null || [ -d "$fallback/regstore" ]; then
  fallback=""
fi
write_nuget_config() { # $1 = folder, then extra feeds
  local folder="$1"
  shift
  {
    echo '<?xml version="1.0" encoding="utf-8"?>'
    echo '<configuration>'
    echo '  <packageSources>'
    echo '    <clear />'
    local i=0
    for extra in "$@"; do echo "    <add key=\"contract$i\" value=\"$extra\" />"; i=$((i + 1)); done
    echo "    <add key=\"local\" value=\"$feed\" />"
    echo '    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />'
    echo '  </packageSources>'
    echo "  <config><add key=\"globalPackagesFolder\" value=\"$work/nuget-packages\" /></config>"
    if [ -n "$fallback" ]; then
      echo "  <fallbackPackageFolders><add key=\"machine\" value=\"$fallback\" /></fallbackPackageFolders>"
    fi
    echo '</configuration>'
  } >"$folder/nuget.config"
}
write_nuget_config "$work"

# Other releases of the contract, packed from a copy of its source: 2.0 (a new major) and 1.3 (a new minor; this host is 1.2).
pack_contract() { # $1 version, $2 major, $3 minor
  local src="$work/contract-$1"
  mkdir -p "$src/Registry.Storage.Abstractions"
  cp "$repo/Directory.Build.props" "$repo/Directory.Packages.props" "$repo/LICENSE" "$src/"
  if [ -f "$repo/.editorconfig" ]; then cp "$repo/.editorconfig" "$src/"; fi
  cp -r "$repo/Registry.Storage.Abstractions/src" "$src/Registry.Storage.Abstractions/src"
  rm -rf "$src/Registry.Storage.Abstractions/src/bin" "$src/Registry.Storage.Abstractions/src/obj"
  sed -i -e "s/public const int Major = [0-9]*;/public const int Major = $2;/" -e "s/public const int Minor = [0-9]*;/public const int Minor = $3;/" \
    "$src/Registry.Storage.Abstractions/src/StorageDriverContract.cs"
  dotnet pack "$src/Registry.Storage.Abstractions/src" -c Release -o "$work/feed-$1" \
    -p:Version="$1" -p:AssemblyVersion="$2.$3.0.0"
}
# Packed in the background while the driver builds (they share nothing); awaited in section 6.
(pack_contract 2.0.0 2 0 && pack_contract 1.3.0 1 3) >"$log/pack-contracts.txt" 2>&1 &
contracts=$!

step "Acme and its tests built against the packed Registry.Storage.Abstractions/Conformance" "$log/build.txt" \
  dotnet build "$work/Acme/tests" -c Release
# The local feed lives under the repository, so its path appears in the assets file; what must
# not appear is a project reference: the contract has to come in as a package.
if grep -q '"Registry.Storage.Abstractions/' "$work/Acme/src/obj/project.assets.json" \
  && ! grep -q '"type": "project"' "$work/Acme/src/obj/project.assets.json"; then
  pass "the plugin references the Abstractions package, nothing from the repository"
else
  fail "the plugin references the Abstractions package, nothing from the repository"
fi

# ------------------------------------------------------------------ 2. into a copy of the host's plugins folder
plugins="$work/plugins"
mkdir -p "$plugins"
if [ -d "$host/plugins" ]; then cp -r "$host/plugins/." "$plugins/"; fi
step "Acme published into $plugins/acme" "$log/publish.txt" \
  dotnet publish "$work/Acme/src" -c Release -o "$plugins/acme"
if [ -f "$plugins/acme/Acme.StorageDriver.dll" ] && [ ! -e "$plugins/acme/Registry.Storage.Abstractions.dll" ]; then
  pass "the plugin folder holds the driver but not the contract (the host supplies it)"
else
  fail "the plugin folder holds the driver but not the contract"
fi

regstore --plugins "$plugins" drivers --describe >"$log/drivers.txt" 2>&1 || true
if grep -Eq '^  acme +found +drivers: acme' "$log/drivers.txt" && grep -q 'acme.rootdirectory' "$log/drivers.txt"; then
  pass "regstore drivers --describe lists acme as found, with its rootdirectory parameter"
else
  fail "regstore drivers --describe lists acme as found" "$log/drivers.txt"
fi

# ------------------------------------------------------------------ 3. selected by name in a config file
data="$work/data"
cat >"$work/regstore.yml" <<EOF
storage:
  acme:
    rootdirectory: $data
EOF
printf 'hello from an out-of-tree driver\n' >"$work/hello.txt"
check "regstore put through the configured acme driver" "$log/put.txt" \
  regstore --plugins "$plugins" --config "$work/regstore.yml" put /greetings/hello.txt "$work/hello.txt"
if regstore --plugins "$plugins" --config "$work/regstore.yml" cat /greetings/hello.txt >"$log/cat.txt" 2>&1 \
  && cmp -s "$log/cat.txt" "$work/hello.txt"; then
  pass "regstore cat returns what put stored"
else
  fail "regstore cat returns what put stored" "$log/cat.txt"
fi
if regstore --plugins "$plugins" --config "$work/regstore.yml" ls / >"$log/ls.txt" 2>&1 && grep -q '/greetings' "$log/ls.txt"; then
  pass "regstore ls / shows the stored directory"
else
  fail "regstore ls / shows the stored directory" "$log/ls.txt"
fi
if cmp -s "$data/greetings/hello.txt" "$work/hello.txt"; then
  pass "the content is a plain file at rootdirectory + path (distribution's layout)"
else
  fail "the content is a plain file at rootdirectory + path"
fi

# ------------------------------------------------------------------ 4. conformance: the runner and the test project
conformance_passes() { # $1 plugin folder, $2 log
  regstore conformance --plugin "$1" -p rootdirectory="$work/conformance" --large-stream-size "$REGSTORE_CONFORMANCE_LARGE_STREAM_SIZE" --junit "$2.xml" >"$2" 2>&1 || return 1
  grep -Eq '^[1-9][0-9]* passed, 0 failed, 0 skipped$' "$2"
}
check "regstore conformance --plugin acme passes the whole suite" "$log/conformance.txt" conformance_passes "$plugins/acme" "$log/conformance.txt"
grep -E '^[0-9]+ passed' "$log/conformance.txt" | sed 's/^/    acme conformance: /' || true

check "the generated test project (conformance fixture from the package, parameter and driver tests) passes" "$log/test.txt" \
  dotnet test "$work/Acme/tests" -c Release --no-build --logger "console;verbosity=minimal"
grep -E '(Passed|Failed)!' "$log/test.txt" | sed 's/^/    acme tests: /' || true

# ------------------------------------------------------------------ 5. a broken variant fails with a clear report
cp -r "$work/Acme" "$work/AcmeBroken"
rm -rf "$work/AcmeBroken/src/bin" "$work/AcmeBroken/src/obj" "$work/AcmeBroken/tests/bin" "$work/AcmeBroken/tests/obj"
# Move that keeps its source: publish a copy instead of renaming.
sed -i 's|_layout.Publish(source, destinationPath);|var copy = _layout.NewTemporaryFile(); File.Copy(source, copy); _layout.Publish(copy, destinationPath);|' \
  "$work/AcmeBroken/src/AcmeDriver.cs"
if ! grep -q 'File.Copy(source, copy)' "$work/AcmeBroken/src/AcmeDriver.cs"; then
  fail "the broken variant could be made (the sed matched nothing)"
else
  step "broken variant (Move keeps its source) published" "$log/publish-broken.txt" \
    dotnet publish "$work/AcmeBroken/src" -c Release -o "$work/plugins-broken/acme"
  status=0
  regstore conformance --plugin "$work/plugins-broken/acme" -p rootdirectory="$work/conformance-broken" \
    --large-stream-size "$REGSTORE_CONFORMANCE_LARGE_STREAM_SIZE" >"$log/conformance-broken.txt" 2>&1 || status=$?
  if [ "$status" -ne 0 ] && grep -Eq '^[0-9]+ passed, [1-9][0-9]* failed' "$log/conformance-broken.txt" \
    && grep -Eq '^FAIL +Move' "$log/conformance-broken.txt"; then
    pass "conformance fails the broken variant: exit $status, the Move tests listed as failed"
    grep -E '^FAIL|^[0-9]+ passed' "$log/conformance-broken.txt" | head -n 6 | sed 's/^/    broken: /'
  else
    fail "conformance fails the broken variant with a clear report (exit $status)" "$log/conformance-broken.txt"
  fi
fi

# ------------------------------------------------------------------ 6. the contract versioning rule
# The plugin built against a contract version, published into its own plugins folder.
build_against() { # $1 version
  write_nuget_config "$work" "$work/feed-$1"
  dotnet publish "$work/Acme/src" -c Release -p:RegistryStorageVersion="$1" -o "$work/plugins-$1/acme"
}
if wait "$contracts"; then
  echo "e2e: contracts 2.0.0 and 1.3.0 packed (AssemblyVersion 2.0.0.0, 1.3.0.0)"
else
  fail "contracts 2.0.0 and 1.3.0 packed" "$log/pack-contracts.txt"
  echo "$passed passed, $failed failed"
  exit 1
fi
step "Acme built against contract 2.0.0" "$log/build-2.0.txt" build_against 2.0.0
step "Acme built against contract 1.3.0" "$log/build-1.3.txt" build_against 1.3.0
write_nuget_config "$work"

# drivers_line <plugins folder> <log>: regstore drivers' output for acme.
drivers_line() { regstore --plugins "$1" drivers >"$2" 2>&1 || true; }

drivers_line "$work/plugins-2.0.0" "$log/drivers-2.0.txt"
if grep -Eq '^  acme +BROKEN' "$log/drivers-2.0.txt" && grep -q 'built against contract 2.0, but this host implements 1.2: the major versions differ' "$log/drivers-2.0.txt"; then
  pass "host 1.2 refuses the plugin built against contract 2.0, saying the major versions differ"
else
  fail "host 1.2 refuses the plugin built against contract 2.0" "$log/drivers-2.0.txt"
fi
status=0
regstore conformance --plugin "$work/plugins-2.0.0/acme" -p rootdirectory="$work/conformance-2.0" >"$log/conformance-2.0.txt" 2>&1 || status=$?
if [ "$status" -ne 0 ] && grep -q 'the major versions differ' "$log/conformance-2.0.txt"; then
  pass "regstore conformance refuses to load the 2.0 plugin (exit $status) with the same message"
else
  fail "regstore conformance refuses to load the 2.0 plugin" "$log/conformance-2.0.txt"
fi

drivers_line "$work/plugins-1.3.0" "$log/drivers-1.3.txt"
if grep -Eq '^  acme +BROKEN' "$log/drivers-1.3.txt" && grep -q 'built against contract 1.3, but this host implements 1.2: the plugin needs a newer host' "$log/drivers-1.3.txt"; then
  pass "host 1.2 refuses the plugin built against contract 1.3, saying it needs a newer host"
else
  fail "host 1.2 refuses the plugin built against contract 1.3" "$log/drivers-1.3.txt"
fi

# A host of contract 1.3: the host's framework-dependent build (./build.sh build) with the 1.3
# Abstractions assembly in place of 1.2. Not the published host: its assemblies and the runtime are
# one composite ReadyToRun image, where no assembly can be replaced (the runtime stops on the MVID).
host13="$work/host-1.3"
host_build="$repo/Registry.Storage.Host/src/bin/Release/net10.0"
[ -f "$host_build/regstore.dll" ] || { echo "e2e: the host's build output $host_build is missing: run ./build.sh build" >&2; exit 1; }
mkdir -p "$host13"
tar -C "$host_build" --exclude=./plugins --exclude=./linux-x64 --exclude=./linux-arm64 -cf - . | tar -C "$host13" -xf -
cp "$work/contract-1.3.0/Registry.Storage.Abstractions/src/bin/Release/net10.0/Registry.Storage.Abstractions.dll" "$host13/"
# host_accepts <plugins folder> <contract> <what>
host_accepts() {
  "$host13/regstore" --plugins "$1" drivers >"$log/drivers-host13-$2.txt" 2>&1 || true
  if grep -Eq "^  acme +found +drivers: acme .*contract $2 " "$log/drivers-host13-$2.txt"; then
    pass "host 1.3 accepts the plugin built against contract $2$3"
  else
    fail "host 1.3 accepts the plugin built against contract $2" "$log/drivers-host13-$2.txt"
  fi
}
host_accepts "$plugins" 1.2 " (an older minor)"
host_accepts "$work/plugins-1.3.0" 1.3 ""
if "$host13/regstore" --plugins "$plugins" --config "$work/regstore.yml" cat /greetings/hello.txt >"$log/cat-host13.txt" 2>&1 \
  && cmp -s "$log/cat-host13.txt" "$work/hello.txt"; then
  pass "host 1.3 runs the 1.2 plugin (regstore cat)"
else
  fail "host 1.3 runs the 1.2 plugin (regstore cat)" "$log/cat-host13.txt"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
