using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;

namespace CnnGen.Generator.Tests;

/// <summary>
/// The hand-written networks the tests share, compiled once (in one compilation) per test run, and
/// the random networks, also compiled once in one compilation to keep the suite fast.
/// </summary>
internal static class Networks
{
    public const string Namespace = "Fixed";

    /// <summary>The seed network of the README.</summary>
    public const string TinyNet = """
        [Network]
        [Input(32, 32, 3)]
        [Conv(5, 5, 10)]
        [Relu]
        [MaxPool(2, 2, Stride = 2)]
        [FullyConnected(10)]
        [Softmax]
        public partial class TinyNet { }
        """;

    /// <summary>LeNet-5 on 32×32 greyscale (ReLU instead of tanh).</summary>
    public const string LeNet = """
        [Network]
        [Input(32, 32, 1)]
        [Conv(5, 5, 6)]
        [Relu]
        [MaxPool(2, 2)]
        [Conv(5, 5, 16)]
        [Relu]
        [MaxPool(2, 2)]
        [FullyConnected(120)]
        [Relu]
        [FullyConnected(84)]
        [Relu]
        [FullyConnected(10)]
        public partial class LeNet { }
        """;

    /// <summary>Padding, strides, ceil mode, both pools, ExcludePadding, a rectangular input, softmax.</summary>
    public const string Padded = """
        [Network]
        [Input(15, 13, 3)]
        [Conv(3, 3, 4, Padding = 1, Stride = 2)]
        [Relu]
        [AvgPool(3, 3, Stride = 2, Padding = 1, CeilMode = true, ExcludePadding = true)]
        [MaxPool(2, 2, PadLeft = 1)]
        [FullyConnected(5)]
        [Softmax]
        public partial class Padded { }
        """;

    /// <summary>Tiny networks whose outputs the tests work out by hand.</summary>
    public const string HandChecked = """
        [Network, Input(3, 3, 1), Conv(2, 2, 1)]
        public partial class Conv2x2 { }

        [Network, Input(2, 1, 2), Conv(1, 1, 2)]
        public partial class ChannelOrder { }

        [Network, Input(2, 2, 1), Conv(3, 3, 1, Padding = 1)]
        public partial class ConvPadded { }

        [Network, Input(3, 1, 1), MaxPool(2, 1, Stride = 2, PadLeft = 1)]
        public partial class MaxPoolPadded { }

        [Network, Input(3, 1, 1), AvgPool(2, 1, Stride = 2, PadLeft = 1)]
        public partial class AvgPoolPadded { }

        [Network, Input(3, 1, 1), AvgPool(2, 1, Stride = 2, PadLeft = 1, ExcludePadding = true)]
        public partial class AvgPoolExcludePadding { }

        [Network, Input(3, 1, 1), AvgPool(2, 1, CeilMode = true)]
        public partial class AvgPoolCeil { }

        [Network, Input(4, 1, 1), AvgPool(3, 1, Stride = 2, PadLeft = 1, PadRight = 1, CeilMode = true)]
        public partial class AvgPoolCeilPadded { }

        [Network, Input(4, 1, 1), AvgPool(3, 1, Stride = 2, PadLeft = 1, PadRight = 1, CeilMode = true, ExcludePadding = true)]
        public partial class AvgPoolCeilPaddedExclude { }

        [Network, Input(5, 1, 1), MaxPool(2, 1, CeilMode = true)]
        public partial class MaxPoolCeil { }

        [Network, Input(3, 1, 1), FullyConnected(2), Relu]
        public partial class DenseRelu { }

        [Network, Input(3, 1, 1), FullyConnected(2), Softmax]
        public partial class DenseSoftmax { }

        [Network, Input(5, 1, 1), Conv(2, 1, 1, DilationX = 2)]
        public partial class Dilated { }

        [Network, Input(5, 1, 1), Conv(1, 1, 1, StrideX = 2)]
        public partial class Strided { }

        [Network, Input(2, 2, 1), Conv(1, 1, 2), FullyConnected(1)]
        public partial class FlattenOrder { }

        [Network, Input(4, 1, 1), Relu]
        public partial class ReluOnly { }

        [Network, Input(2, 3, 1), Conv(1, 2, 1, PadTop = 1)]
        public partial class PadTopOnly { }
        """;

    public static readonly string[] HandCheckedNames =
    {
        "Conv2x2", "ChannelOrder", "ConvPadded", "MaxPoolPadded", "AvgPoolPadded", "AvgPoolExcludePadding", "AvgPoolCeil",
        "AvgPoolCeilPadded", "AvgPoolCeilPaddedExclude", "MaxPoolCeil", "DenseRelu", "DenseSoftmax", "Dilated", "Strided",
        "FlattenOrder", "ReluOnly", "PadTopOnly",
    };

    public static string Wrap(string body) => GeneratorHarness.Usings + "\nnamespace " + Namespace + ";\n\n" + body + "\n";

    private static readonly Lazy<CompiledNetworks> LazyFixed = new(() => GeneratorHarness.Compile(
        new[] { Wrap(TinyNet), Wrap(LeNet), Wrap(Padded), Wrap(HandChecked) },
        new[] { "TinyNet", "LeNet", "Padded" }.Concat(HandCheckedNames).Select(n => Namespace + "." + n),
        implicitUsings: true));

    /// <summary>The sources of every fixed network.</summary>
    public static string[] FixedSources => new[] { Wrap(TinyNet), Wrap(LeNet), Wrap(Padded), Wrap(HandChecked) };

    /// <summary>
    /// TinyNet, LeNet, Padded and the hand-checked networks, compiled and loaded as in a project with the SDK's
    /// implicit usings (numerical tests should not depend on it; <see cref="GeneratedCodeTests"/> checks that
    /// generated code compiles without them).
    /// </summary>
    public static CompiledNetworks Fixed => LazyFixed.Value;

    /// <summary>How many random networks the suite compiles and checks against the reference.</summary>
    public const int RandomCount = 120;

    /// <summary>First seed; seeds are <c>RandomSeedBase + i</c>.</summary>
    public const int RandomSeedBase = 1000;

    public static string RandomTypeName(int seed) => $"R{seed}.Net";

    private static readonly Lazy<(CompiledNetworks Compiled, ReferenceNetwork[] References)> LazyRandom = new(() =>
    {
        ReferenceNetwork[] references = Enumerable.Range(RandomSeedBase, RandomCount).Select(RandomNetworks.Create).ToArray();
        IEnumerable<string> sources = references.Select((r, i) => r.ToSource("R" + (RandomSeedBase + i), "Net"));
        IEnumerable<string> names = Enumerable.Range(RandomSeedBase, RandomCount).Select(RandomTypeName);
        return (GeneratorHarness.Compile(sources, names, implicitUsings: true), references);
    });

    /// <summary>The random networks (seed <c>RandomSeedBase + i</c> at index i), compiled in one compilation.</summary>
    public static (CompiledNetworks Compiled, ReferenceNetwork[] References) Random => LazyRandom.Value;
}
