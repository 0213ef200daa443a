package main

import (
	"bufio"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Sampler mirrors DriverBench's MemorySampler: the kernel's high-water mark (VmHWM) cannot be
// reset and this process runs other workloads first, so a goroutine reads /proc/self/status
// every 5 ms during the write alone and keeps the maxima of VmRSS and of RssAnon + RssShmem.
type Sampler struct {
	BaseResident, BasePrivate int64
	PeakResident, PeakPrivate int64
	stop                      chan struct{}
	done                      sync.WaitGroup
}

// StartSampler returns the heap's free memory to the OS first (as our side's compacting full
// GC does), takes the baseline, then samples until Stop.
func StartSampler() *Sampler {
	debug.FreeOSMemory()
	s := &Sampler{stop: make(chan struct{})}
	s.BaseResident, s.BasePrivate = readStatus()
	s.PeakResident, s.PeakPrivate = s.BaseResident, s.BasePrivate
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		ticker := time.NewTicker(5 * time.Millisecond)
		defer ticker.Stop()
		for {
			select {
			case <-s.stop:
				s.sample()
				return
			case <-ticker.C:
				s.sample()
			}
		}
	}()
	return s
}

// Stop ends sampling; the peaks are final afterwards.
func (s *Sampler) Stop() {
	close(s.stop)
	s.done.Wait()
}

func (s *Sampler) sample() {
	resident, private := readStatus()
	if resident > s.PeakResident {
		s.PeakResident = resident
	}

	if private > s.PeakPrivate {
		s.PeakPrivate = private
	}
}

// readStatus: VmRSS and RssAnon + RssShmem of /proc/self/status, in bytes (0 where absent).
func readStatus() (resident, private int64) {
	file, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, 0
	}

	defer file.Close()
	lines := bufio.NewScanner(file)
	for lines.Scan() {
		fields := strings.Fields(lines.Text())
		if len(fields) < 2 {
			continue
		}

		kib, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			continue
		}

		switch fields[0] {
		case "VmRSS:":
			resident = kib << 10
		case "RssAnon:", "RssShmem:":
			private += kib << 10
		}
	}

	return resident, private
}
