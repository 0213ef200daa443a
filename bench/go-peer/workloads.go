package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"time"

	storagedriver "github.com/docker/distribution/registry/storage/driver"
)

// The stream workloads write and read 1 MiB at a time, as DriverBench's Workloads.cs does.
const streamChunk = 1 << 20

// Run runs one workload, timing exactly the driver calls (the same calls DriverBench times).
// The set-up workloads (populate) are not here: the trees both sides list, walk and delete are
// written by our driver, so the Go driver reads what ours wrote (the layouts are the same).
func Run(ctx context.Context, d storagedriver.StorageDriver, c Command) (map[string]float64, error) {
	switch c.Workload {
	case "write":
		return write(ctx, d, c.Path, c.Size)
	case "read":
		return read(ctx, d, c.Path)
	case "move":
		return timed(func() error { return d.Move(ctx, c.Path, c.Destination) })
	case "putget":
		return putGet(ctx, d, c.Path, c.Size, c.Count)
	case "list":
		return list(ctx, d, c.Path)
	case "walk":
		return walk(ctx, d, c.Path)
	case "delete":
		return timed(func() error { return d.Delete(ctx, c.Path) })
	default:
		return nil, fmt.Errorf("unknown workload %q (the Go peer runs write, read, move, putget, list, walk, delete)", c.Workload)
	}
}

func timed(action func() error) (map[string]float64, error) {
	start := time.Now()
	if err := action(); err != nil {
		return nil, err
	}

	return map[string]float64{"seconds": time.Since(start).Seconds()}, nil
}

// write: Writer + Write of a repeated random 1 MiB buffer + Commit + Close, sampled for memory
// (the process never holds the blob, so the peak is the driver's own buffering).
func write(ctx context.Context, d storagedriver.StorageDriver, path string, size int64) (map[string]float64, error) {
	chunk := make([]byte, streamChunk)
	if _, err := rand.Read(chunk); err != nil {
		return nil, err
	}

	memory := StartSampler()
	start := time.Now()
	err := writeStream(ctx, d, path, size, chunk)
	elapsed := time.Since(start)
	memory.Stop()
	if err != nil {
		return nil, err
	}

	return map[string]float64{
		"seconds": elapsed.Seconds(), "bytes": float64(size),
		"peak": float64(memory.PeakResident), "peak_private": float64(memory.PeakPrivate),
		"base": float64(memory.BaseResident), "base_private": float64(memory.BasePrivate),
	}, nil
}

func writeStream(ctx context.Context, d storagedriver.StorageDriver, path string, size int64, chunk []byte) error {
	w, err := d.Writer(ctx, path, false)
	if err != nil {
		return err
	}

	for written := int64(0); written < size; {
		n := int64(len(chunk))
		if size-written < n {
			n = size - written
		}

		if _, err := w.Write(chunk[:n]); err != nil {
			w.Cancel()
			w.Close()
			return err
		}

		written += n
	}

	if err := w.Commit(); err != nil {
		w.Close()
		return err
	}

	return w.Close()
}

func read(ctx context.Context, d storagedriver.StorageDriver, path string) (map[string]float64, error) {
	buffer := make([]byte, streamChunk)
	start := time.Now()
	r, err := d.Reader(ctx, path, 0)
	if err != nil {
		return nil, err
	}

	total, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{r}, buffer)
	r.Close()
	if err != nil {
		return nil, err
	}

	return map[string]float64{"seconds": time.Since(start).Seconds(), "bytes": float64(total)}, nil
}

// putGet: sequential PutContent then GetContent of count objects, ops/s each; then the folder goes.
func putGet(ctx context.Context, d storagedriver.StorageDriver, dir string, size int64, count int) (map[string]float64, error) {
	content := make([]byte, size)
	if _, err := rand.Read(content); err != nil {
		return nil, err
	}

	put := time.Now()
	for i := 0; i < count; i++ {
		if err := d.PutContent(ctx, fmt.Sprintf("%s/f%05d", dir, i), content); err != nil {
			return nil, err
		}
	}

	putSeconds := time.Since(put).Seconds()
	get := time.Now()
	for i := 0; i < count; i++ {
		read, err := d.GetContent(ctx, fmt.Sprintf("%s/f%05d", dir, i))
		if err != nil {
			return nil, err
		}

		if int64(len(read)) != size {
			return nil, fmt.Errorf("GetContent %s/f%05d returned %d bytes, expected %d", dir, i, len(read), size)
		}
	}

	getSeconds := time.Since(get).Seconds()
	if err := d.Delete(ctx, dir); err != nil {
		return nil, err
	}

	return map[string]float64{"put_ops": float64(count) / putSeconds, "get_ops": float64(count) / getSeconds, "count": float64(count)}, nil
}

func list(ctx context.Context, d storagedriver.StorageDriver, dir string) (map[string]float64, error) {
	start := time.Now()
	entries, err := d.List(ctx, dir)
	if err != nil {
		return nil, err
	}

	return map[string]float64{"seconds": time.Since(start).Seconds(), "count": float64(len(entries))}, nil
}

func walk(ctx context.Context, d storagedriver.StorageDriver, dir string) (map[string]float64, error) {
	start := time.Now()
	files := 0
	err := d.Walk(ctx, dir, func(info storagedriver.FileInfo) error {
		if !info.IsDir() {
			files++
		}

		return nil
	})
	if err != nil {
		return nil, err
	}

	return map[string]float64{"seconds": time.Since(start).Seconds(), "count": float64(files)}, nil
}
