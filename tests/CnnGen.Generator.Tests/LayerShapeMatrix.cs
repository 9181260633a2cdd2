using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;

namespace CnnGen.Generator.Tests;

/// <summary>
/// A matrix of single-layer networks over the shapes real models have and the awkward ones they
/// don't (kernels 1–11, strides 1–4, dilation, 1–512 channels, odd widths, height-1 inputs, conv,
/// pools and fully connected layers), compiled once in one compilation. <see cref="JitLimitsTests"/>
/// checks the size of every method generated for it; <see cref="ShapeMatrixTests"/> runs the ones
/// the reference can afford.
/// </summary>
internal static class LayerShapeMatrix
{
    /// <summary>One case: the network (input and layers) and its class name.</summary>
    public sealed record Case(string Name, ReferenceNetwork Network)
    {
        public string TypeName => "M." + Name;

        /// <summary>Multiply-adds of the whole network (what the reference has to do).</summary>
        public long MultiplyAdds
        {
            get
            {
                long total = 0;
                for (int i = 0; i < Network.Layers.Count; i++)
                {
                    RefShape input = Network.InputShapeOf(i), output = Network.OutputShapes[i];
                    total += Network.Layers[i] switch
                    {
                        RefConv c => (long)output.Length * input.Depth * c.KernelWidth * c.KernelHeight,
                        RefPool p => (long)output.Length * p.WindowWidth * p.WindowHeight,
                        RefFullyConnected f => (long)f.Outputs * input.Length,
                        _ => output.Length,
                    };
                }
                return total;
            }
        }
    }

    /// <summary>Every case, in a fixed order.</summary>
    public static IReadOnlyList<Case> Cases { get; } = Build();

    private static readonly Lazy<CompiledNetworks> LazyCompiled = new(() => GeneratorHarness.Compile(
        Cases.Select(c => c.Network.ToSource("M", c.Name)),
        Cases.Select(c => c.TypeName)));

    /// <summary>The matrix, generated and compiled in one compilation.</summary>
    public static CompiledNetworks Compiled => LazyCompiled.Value;

    private static List<Case> Build()
    {
        var cases = new List<Case>();
        void Add(string name, RefShape input, params RefLayer[] layers) => cases.Add(new Case(name, new ReferenceNetwork(input, layers)));

        // Shapes named in issue 11 and PERFORMANCE.md.
        Add("Conv7x7F23", new RefShape(51, 51, 16), new RefConv(7, 7, 23), new RefRelu());
        Add("Conv7x7F24", new RefShape(51, 51, 16), new RefConv(7, 7, 24), new RefRelu());
        Add("ResNetStem", new RefShape(224, 224, 3), new RefConv(7, 7, 64) { StrideX = 2, StrideY = 2, PadLeft = 3, PadTop = 3, PadRight = 3, PadBottom = 3 }, new RefRelu());
        Add("AlexNetStem", new RefShape(224, 224, 3), new RefConv(11, 11, 64) { StrideX = 4, StrideY = 4, PadLeft = 2, PadTop = 2, PadRight = 2, PadBottom = 2 }, new RefRelu());
        Add("Conv3x3S2Wide", new RefShape(56, 56, 64), new RefConv(3, 3, 128) { StrideX = 2, StrideY = 2, PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 });
        Add("Pointwise512", new RefShape(7, 7, 512), new RefConv(1, 1, 512));
        // Strided convs the runtime's direct kernel takes (CnnGen.DirectConv): the emitted code must not grow with the map.
        Add("Stem3x3S2F24", new RefShape(224, 224, 3), new RefConv(3, 3, 24) { StrideX = 2, StrideY = 2, PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 }, new RefHardSwish());
        Add("Stem5x5S3F40", new RefShape(227, 161, 3), new RefConv(5, 5, 40) { StrideX = 3, StrideY = 3 }, new RefSilu());
        Add("Downsample1x1S2Wide", new RefShape(112, 112, 64), new RefConv(1, 1, 128) { StrideX = 2, StrideY = 2 });
        Add("Conv3x3S2F17Narrow", new RefShape(27, 63, 96), new RefConv(3, 3, 17) { StrideX = 2, StrideY = 2, PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 }, new RefClip(0, 6));
        Add("Pointwise15x15", new RefShape(15, 15, 64), new RefConv(1, 1, 16), new RefRelu());
        Add("PointwiseThenPadded", new RefShape(9, 5, 24), new RefConv(1, 1, 20), new RefConv(3, 3, 7) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 });
        Add("NarrowStride2", new RefShape(8, 8, 128), new RefConv(3, 3, 256) { StrideX = 2, StrideY = 2, PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 }, new RefRelu());
        Add("Downsample4to2", new RefShape(4, 4, 64), new RefConv(1, 1, 96) { StrideX = 2, StrideY = 2 });
        Add("Narrow2x2", new RefShape(2, 2, 64), new RefConv(3, 3, 40) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 }, new RefRelu());
        Add("Fc512x1000", new RefShape(1, 1, 512), new RefFullyConnected(1000));

        // Depthwise and grouped (EfficientNet and MobileNet at 64×64 and 224×224): 3×3, 5×5 and 7×7 on maps 2 to 112 wide,
        // strides 1 and 2 (Vector128 rows of 4 to 7, several rows per tile on narrow maps), and 32 channels per group.
        foreach ((int k, int size, int depth, int stride) in new[]
        {
            (3, 112, 32, 1), (3, 56, 96, 2), (5, 28, 144, 2), (5, 14, 240, 1), (7, 40, 64, 1), (7, 16, 64, 2),
            (5, 4, 240, 1), (3, 6, 144, 1), (5, 8, 144, 2), (7, 5, 96, 1), (5, 2, 480, 1), (3, 7, 48, 2),
        })
        {
            int half = k / 2;
            Add($"Depthwise{k}x{k}S{stride}On{size}", new RefShape(size, size, depth),
                new RefConv(k, k, depth) { Groups = depth, StrideX = stride, StrideY = stride, PadLeft = half, PadTop = half, PadRight = half, PadBottom = half }, new RefSilu());
        }
        Add("Grouped7x7Cpg32", new RefShape(20, 12, 64), new RefConv(7, 7, 64) { Groups = 2, PadLeft = 3, PadTop = 3, PadRight = 3, PadBottom = 3 }, new RefRelu());
        Add("Fc25088x64", new RefShape(7, 7, 512), new RefFullyConnected(64));

        // 1-D: 40 features × 100 frames (width = time, one row, features as channels), kernels 3–9, strides 1–2.
        foreach (int k in new[] { 3, 5, 7, 9 })
        {
            foreach (int s in new[] { 1, 2 })
            {
                Add($"Audio{k}S{s}", new RefShape(100, 1, 40), new RefConv(k, 1, 64) { StrideX = s, PadLeft = k / 2, PadRight = k / 2 }, new RefRelu());
            }
        }

        // Every kernel size with every stride, on an odd width.
        foreach (int k in new[] { 1, 2, 3, 4, 5, 7, 9, 11 })
        {
            foreach (int s in new[] { 1, 2, 3, 4 })
            {
                Add($"K{k}S{s}", new RefShape(37, 9 + k, 5), new RefConv(k, k, 13) { StrideX = s, StrideY = s }, new RefRelu());
            }
        }

        // Seeded random convolutions, pools and fully connected layers.
        var random = new Random(11);
        int[] kernels = { 1, 1, 2, 3, 3, 3, 5, 5, 7, 9, 11 };
        int[] channels = { 1, 2, 3, 5, 8, 16, 17, 32, 64, 96, 128, 256, 512 };
        int[] widths = { 1, 2, 3, 5, 7, 8, 9, 13, 15, 16, 17, 23, 28, 31, 33, 51, 64, 100 };
        for (int i = 0; cases.Count < 230; i++)
        {
            int kw = kernels[random.Next(kernels.Length)];
            int kh = random.Next(4) == 0 ? 1 : random.Next(3) == 0 ? kernels[random.Next(kernels.Length)] : kw;
            int sx = random.Next(1, 5), sy = random.Next(3) == 0 ? random.Next(1, 5) : sx;
            int dx = random.Next(6) == 0 ? random.Next(2, 4) : 1, dy = random.Next(6) == 0 ? random.Next(2, 4) : 1;
            int pad = random.Next(3) == 0 ? 0 : Math.Min(kw, kh) / 2;
            int width = widths[random.Next(widths.Length)];
            int height = random.Next(4) == 0 ? 1 : random.Next(1, 12);
            int depth = channels[random.Next(channels.Length)];
            int filters = channels[random.Next(channels.Length)];
            int kind = random.Next(10);
            RefLayer layer = kind switch
            {
                < 7 => new RefConv(kw, kh, filters) { StrideX = sx, StrideY = sy, DilationX = dx, DilationY = dy, PadLeft = pad, PadRight = pad, PadTop = pad, PadBottom = pad },
                < 9 => new RefPool(random.Next(2) == 0, Math.Min(kw + 1, 8), Math.Min(kh + 1, 8), sx, sy) { PadLeft = pad / 2, PadTop = pad / 2, PadRight = pad / 2, PadBottom = pad / 2 },
                _ => new RefFullyConnected(channels[random.Next(channels.Length)]),
            };
            var input = new RefShape(width, height, depth);
            RefShape output;
            try
            {
                output = ReferenceNetwork.OutputShape(layer, input);
            }
            catch (ArgumentException)
            {
                continue; // the window does not fit this input
            }
            if (output.Width < 1 || output.Height < 1)
            {
                continue;
            }
            var layers = new List<RefLayer> { layer };
            if (random.Next(2) == 0)
            {
                layers.Add(new RefRelu());
            }
            Add($"R{i}", input, layers.ToArray());
        }

        // Small maps with many channels (the channel-vectorized kernel), added after the random cases so those stay the same:
        // the largest tiles, a 7×7 window on a 7×7 plane (one tap per unrolled body), an 11×11/4 window, odd channel counts.
        RefConv Padded(int k, int filters, int pad) => new(k, k, filters) { PadLeft = pad, PadTop = pad, PadRight = pad, PadBottom = pad };
        Add("ChannelResNetLayer4", new RefShape(2, 2, 512), Padded(3, 512, 1), new RefRelu());
        Add("ChannelAlexNetConv2", new RefShape(7, 7, 64), Padded(5, 192, 2), new RefRelu());
        Add("ChannelKernel7Plane49", new RefShape(7, 7, 256), Padded(7, 256, 3));
        Add("ChannelKernel11Stride4", new RefShape(23, 23, 64), Padded(11, 96, 2) with { StrideX = 4, StrideY = 4 });
        Add("ChannelPointwise1280", new RefShape(2, 2, 320), new RefConv(1, 1, 1280), new RefRelu());
        Add("ChannelOneRow129", new RefShape(7, 1, 100), new RefConv(3, 1, 129) { PadLeft = 1, PadRight = 1 });
        return cases;
    }
}
