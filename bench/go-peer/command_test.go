package main

import (
	"reflect"
	"testing"
)

// The lines the orchestrator sends are DriverBench's (bench/Registry.Storage.Bench/DriverRun.cs).
func TestParseCommandReadsTheOrchestratorsLines(t *testing.T) {
	cases := map[string]Command{
		"--workload write --path /go-big --size 8388608":              {Workload: "write", Path: "/go-big", Size: 8 << 20, Concurrency: 32},
		"--workload putget --path /go-small1k --size 1KiB --count 10": {Workload: "putget", Path: "/go-small1k", Size: 1024, Count: 10, Concurrency: 32},
		"--workload move --path /go-big --dst /go-big-moved":          {Workload: "move", Path: "/go-big", Destination: "/go-big-moved", Concurrency: 32},
		"  --workload walk   --path /walk ":                           {Workload: "walk", Path: "/walk", Concurrency: 32},
	}
	for line, want := range cases {
		got, err := ParseCommand(line)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseCommand(%q) = %+v, %v; want %+v", line, got, err, want)
		}
	}
}

func TestParseCommandRefusesWhatItCannotRun(t *testing.T) {
	for _, line := range []string{"--workload write", "--path /x", "--workload read --path", "--workload read --path /x --bogus 1", "--workload write --path /x --size 1TB"} {
		if _, err := ParseCommand(line); err == nil {
			t.Errorf("ParseCommand(%q) succeeded", line)
		}
	}
}

func TestFormatResultSortsKeysAndPrintsPlainDecimals(t *testing.T) {
	got := FormatResult(map[string]float64{"seconds": 0.008116672, "bytes": 8388608, "peak": 1.6515072e+07})
	if want := "RESULT bytes=8388608 peak=16515072 seconds=0.008116672"; got != want {
		t.Errorf("FormatResult = %q, want %q", got, want)
	}
}
