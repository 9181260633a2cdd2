using System;
using System.Linq;
using CnnGen;
using Xunit;

namespace CnnGen.Runtime.Tests;

/// <summary>
/// NetworkBatch against per-item Forward. Not run in parallel with other classes: a batch that finds
/// the shared workers busy runs on its own thread, which would make the thread-count test flaky.
/// </summary>
[Collection(nameof(AllocationCollection))]
public class NetworkBatchTests
{
    private static readonly SeedNet Seed = new(Data.Random(SeedNet.ParameterCount, 1, 0.1f));

    private static float[] PerItem<TNetwork>(TNetwork network, float[] inputs) where TNetwork : INetwork
    {
        int n = inputs.Length / network.InputLength;
        var outputs = new float[n * network.OutputLength];
        for (int i = 0; i < n; i++)
        {
            network.Forward(inputs.AsSpan(i * network.InputLength, network.InputLength), outputs.AsSpan(i * network.OutputLength, network.OutputLength));
        }
        return outputs;
    }

    [Theory]
    [InlineData(1, -1)]
    [InlineData(2, -1)]
    [InlineData(37, -1)]
    [InlineData(37, 1)]
    [InlineData(37, 2)]
    [InlineData(37, 64)]
    [InlineData(3, 1000)]
    public void Matches_per_item_forward(int n, int degree)
    {
        float[] inputs = Data.Random(n * SeedNet.InputLength, 100 + n);
        float[] expected = PerItem(Seed, inputs);
        var outputs = new float[n * SeedNet.OutputLength];
        NetworkBatch.Forward(Seed, inputs, outputs, degree);
        Assert.Equal(expected, outputs); // bit for bit: the same code runs each item
    }

    [Fact]
    public void Works_with_a_second_generated_network_and_through_the_interface()
    {
        var net = new SmallNet(Data.Random(SmallNet.ParameterCount, 2, 0.2f));
        float[] inputs = Data.Random(20 * SmallNet.InputLength, 3);
        var outputs = new float[20 * SmallNet.OutputLength];
        NetworkBatch.Forward<INetwork>(net, inputs, outputs);
        Assert.Equal(PerItem(net, inputs), outputs);
    }

    [Fact]
    public void Empty_batch_does_nothing()
    {
        NetworkBatch.Forward(Seed, ReadOnlySpan<float>.Empty, Span<float>.Empty);
    }

    [Fact]
    public void Input_length_not_a_multiple_throws_and_writes_nothing()
    {
        var outputs = new float[2 * SeedNet.OutputLength];
        outputs.AsSpan().Fill(7);
        var e = Assert.Throws<ArgumentException>(() => NetworkBatch.Forward(Seed, new float[2 * SeedNet.InputLength - 1], outputs));
        Assert.Equal("inputs", e.ParamName);
        Assert.Contains("3072", e.Message);
        Assert.All(outputs, v => Assert.Equal(7f, v));
    }

    [Theory]
    [InlineData(19)]
    [InlineData(21)]
    [InlineData(0)]
    public void Output_length_mismatch_throws(int outputLength)
    {
        var e = Assert.Throws<ArgumentException>(() => NetworkBatch.Forward(Seed, new float[2 * SeedNet.InputLength], new float[outputLength]));
        Assert.Equal("outputs", e.ParamName);
        Assert.Contains("20", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Bad_degree_throws(int degree)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => NetworkBatch.Forward(Seed, new float[SeedNet.InputLength], new float[SeedNet.OutputLength], degree));
        Assert.Equal("maxDegreeOfParallelism", e.ParamName);
    }

    [Fact]
    public void Null_network_throws()
    {
        Assert.Throws<ArgumentNullException>(() => NetworkBatch.Forward<SeedNet>(null!, new float[SeedNet.InputLength], new float[SeedNet.OutputLength]));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(16)]
    public void Every_item_runs_once_in_order(int degree)
    {
        var probe = new ProbeNet(3, 2);
        const int n = 500;
        var inputs = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            inputs[i * 3] = i;
        }
        var outputs = new float[n * 2];
        NetworkBatch.Forward(probe, inputs, outputs, degree);
        Assert.Equal(n, probe.Calls);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(i * 1000f, outputs[2 * i]);
            Assert.Equal(i * 1000f + 1, outputs[2 * i + 1]);
        }
    }

    [Fact]
    public void Degree_one_stays_on_the_calling_thread()
    {
        var probe = new ProbeNet(1, 1) { SpinPerItem = 2000 };
        NetworkBatch.Forward(probe, new float[64], new float[64], 1);
        Assert.Equal([Environment.CurrentManagedThreadId], probe.Threads.Keys.ToArray());
    }

    [Fact]
    public void Uses_more_than_one_thread_when_there_are_cores()
    {
        if (Environment.ProcessorCount < 2)
        {
            return;
        }
        // Long items, so that a worker surely wakes before the caller has finished them all.
        var probe = new ProbeNet(1, 1) { SpinPerItem = 200_000 };
        NetworkBatch.Forward(probe, new float[64], new float[64]);
        Assert.True(probe.Threads.Count >= 2, $"ran on {probe.Threads.Count} thread(s)");
    }

    [Fact]
    public void A_failing_item_is_rethrown_and_the_workers_stay_usable()
    {
        var probe = new ProbeNet(1, 1) { FailAt = 10 };
        var inputs = Enumerable.Range(0, 100).Select(i => (float)i).ToArray();
        var e = Assert.Throws<InvalidOperationException>(() => NetworkBatch.Forward(probe, inputs, new float[100]));
        Assert.Equal("item 10 fails", e.Message);
        Assert.InRange(probe.Calls, 11, 100);

        var outputs = new float[37 * SeedNet.OutputLength];
        float[] batch = Data.Random(37 * SeedNet.InputLength, 5);
        NetworkBatch.Forward(Seed, batch, outputs);
        Assert.Equal(PerItem(Seed, batch), outputs);
    }

    [Fact]
    public void Concurrent_callers_all_get_correct_results()
    {
        float[] inputs = Data.Random(24 * SeedNet.InputLength, 9);
        float[] expected = PerItem(Seed, inputs);
        var failures = 0;
        var threads = Enumerable.Range(0, 4).Select(_ => new System.Threading.Thread(() =>
        {
            var outputs = new float[expected.Length];
            for (int r = 0; r < 20; r++)
            {
                Array.Clear(outputs);
                NetworkBatch.Forward(Seed, inputs, outputs);
                if (!outputs.AsSpan().SequenceEqual(expected))
                {
                    System.Threading.Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();
        foreach (var t in threads)
        {
            t.Start();
        }
        foreach (var t in threads)
        {
            t.Join();
        }
        Assert.Equal(0, failures);
    }
}

/// <summary>Allocation measurements: alone, so other tests' allocations do not count.</summary>
[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public class AllocationCollection { }

[Collection(nameof(AllocationCollection))]
public class NetworkBatchAllocationTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(64)]
    public void No_allocation_per_call_after_warm_up(int degree)
    {
        var net = new SeedNet(Data.Random(SeedNet.ParameterCount, 1, 0.1f));
        const int n = 32;
        float[] inputs = Data.Random(n * SeedNet.InputLength, 4);
        var outputs = new float[n * SeedNet.OutputLength];
        for (int i = 0; i < 20; i++)
        {
            NetworkBatch.Forward(net, inputs, outputs, degree); // warm-up: worker threads, scratch, JIT tiers
        }

        const int calls = 200;
        // The all-threads counter also sees other threads of the test host (the runner reporting
        // results, tiered JIT): take the quietest of a few attempts. One allocation per call would
        // show in every attempt as at least calls × 24 bytes.
        long totalDelta = long.MaxValue;
        for (int attempt = 0; attempt < 5 && totalDelta >= calls * 24; attempt++)
        {
            long total = GC.GetTotalAllocatedBytes(precise: true);
            long thread = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < calls; i++)
            {
                NetworkBatch.Forward(net, inputs, outputs, degree);
            }
            long threadDelta = GC.GetAllocatedBytesForCurrentThread() - thread;
            totalDelta = Math.Min(totalDelta, GC.GetTotalAllocatedBytes(precise: true) - total);
            Assert.Equal(0, threadDelta);
        }

        Assert.True(totalDelta < calls * 24, $"{totalDelta} bytes allocated by all threads over {calls} calls");
    }
}
