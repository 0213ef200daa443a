using System.Threading.Channels;

namespace Registry.Storage.Hosting.Migration;

/// <summary>A producer feeding a fixed number of workers through a bounded channel; the first failure cancels the rest.</summary>
internal static class Pipeline
{
    public static async Task RunAsync<T>(Func<ChannelWriter<T>, CancellationToken, Task> produce, int workers, Func<T, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(workers * 16) { SingleWriter = true });
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = ProduceAsync();
        var consumers = ConsumeAsync(channel.Reader, workers, work, failed.Token);
        try
        {
            await Task.WhenAll(producer, consumers).ConfigureAwait(false);
        }
        catch
        {
            await failed.CancelAsync().ConfigureAwait(false);
            throw;
        }

        async Task ProduceAsync()
        {
            try
            {
                await produce(channel.Writer, failed.Token).ConfigureAwait(false);
                channel.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                channel.Writer.TryComplete(ex);
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    public static Task ConsumeAsync<T>(ChannelReader<T> reader, int workers, Func<T, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(reader.ReadAllAsync(cancellationToken), new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
            async (item, ct) => await work(item, ct).ConfigureAwait(false));
}
