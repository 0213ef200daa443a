package main

import (
	"fmt"
	"strconv"
	"strings"
)

// Command is one workload line, in DriverBench's own syntax (bench/Registry.Storage.DriverBench/BenchArguments.cs).
type Command struct {
	Workload    string
	Path        string
	Destination string
	Size        int64
	Count       int
	Concurrency int
}

// ParseCommand reads "--workload NAME --path P [--dst P] [--size N|1KiB|8MiB|1GiB] [--count N] [--concurrency N]".
func ParseCommand(line string) (Command, error) {
	command := Command{Concurrency: 32}
	fields := strings.Fields(line)
	for i := 0; i < len(fields); i += 2 {
		if i+1 >= len(fields) {
			return command, fmt.Errorf("%s needs a value", fields[i])
		}

		value := fields[i+1]
		var err error
		switch fields[i] {
		case "--workload":
			command.Workload = value
		case "--path":
			command.Path = value
		case "--dst":
			command.Destination = value
		case "--size":
			command.Size, err = ParseSize(value)
		case "--count":
			command.Count, err = strconv.Atoi(value)
		case "--concurrency":
			command.Concurrency, err = strconv.Atoi(value)
		default:
			return command, fmt.Errorf("unknown option %s", fields[i])
		}

		if err != nil {
			return command, fmt.Errorf("%s: %v", fields[i], err)
		}
	}

	if command.Workload == "" || command.Path == "" {
		return command, fmt.Errorf("a workload line needs --workload and --path")
	}

	return command, nil
}

// ParseSize reads a byte count with an optional KiB, MiB or GiB suffix.
func ParseSize(text string) (int64, error) {
	units := []struct {
		suffix string
		shift  uint
	}{{"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}
	for _, unit := range units {
		if strings.HasSuffix(text, unit.suffix) {
			number, err := strconv.ParseInt(strings.TrimSuffix(text, unit.suffix), 10, 64)
			return number << unit.shift, err
		}
	}

	return strconv.ParseInt(text, 10, 64)
}
