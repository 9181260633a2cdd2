using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>
/// The Winograd F(2×2, 3×3) kernel: networks whose 3×3 convolutions take it (odd and even maps, maps that are not a
/// multiple of the 2×2 tile or of a vector of tiles, channel counts that leave partial vectors and filter blocks, every
/// fused activation, residual graphs, padded destinations, a folded BatchNorm) against the independent float64
/// reference, and the selection itself, so that no test can pass by falling back to direct convolution.
/// InstructionSetTests re-runs this class on AVX2 and on the scalar path.
/// </summary>
public sealed class WinogradTests(ITestOutputHelper output)
{
    private const string Namespace = "WinogradNets";

    private static RefConv Conv3(int filters, int padding = 1, string? name = null, string? from = null, int groups = 1) =>
        new(3, 3, filters) { PadLeft = padding, PadTop = padding, PadRight = padding, PadBottom = padding, Name = name, From = from, Groups = groups };

    /// <summary>Activations to fold into a Winograd conv: every kind the epilogue has.</summary>
    private static readonly RefLayer[] Activations =
    {
        new RefRelu(), new RefRelu6(), new RefLeakyRelu(0.1f), new RefClip(-0.5f, 0.75f), new RefSigmoid(), new RefTanh(),
        new RefHardSigmoid(), new RefHardSwish(), new RefSilu(), new RefGelu(), new RefGelu(Tanh: true), new RefElu(0.7f), new RefPRelu(),
    };

    /// <summary>The networks, and which of their convolutions must run as Winograd (true) or directly (false).</summary>
    private static readonly (string Name, Func<ReferenceNetwork> Create, (string Conv, bool Winograd)[] Expected)[] Cases = new (string, Func<ReferenceNetwork>, (string, bool)[])[]
    {
        // Even maps, 32 wide (one 16-tile vector per tile row on AVX-512); Conv1 writes into Conv2's bordered buffer.
        ("Chain", () => new(new RefShape(32, 32, 16), new RefLayer[] { Conv3(32), new RefRelu(), Conv3(32), new RefRelu(), new RefPool(true, 2, 2, 2, 2) }),
            new[] { ("Conv1", true), ("Conv2", true) }),
        // Odd sizes, 20 → 33 → 20 channels (partial filter blocks), an unpadded conv reading a dense buffer, odd output height.
        ("Odd", () => new(new RefShape(25, 23, 20), new RefLayer[] { Conv3(33), new RefLeakyRelu(0.1f), Conv3(20, padding: 0) }),
            new[] { ("Conv1", true), ("Conv2", true) }),
        // 56 wide: two vectors of tiles per row on AVX-512, the second 12 of 16 full; 7 rows; 17 → 65 channels.
        ("Wide", () => new(new RefShape(56, 7, 17), new RefLayer[] { Conv3(65), new RefElu(1f) }),
            new[] { ("Conv1", true) }),
        // A residual block: the body's output is added to the input branch.
        ("Residual", () => new(new RefShape(24, 24, 16), new RefLayer[]
            {
                Conv3(16, name: "a"), new RefRelu(), Conv3(16), new RefRelu(), Conv3(16), new RefAdd("Relu1"), new RefRelu(),
            }),
            new[] { ("a", true), ("Conv2", true), ("Conv3", true) }),
        // BatchNorm folded into the weights before they are transformed, then ReLU6.
        ("Folded", () => new(new RefShape(30, 30, 16), new RefLayer[] { Conv3(24), new RefBatchNorm(), new RefRelu6() }),
            new[] { ("Conv1", true) }),
        // Every fused activation, each on its own branch from the input, concatenated.
        ("Activations", () => new(new RefShape(24, 5, 16), Activations.SelectMany((a, i) => new RefLayer[] { Conv3(16, name: "c" + i, from: "Input"), a with { Name = "a" + i } })
            .Append(new RefConcat(Enumerable.Range(1, Activations.Length - 1).Select(i => "a" + i).ToArray()) { From = "a0" }).ToArray()),
            Enumerable.Range(0, Activations.Length).Select(i => ("c" + i, true)).ToArray()),
        // Beside a channel-vectorized conv (4×4 map, 48 filters): both keep weights derived at construction after the
        // parameters (panels, then transformed weights), which must not overlap.
        ("WithPanels", () => new(new RefShape(32, 32, 16), new RefLayer[] { Conv3(32), new RefRelu(), new RefPool(true, 8, 8, 8, 8), Conv3(48), new RefSilu() }),
            new[] { ("Conv1", true), ("Conv2", false) }),
        // Not Winograd: 3 input channels (too few), stride 2, a 16×16 map with 16 channels (too few for a narrow map).
        ("Direct", () => new(new RefShape(32, 32, 3), new RefLayer[]
            {
                Conv3(16), new RefRelu(), new RefConv(3, 3, 16) { StrideX = 2, StrideY = 2, PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 }, Conv3(16),
            }),
            new[] { ("Conv1", false), ("Conv2", false), ("Conv3", false) }),
        // Narrow maps, whose tiles the kernel packs across rows: 16×16 (8 tiles a row: two rows a vector), 36 → 40
        // channels, then 8×8 (4 tiles a row, 16 in all: one vector, the small-map rule) with 40 → 48.
        ("Narrow16", () => new(new RefShape(16, 16, 36), new RefLayer[] { Conv3(40), new RefRelu(), Conv3(40), new RefPool(true, 2, 2, 2, 2), Conv3(48), new RefRelu6() }),
            new[] { ("Conv1", true), ("Conv2", true), ("Conv3", true) }),
        // 13×13 (7 tiles a row, the last tile column and row half outside), odd channels, then unpadded to 11×11
        // (36 tiles, odd, reading a dense buffer); blocks of 48 tiles on AVX-512 split tile rows.
        ("Narrow13", () => new(new RefShape(13, 13, 33), new RefLayer[] { Conv3(35), new RefSilu(), Conv3(37, padding: 0), new RefLeakyRelu(0.1f) }),
            new[] { ("Conv1", true), ("Conv2", true) }),
        // 7 columns (4 tiles a row, the last half outside) on 15 rows: 32 tiles.
        ("Narrow7", () => new(new RefShape(7, 15, 32), new RefLayer[] { Conv3(32), new RefHardSwish() }),
            new[] { ("Conv1", true) }),
        // More than 128 input channels (filters in groups of 64 per block): 14×14 (49 tiles: one block of 2 + 2 vectors on
        // AVX-512, 4 + 3 on AVX2), 136 → 76 filters (a group of 64 and one of 16, its last 8 half real), then 76 → 70
        // channels unpadded (12×12: 36 tiles, groups of 8).
        ("ManyChannels", () => new(new RefShape(14, 14, 136), new RefLayer[] { Conv3(76), new RefRelu(), Conv3(70, padding: 0), new RefSilu() }),
            new[] { ("Conv1", true), ("Conv2", true) }),
        // 18×17 (9 × 9 = 81 tiles: one block of 3 + 3 vectors on AVX-512, 6 + 5 on AVX2, the last tile row half outside),
        // 130 → 67 filters.
        ("ManyChannelsOdd", () => new(new RefShape(18, 17, 130), new RefLayer[] { Conv3(67), new RefLeakyRelu(0.1f) }),
            new[] { ("Conv1", true) }),
        // An even map of 16 tiles with transformed weights above the small-map limit (512 × 256 · 16 floats): direct.
        ("SmallMapHeavy", () => new(new RefShape(8, 8, 256), new RefLayer[] { Conv3(512) }),
            new[] { ("Conv1", false) }),
        // 7×7 (16 tiles, odd: a quarter of the outputs wasted), then 5×5 (9 tiles): direct.
        ("Tiny", () => new(new RefShape(7, 7, 32), new RefLayer[] { Conv3(32), new RefRelu(), Conv3(32, padding: 0) }),
            new[] { ("Conv1", false), ("Conv2", false) }),
        // Every fused activation on a narrow map (12 × 11: 6 tiles a row, 36 tiles).
        ("NarrowActivations", () => new(new RefShape(12, 11, 32), Activations.SelectMany((a, i) => new RefLayer[] { Conv3(32, name: "c" + i, from: "Input"), a with { Name = "a" + i } })
            .Append(new RefConcat(Enumerable.Range(1, Activations.Length - 1).Select(i => "a" + i).ToArray()) { From = "a0" }).ToArray()),
            Enumerable.Range(0, Activations.Length).Select(i => ("c" + i, true)).ToArray()),
        // F(4×4, 3×3): 40×40 (100 tiles of 4×4), 20 → 32 → 33 channels, writing into the next conv's bordered buffer;
        // then 33 input channels: F(2×2) (F(4×4)'s rounding is kept to 32 input channels).
        ("F4Chain", () => new(new RefShape(40, 40, 20), new RefLayer[] { Conv3(32), new RefRelu(), Conv3(33), new RefSilu(), Conv3(24, name: "f2") }),
            new[] { ("Conv1", true), ("Conv2", true), ("f2", true) }),
        // F(4×4) unpadded, reading a dense 42×46 input into 40×44 (110 tiles), 17 → 24 channels, a residual add after.
        ("F4Unpadded", () => new(new RefShape(42, 46, 17), new RefLayer[] { Conv3(24, padding: 0), new RefHardSwish(), Conv3(24, name: "b"), new RefAdd("HardSwish1"), new RefRelu() }),
            new[] { ("Conv1", true), ("b", true) }),
        // Every fused activation on F(4×4) (40×40: 100 tiles).
        ("F4Activations", () => new(new RefShape(40, 40, 16), Activations.SelectMany((a, i) => new RefLayer[] { Conv3(16, name: "c" + i, from: "Input"), a with { Name = "a" + i } })
            .Append(new RefConcat(Enumerable.Range(1, Activations.Length - 1).Select(i => "a" + i).ToArray()) { From = "a0" }).ToArray()),
            Enumerable.Range(0, Activations.Length).Select(i => ("c" + i, true)).ToArray()),
        // Grouped convs whose groups run as dense convs take Winograd group by group (each group's transformed weights,
        // its channel slices in and out): AlexNet's 2 groups of 192 on 13×13 in small, groups of 2, 3 and 4 with channels
        // and filters per group that are not multiples of 16, odd maps, padding 1 and 0, fused activations, a folded
        // BatchNorm, a chain into the next grouped conv's bordered buffer.
        ("Groups2Alex", () => new(new RefShape(13, 13, 80), new RefLayer[] { Conv3(72, groups: 2), new RefRelu(), Conv3(70, groups: 2), new RefRelu() }),
            new[] { ("Conv1", true), ("Conv2", true) }),
        ("Groups3Odd", () => new(new RefShape(15, 11, 99), new RefLayer[] { Conv3(105, groups: 3), new RefSilu(), Conv3(102, padding: 0, groups: 3), new RefLeakyRelu(0.1f) }),
            new[] { ("Conv1", true), ("Conv2", true) }),
        ("Groups4Folded", () => new(new RefShape(16, 14, 136), new RefLayer[] { Conv3(140, groups: 4), new RefBatchNorm(), new RefRelu6() }),
            new[] { ("Conv1", true) }),
        // Every fused activation on a grouped Winograd conv (2 groups of 33 → 34 on 12 × 11); PRelu's slopes keep the grouped kernel.
        ("GroupsActivations", () => new(new RefShape(12, 11, 66), Activations.SelectMany((a, i) => new RefLayer[] { Conv3(68, name: "c" + i, from: "Input", groups: 2), a with { Name = "a" + i } })
            .Append(new RefConcat(Enumerable.Range(1, Activations.Length - 1).Select(i => "a" + i).ToArray()) { From = "a0" }).ToArray()),
            Enumerable.Range(0, Activations.Length).Select(i => ("c" + i, Activations[i] is not RefPRelu)).ToArray()),
        // F(4×4) per group (40×40, groups of 32 → 32), then groups of 8 channels (too few: the column kernel per group).
        ("F4Groups", () => new(new RefShape(40, 40, 64), new RefLayer[] { Conv3(64, groups: 2), new RefRelu(), Conv3(48, name: "f2", groups: 8) }),
            new[] { ("Conv1", true), ("f2", false) }),
        // Groups of 16 on 28×28 (RegNet): the column kernel per group, faster there than Winograd per group.
        ("Groups16Columns", () => new(new RefShape(28, 28, 64), new RefLayer[] { Conv3(64, groups: 4), new RefRelu() }),
            new[] { ("Conv1", false) }),
    }.Concat(WidthCases()).ToArray();

    /// <summary>Whether an expected Winograd conv must take F(4×4, 3×3) (maps whose sides are multiples of 4, 100+ tiles of 4×4, at most 32 input channels).</summary>
    private static bool ExpectF4(string name, string conv) =>
        name.StartsWith("F4", StringComparison.Ordinal) && conv != "f2";

    /// <summary>
    /// Every output width from 7 to 16 on an odd height that gives at least 32 tiles, 40 input channels and 33–35
    /// filters (neither a multiple of the vector), padding 1 on even widths and 0 (a larger, dense input) on odd ones.
    /// </summary>
    private static IEnumerable<(string, Func<ReferenceNetwork>, (string, bool)[])> WidthCases()
    {
        RefLayer[] activations = { new RefRelu(), new RefSilu(), new RefLeakyRelu(0.2f), new RefTanh(), new RefRelu6() };
        for (int width = 7; width <= 16; width++)
        {
            int tilesX = (width + 1) / 2, height = 2 * ((32 + tilesX - 1) / tilesX) - 1, padding = width % 2 == 0 ? 1 : 0;
            int w = width, filters = 33 + width % 3;
            RefLayer activation = activations[width % activations.Length];
            yield return ($"Width{w}", () => new(new RefShape(w + 2 - 2 * padding, height + 2 - 2 * padding, 40), new RefLayer[] { Conv3(filters, padding), activation }),
                new[] { ("Conv1", true) });
        }
    }

    private static readonly Lazy<(CompiledNetworks Compiled, string Source, Dictionary<string, ReferenceNetwork> References)> All = new(() =>
    {
        var references = Cases.ToDictionary(c => Namespace + "." + c.Name, c => c.Create());
        string[] sources = references.Select(r => r.Value.ToSource(Namespace, r.Key.Substring(Namespace.Length + 1))).ToArray();
        string generated = string.Join("\n", GeneratorHarness.Run(sources).GeneratedSources.Select(s => s.SourceText.ToString()));
        return (GeneratorHarness.Compile(sources, references.Keys, implicitUsings: true), generated, references);
    });

    public static IEnumerable<object[]> Names() => Cases.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Names))]
    public void Network_MatchesTheReference(string name)
    {
        string type = Namespace + "." + name;
        GraphTests.Check(type, All.Value.References[type], seed: name.Length + 1100, All.Value.Compiled);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Selection_IsWhatTheCaseExpects(string name)
    {
        string source = ClassSource(All.Value.Source, name);
        foreach (var (conv, winograd) in Cases.Single(c => c.Name == name).Expected)
        {
            string method = MethodBody(source, "Forward" + conv);
            Assert.True(method.Contains("global::CnnGen.Winograd.Conv3x3", StringComparison.Ordinal) == winograd,
                $"{name}.{conv} should {(winograd ? "" : "not ")}run as Winograd:\n{method}");
            if (winograd)
            {
                bool f4 = ExpectF4(name, conv);
                Assert.True(method.Contains("global::CnnGen.Winograd.Conv3x3F4<", StringComparison.Ordinal) == f4,
                    $"{name}.{conv} should run as F({(f4 ? "4×4" : "2×2")}, 3×3):\n{method}");
            }
        }
    }

    /// <summary>
    /// Rounding of a grouped conv that runs Winograd per group against float64: within the oracle's tolerance, as the
    /// ungrouped layers' (each group is a conv of its own channels).
    /// </summary>
    [Theory]
    [InlineData(13, 13, 384, 384, 2)]
    [InlineData(13, 13, 384, 256, 2)]
    [InlineData(17, 15, 192, 96, 3)]
    public void GroupedRounding_StaysWithinTheOracleTolerance(int width, int height, int channels, int filters, int groups)
    {
        var reference = new ReferenceNetwork(new RefShape(width, height, channels), new RefLayer[] { Conv3(filters, groups: groups) });
        string name = $"GroupedRounding{width}x{height}x{channels}to{filters}g{groups}";
        CompiledNetworks compiled = GeneratorHarness.Compile(new[] { reference.ToSource(Namespace, name) }, new[] { Namespace + "." + name });
        string generated = string.Join("\n", GeneratorHarness.Run(reference.ToSource(Namespace, name)).GeneratedSources.Select(s => s.SourceText.ToString()));
        Assert.Contains("global::CnnGen.Winograd.Conv3x3<", generated);
        float[] parameters = RandomNetworks.Parameters(reference, channels);
        float[] input = RandomNetworks.Values(filters, reference.InputLength);
        var actual = new float[reference.OutputLength];
        compiled.Create(Namespace + "." + name, parameters).Forward(input, actual);
        double[] expected = reference.Forward(parameters, input);
        (double use, double relative) = Errors(expected, actual, expected.Max(Math.Abs));
        output.WriteLine($"{width}×{height}×{channels} → {filters} in {groups} groups: max |error| / max |y| = {relative:E2} ({use:P1} of the tolerance)");
        Assert.True(use <= 1, $"Winograd error reaches {use:P0} of the tolerance");
    }

    /// <summary>A small network of two Winograd convs (the first with a fused ReLU, writing into the second's bordered buffer).</summary>
    private const string SnapshotNetwork = """
        [Network]
        [Input(24, 4, 16)]
        [Conv(3, 3, 16, Padding = 1)]
        [Relu]
        [Conv(3, 3, 16, Padding = 1)]
        public partial class WinogradPair { }
        """;

    [Fact]
    public void Snapshot_WinogradPair() => Snapshot.Verify("Winograd", GeneratedCodeTests.Generate(SnapshotNetwork, "WinogradPair"));

    [Fact]
    public void Forward_AllocatesNothing()
    {
        string type = Namespace + ".Chain";
        ReferenceNetwork reference = All.Value.References[type];
        INetwork network = All.Value.Compiled.Create(type, RandomNetworks.Parameters(reference, 7));
        float[] input = RandomNetworks.Values(8, reference.InputLength);
        Assert.Equal(0, RuntimeBehaviourTests.AllocatedBytes(network, input));
    }

    /// <summary>
    /// Rounding of the Winograd layers against float64, beside that of a direct float32 convolution of the same
    /// numbers: the worst error as a fraction of the oracle's tolerance (1e-5 + 1e-4·|y|), and relative to the output's scale.
    /// </summary>
    [Theory]
    [InlineData(32, 32, 32, 32)]
    [InlineData(32, 32, 64, 64)]
    [InlineData(24, 24, 256, 16)]
    [InlineData(24, 8, 512, 16)]
    [InlineData(13, 13, 256, 64)]
    [InlineData(8, 8, 256, 256)]
    [InlineData(16, 16, 512, 32)]
    [InlineData(28, 28, 128, 32)]
    [InlineData(32, 32, 256, 16)]
    [InlineData(32, 32, 512, 16)]
    [InlineData(64, 64, 32, 32)]
    [InlineData(48, 48, 24, 48)]
    public void Rounding_StaysWithinTheOracleTolerance(int width, int height, int channels, int filters)
    {
        var reference = new ReferenceNetwork(new RefShape(width, height, channels), new RefLayer[] { Conv3(filters) });
        string name = $"Rounding{width}x{height}x{channels}to{filters}";
        CompiledNetworks compiled = GeneratorHarness.Compile(new[] { reference.ToSource(Namespace, name) }, new[] { Namespace + "." + name });
        string generated = string.Join("\n", GeneratorHarness.Run(reference.ToSource(Namespace, name)).GeneratedSources.Select(s => s.SourceText.ToString()));
        Assert.Contains("global::CnnGen.Winograd.Conv3x3", generated);
        string variant = generated.Contains("global::CnnGen.Winograd.Conv3x3F4<", StringComparison.Ordinal) ? "F(4×4)" : "F(2×2)";
        float[] parameters = RandomNetworks.Parameters(reference, channels);
        float[] input = RandomNetworks.Values(filters, reference.InputLength);
        INetwork network = compiled.Create(Namespace + "." + name, parameters);
        var actual = new float[reference.OutputLength];
        network.Forward(input, actual);
        double[] expected = reference.Forward(parameters, input);
        float[] direct = DirectFloat32(parameters, input, width, height, channels, filters);
        double scale = expected.Max(Math.Abs);
        (double winogradUse, double winogradRelative) = Errors(expected, actual, scale);
        (double directUse, double directRelative) = Errors(expected, direct, scale);
        output.WriteLine($"{width}×{height}×{channels} → {filters}: Winograd {variant} max |error| / max |y| = {winogradRelative:E2} ({winogradUse:P1} of the tolerance); direct float32 {directRelative:E2} ({directUse:P1})");
        Assert.True(winogradUse <= 1, $"Winograd error reaches {winogradUse:P0} of the tolerance");
    }

    private static (double ToleranceUse, double Relative) Errors(double[] expected, float[] actual, double scale)
    {
        double use = 0, worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]);
            use = Math.Max(use, error / (1e-5 + 1e-4 * Math.Abs(expected[i])));
            worst = Math.Max(worst, error);
        }
        return (use, worst / scale);
    }

    /// <summary>A padded 3×3 convolution in float32, summed in PyTorch's order (channel, row, column), for comparison.</summary>
    private static float[] DirectFloat32(float[] p, float[] x, int width, int height, int channels, int filters)
    {
        var y = new float[filters * width * height];
        for (int f = 0; f < filters; f++)
        {
            for (int oy = 0; oy < height; oy++)
            {
                for (int ox = 0; ox < width; ox++)
                {
                    float sum = p[filters * channels * 9 + f];
                    for (int c = 0; c < channels; c++)
                    {
                        for (int ky = 0; ky < 3; ky++)
                        {
                            for (int kx = 0; kx < 3; kx++)
                            {
                                int iy = oy + ky - 1, ix = ox + kx - 1;
                                if (iy >= 0 && iy < height && ix >= 0 && ix < width)
                                {
                                    sum += p[((f * channels + c) * 3 + ky) * 3 + kx] * x[(c * height + iy) * width + ix];
                                }
                            }
                        }
                    }
                    y[(f * height + oy) * width + ox] = sum;
                }
            }
        }
        return y;
    }

    /// <summary>The generated partial class <paramref name="name"/>, from its declaration to the next class's.</summary>
    private static string ClassSource(string source, string name)
    {
        int start = source.IndexOf($"partial class {name} ", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no generated class {name}");
        int end = source.IndexOf("partial class ", start + 1, StringComparison.Ordinal);
        return end < 0 ? source[start..] : source[start..end];
    }

    /// <summary>A generated method, from its signature to the next method's.</summary>
    private static string MethodBody(string source, string method)
    {
        int start = source.IndexOf($"private static void {method}(", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no method {method}");
        int end = source.IndexOf("private static void ", start + 1, StringComparison.Ordinal);
        return end < 0 ? source[start..] : source[start..end];
    }
}
