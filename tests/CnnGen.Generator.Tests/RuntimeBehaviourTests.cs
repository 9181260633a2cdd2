using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using CnnGen.TestSupport;
using Xunit;

namespace CnnGen.Generator.Tests;

/// <summary>What the generated class promises besides the numbers: argument checks, loading, no allocation, thread safety.</summary>
public sealed class RuntimeBehaviourTests
{
    private const string Tiny = "Fixed.TinyNet";
    private const int TinyParameters = 20_370;

    private static INetwork CreateTiny(int seed = 1) => Networks.Fixed.Create(Tiny, RandomNetworks.Values(seed, TinyParameters, 0.05));

    [Fact]
    public void GeneratedClass_ImplementsINetwork()
    {
        Type type = Networks.Fixed.GetType(Tiny);
        Assert.Contains(typeof(INetwork), type.GetInterfaces());
        Assert.NotNull(type.GetMethod("Forward", new[] { typeof(ReadOnlySpan<float>), typeof(Span<float>) }));
        Assert.NotNull(type.GetConstructor(new[] { typeof(ReadOnlySpan<float>) }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(TinyParameters - 1)]
    [InlineData(TinyParameters + 1)]
    public void WrongParameterCount_Throws_NamingBothCounts(int count)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Networks.Fixed.Create(Tiny, new float[count]));
        Assert.Contains("20370", e.Message.Replace(",", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains(count.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(3071, 10)]
    [InlineData(3073, 10)]
    [InlineData(3072, 9)]
    [InlineData(3072, 11)]
    [InlineData(3072, 0)]
    public void WrongSpanLengths_Throw_AndLeaveTheOutputUntouched(int inputLength, int outputLength)
    {
        INetwork network = CreateTiny();
        var input = new float[inputLength];
        var output = Enumerable.Repeat(42f, outputLength).ToArray();
        var e = Assert.ThrowsAny<ArgumentException>(() => network.Forward(input, output));
        Assert.All(output, v => Assert.Equal(42f, v));
        int expected = inputLength != 3072 ? 3072 : 10, actual = inputLength != 3072 ? inputLength : outputLength;
        Assert.Contains(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.Contains(actual.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.Equal(inputLength != 3072 ? "input" : "output", e.ParamName);
    }

    [Fact]
    public void Constructor_CopiesTheParameters()
    {
        float[] parameters = RandomNetworks.Values(3, TinyParameters, 0.05);
        INetwork network = Networks.Fixed.Create(Tiny, parameters);
        float[] input = RandomNetworks.Values(4, 3072);
        var before = new float[10];
        network.Forward(input, before);
        Array.Clear(parameters);
        var after = new float[10];
        network.Forward(input, after);
        Assert.Equal(before, after);
    }

    [Fact]
    public void FromStream_AndFromFile_MatchTheConstructor()
    {
        float[] parameters = RandomNetworks.Values(5, TinyParameters, 0.05);
        var bytes = new byte[parameters.Length * sizeof(float)];
        for (int i = 0; i < parameters.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), parameters[i]);
        }
        float[] input = RandomNetworks.Values(6, 3072);
        var expected = new float[10];
        Networks.Fixed.Create(Tiny, parameters).Forward(input, expected);

        var fromStream = (INetwork)Networks.Fixed.InvokeStatic(Tiny, "FromStream", new MemoryStream(bytes))!;
        var actual = new float[10];
        fromStream.Forward(input, actual);
        Assert.Equal(expected, actual);

        string path = Path.Combine(Path.GetTempPath(), $"cnngen-{Guid.NewGuid():N}.bin");
        try
        {
            File.WriteAllBytes(path, bytes);
            var fromFile = (INetwork)Networks.Fixed.InvokeStatic(Tiny, "FromFile", path)!;
            fromFile.Forward(input, actual);
            Assert.Equal(expected, actual);
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Throws<InvalidDataException>(() => Networks.Fixed.InvokeStatic(Tiny, "FromStream", new MemoryStream(bytes, 0, bytes.Length - 4)));
        Assert.Throws<InvalidDataException>(() => Networks.Fixed.InvokeStatic(Tiny, "FromStream", new MemoryStream(bytes.Concat(new byte[4]).ToArray())));
    }

    public static IEnumerable<object[]> AllocationCases() =>
        new[] { "TinyNet", "LeNet", "Padded", "ConvPadded", "MaxPoolPadded", "AvgPoolCeilPadded", "DenseSoftmax", "ReluOnly" }.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(AllocationCases))]
    public void Forward_DoesNotAllocate_AfterTheFirstCall(string name)
    {
        string type = Networks.Namespace + "." + name;
        int parameterCount = Networks.Fixed.Constant(type, "ParameterCount");
        INetwork network = Networks.Fixed.Create(type, RandomNetworks.Values(7, parameterCount, 0.1));
        float[] input = RandomNetworks.Values(8, network.InputLength);
        Assert.Equal(0, AllocatedBytes(network, input, calls: 1000));
    }

    [Fact]
    public void RandomNetworks_DoNotAllocate()
    {
        (CompiledNetworks compiled, ReferenceNetwork[] references) = Networks.Random;
        for (int i = 0; i < 20; i++)
        {
            int seed = Networks.RandomSeedBase + i;
            INetwork network = compiled.Create(Networks.RandomTypeName(seed), RandomNetworks.Parameters(references[i], seed));
            Assert.True(AllocatedBytes(network, RandomNetworks.Values(seed, network.InputLength)) == 0, $"seed {seed} allocates\n{references[i]}");
        }
    }

    /// <summary>
    /// Bytes that <paramref name="calls"/> calls of <c>Forward</c> allocate after two warm-up calls (the thread's
    /// scratch, first JIT tier): the fewest of up to three rounds. The runtime's tiered compilation now and then
    /// allocates on the calling thread while a method tiers up (BenchmarkDotNet issue 1542 saw the same in code that
    /// allocates nothing; a CI run here once counted it in the AVX2 child), and that happens once; an allocation in
    /// <c>Forward</c> repeats in every round.
    /// </summary>
    internal static long AllocatedBytes(INetwork network, float[] input, int calls = 50)
    {
        var output = new float[network.OutputLength];
        network.Forward(input, output);
        network.Forward(input, output);
        long fewest = long.MaxValue;
        for (int round = 0; round < 3 && fewest != 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < calls; k++)
            {
                network.Forward(input, output);
            }
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }

    [Fact]
    public void GraphNetworks_DoNotAllocate()
    {
        (CompiledNetworks compiled, var references) = GraphNetworks.All;
        foreach (var (type, reference) in references.Take(30))
        {
            INetwork network = compiled.Create(type, RandomNetworks.Parameters(reference, 3));
            Assert.True(AllocatedBytes(network, RandomNetworks.Values(3, network.InputLength)) == 0, $"{type} allocates\n{reference}");
        }
    }

    [Theory]
    [InlineData("TinyNet")]
    [InlineData("Padded")]
    [InlineData("LeNet")]
    public void OneInstance_FourThreads_SameResultsAsOneThread(string name)
    {
        string type = Networks.Namespace + "." + name;
        INetwork network = Networks.Fixed.Create(type, RandomNetworks.Values(9, Networks.Fixed.Constant(type, "ParameterCount"), 0.1));
        float[][] inputs = Enumerable.Range(0, 16).Select(i => RandomNetworks.Values(100 + i, network.InputLength)).ToArray();
        float[][] expected = inputs.Select(input =>
        {
            var y = new float[network.OutputLength];
            network.Forward(input, y);
            return y;
        }).ToArray();

        var errors = new List<string>();
        using var start = new Barrier(4);
        Thread[] threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            var y = new float[network.OutputLength];
            start.SignalAndWait();
            for (int round = 0; round < 100; round++)
            {
                int k = (round * 7 + t * 5) % inputs.Length;
                network.Forward(inputs[k], y);
                if (!y.AsSpan().SequenceEqual(expected[k]))
                {
                    lock (errors)
                    {
                        errors.Add($"thread {t}, round {round}, input {k}");
                    }
                }
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }
        foreach (Thread thread in threads)
        {
            thread.Join();
        }
        Assert.Empty(errors);
    }

    [Fact]
    public void TwoInstances_OnOneThread_DoNotMixResults()
    {
        // Two instances of the same class on one thread share the thread's scratch: interleaving them must not mix results.
        INetwork a = CreateTiny(11), b = CreateTiny(12);
        float[] input = RandomNetworks.Values(13, 3072);
        float[] ya = new float[10], yb = new float[10], ya2 = new float[10];
        a.Forward(input, ya);
        b.Forward(input, yb);
        a.Forward(input, ya2);
        Assert.Equal(ya, ya2);
        Assert.NotEqual(ya, yb);
    }
}
