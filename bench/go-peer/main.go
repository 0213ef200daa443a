// go-peer: Go distribution 2.8.2's storage drivers (filesystem, s3-aws, swift, from Debian's
// golang-github-docker-distribution-dev) timed on the same workloads as
// bench/Registry.Storage.DriverBench, in-process, so the report can put "ours ÷ Go" beside
// "ours ÷ rclone/dd".
//
// It speaks DriverBench's serve protocol rather than being a one-shot CLI per workload: the
// driver is created once (as a registry creates it), every workload is one stdin line
// ("--workload write --path /big --size 1073741824") answered by one "RESULT key=value ..." or
// "ERROR ..." line, and start-up (process, driver creation, first connection) is outside every
// figure, exactly as on our side. A one-shot CLI would put the Go runtime's start-up and the
// SDK's first request into each figure, which is what the dd/rclone column already shows.
//
//	go-peer --driver s3 --root regstore-bench/1234abcd
//
// Parameters come from REGSTORE_TEST_<DRIVER>_* (the services' .env files), as DriverBench's do;
// --root is rootdirectory (swift: distribution's prefix, which is what our rootdirectory maps to).
// Built in GOPATH mode against Debian's source (see bench/README.md): no module download.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	storagedriver "github.com/docker/distribution/registry/storage/driver"
	"github.com/docker/distribution/registry/storage/driver/factory"
	_ "github.com/docker/distribution/registry/storage/driver/filesystem"
	_ "github.com/docker/distribution/registry/storage/driver/s3-aws"
	_ "github.com/docker/distribution/registry/storage/driver/swift"
)

func main() {
	driverName := flag.String("driver", "", "filesystem, s3 or swift")
	root := flag.String("root", "", "the bench root (rootdirectory; swift: prefix)")
	flag.Parse()
	if *driverName == "" || *root == "" {
		fmt.Fprintln(os.Stderr, "usage: go-peer --driver filesystem|s3|swift --root DIR  (workloads on stdin, one per line)")
		os.Exit(2)
	}

	parameters, err := Parameters(*driverName, *root, os.Environ())
	if err != nil {
		fmt.Fprintf(os.Stderr, "go-peer: %v\n", err)
		os.Exit(2)
	}

	// factory.Create wraps the driver in base.Base (path checks, error naming), as in a registry.
	driver, err := factory.Create(*driverName, parameters)
	if err != nil {
		fmt.Fprintf(os.Stderr, "go-peer: %s could not be created: %v\n", *driverName, err)
		os.Exit(3)
	}

	// Warm-up, as DriverBench's: the first call pays for connection set-up and authentication.
	ctx := context.Background()
	if _, err := driver.Stat(ctx, "/"); err != nil {
		if _, missing := err.(storagedriver.PathNotFoundError); !missing {
			fmt.Fprintf(os.Stderr, "go-peer: warm-up Stat failed: %v\n", err)
		}
	}

	fmt.Println("READY")
	failures := 0
	lines := bufio.NewScanner(os.Stdin)
	for lines.Scan() {
		line := strings.TrimSpace(lines.Text())
		if line == "" {
			continue
		}

		if !serveOne(ctx, driver, line) {
			failures++
		}
	}

	if failures > 0 {
		os.Exit(1)
	}
}

// serveOne runs one workload line and prints its RESULT or ERROR line (details on stderr).
func serveOne(ctx context.Context, driver storagedriver.StorageDriver, line string) bool {
	command, err := ParseCommand(line)
	if err == nil {
		var result map[string]float64
		if result, err = Run(ctx, driver, command); err == nil {
			fmt.Println(FormatResult(result))
			return true
		}
	}

	fmt.Fprintf(os.Stderr, "go-peer: '%s' failed: %v\n", line, err)
	fmt.Printf("ERROR %s %s\n", command.Workload, command.Path)
	return false
}

// FormatResult is "RESULT k=v ..." with the keys sorted, so the line is stable.
func FormatResult(result map[string]float64) string {
	keys := make([]string, 0, len(result))
	for key := range result {
		keys = append(keys, key)
	}

	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("RESULT")
	for _, key := range keys {
		fmt.Fprintf(&b, " %s=%s", key, strconv.FormatFloat(result[key], 'f', -1, 64))
	}

	return b.String()
}
