using System.Threading.Channels;

namespace Synthio.Onnx.Runtime;

/// <summary>
/// Coalesces concurrent single-item requests into batches for one model, with a fixed number of workers so
/// at most that many model runs are in flight (bounded parallelism). Each request keeps its own result.
/// </summary>
internal sealed class MicroBatcher<TIn, TOut> : IDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Func<IReadOnlyList<TIn>, IReadOnlyList<TOut>> _runBatch;
    private readonly int _maxBatch;

    public MicroBatcher(Func<IReadOnlyList<TIn>, IReadOnlyList<TOut>> runBatch, int maxBatch, int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _runBatch = runBatch;
        _maxBatch = maxBatch;
        for (var i = 0; i < workers; i++)
        {
            _ = Task.Run(WorkAsync);
        }
    }

    public Task<TOut> RunAsync(TIn item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(item, new TaskCompletionSource<TOut>(TaskCreationOptions.RunContinuationsAsynchronously), cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(MicroBatcher<TIn, TOut>));
        }

        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    public void Dispose() => _queue.Writer.TryComplete();

    private async Task WorkAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(_maxBatch);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && reader.TryRead(out var pending))
            {
                if (pending.Cancellation.IsCancellationRequested)
                {
                    pending.Completion.TrySetCanceled(pending.Cancellation);
                    continue;
                }

                batch.Add(pending);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                var results = _runBatch(batch.Select(p => p.Item).ToArray());
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
                }
            }
            catch (Exception exception)
            {
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(exception);
                }
            }
        }
    }

    private sealed record Pending(TIn Item, TaskCompletionSource<TOut> Completion, CancellationToken Cancellation);
}
