using BenchmarkDotNet.Running;

// `-- --filter '*' --job short` for a quick table; results land in BenchmarkDotNet.Artifacts/.
BenchmarkSwitcher.FromAssembly(typeof(Registry.Storage.MicroBenchmarks.PathBenchmarks).Assembly).Run(args);
