using Registry.Storage.Host.Cli;

return await RegstoreCli.RunAsync(args).ConfigureAwait(false);
