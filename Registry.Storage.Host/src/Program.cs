using Registry.Storage.Host.Cli;

// Before anything can load a plugin: stdout belongs to the command's output alone.
Output.ClaimStandardOutput();
var exitCode = await RegstoreCli.RunAsync(args).ConfigureAwait(false);
Output.Flush();

// A plugin's foreground thread must not keep the command alive after it finished.
Environment.Exit(exitCode);
return exitCode;
