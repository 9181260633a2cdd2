using System;
using System.Collections.Immutable;
using System.Linq;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using CnnGen.TestSupport;
using Xunit;

namespace CnnGen.Generator.Tests;

/// <summary>The shape stage alone: pure arithmetic, no Roslyn. Expected numbers are worked out by hand in each test.</summary>
public sealed class ShapeInferenceTests
{
    private static LayerSpec Input(int w, int h, int d) => new(LayerKind.Input, w, h, d);

    private static LayerSpec Conv(int w, int h, int filters) => new(LayerKind.Conv, w, h, filters);

    private static LayerSpec MaxPool(int w, int h) => new(LayerKind.MaxPool, w, h);

    private static LayerSpec AvgPool(int w, int h) => new(LayerKind.AvgPool, w, h);

    private static LayerSpec Fc(int outputs) => new(LayerKind.FullyConnected, 0, 0, outputs);

    private static readonly LayerSpec Relu = new(LayerKind.Relu);

    private static readonly LayerSpec Softmax = new(LayerKind.Softmax);

    private static (NetworkPlan Plan, ImmutableArray<ShapeProblem> Problems) Infer(params LayerSpec[] layers) =>
        ShapeInference.Infer(new NetworkSpec(new TypeSpec("", "Net", "Net", "class", EquatableArray<string>.Empty), layers.ToEquatableArray()));

    private static NetworkPlan Valid(params LayerSpec[] layers)
    {
        (NetworkPlan plan, ImmutableArray<ShapeProblem> problems) = Infer(layers);
        Assert.True(plan.IsValid, "expected a valid plan but got: " + string.Join("; ", problems));
        Assert.DoesNotContain(problems, p => p.Kind != ProblemKind.InexactDivision);
        return plan;
    }

    private static void AssertVolume(Volume actual, int w, int h, int d) => Assert.Equal(new Volume(w, h, d), actual);

    [Fact]
    public void Conv5x5_On32x32x3_Gives28x28()
    {
        NetworkPlan plan = Valid(Input(32, 32, 3), Conv(5, 5, 6));
        AssertVolume(plan.Layers[0].Out, 28, 28, 6); // (32 − 5)/1 + 1
        Assert.Equal("Conv1", plan.Layers[0].Name);
    }

    [Fact]
    public void Conv3x3_Padding1_KeepsSize()
    {
        NetworkPlan plan = Valid(Input(5, 5, 1), Conv(3, 3, 1) with { Padding = 1 });
        AssertVolume(plan.Layers[0].Out, 5, 5, 1); // (5 − 3 + 2)/1 + 1
        Assert.Equal((1, 1, 1, 1), (plan.Layers[0].PadLeft, plan.Layers[0].PadTop, plan.Layers[0].PadRight, plan.Layers[0].PadBottom));
    }

    [Fact]
    public void Conv3x3_Stride2_On7x7_Gives3x3()
    {
        NetworkPlan plan = Valid(Input(7, 7, 1), Conv(3, 3, 1) with { Stride = 2 });
        AssertVolume(plan.Layers[0].Out, 3, 3, 1); // (7 − 3)/2 + 1
        Assert.Equal((2, 2), (plan.Layers[0].StrideX, plan.Layers[0].StrideY));
    }

    [Fact]
    public void Pool2x2Stride2_HalvesTheSize()
    {
        NetworkPlan plan = Valid(Input(28, 28, 10), MaxPool(2, 2) with { Stride = 2 }, AvgPool(2, 2));
        AssertVolume(plan.Layers[0].Out, 14, 14, 10);
        AssertVolume(plan.Layers[1].Out, 7, 7, 10); // default stride = window
        Assert.Equal((2, 2), (plan.Layers[1].StrideX, plan.Layers[1].StrideY));
        Assert.Equal(0, plan.ParameterCount);
    }

    [Fact]
    public void TenFilters5x5x3_Have760Parameters()
    {
        NetworkPlan plan = Valid(Input(32, 32, 3), Conv(5, 5, 10));
        Assert.Equal(5 * 5 * 3 * 10 + 10, plan.Layers[0].ParameterCount);
        Assert.Equal(760, plan.ParameterCount);
        Assert.Equal(5 * 5 * 3 * 10 * 28L * 28, plan.Layers[0].MultiplyAdds);
    }

    [Fact]
    public void TinyNet_Has20370Parameters()
    {
        NetworkPlan plan = Valid(Input(32, 32, 3), Conv(5, 5, 10), Relu, MaxPool(2, 2) with { Stride = 2 }, Fc(10), Softmax);
        // conv 760 + fc (14·14·10 = 1960) · 10 + 10 = 19,610 → 20,370
        Assert.Equal(20_370, plan.ParameterCount);
        Assert.Equal(new[] { "Conv1", "Relu1", "MaxPool1", "Fc1", "Softmax1" }, plan.Layers.Select(l => l.Name));
        AssertVolume(plan.Layers[2].Out, 14, 14, 10);
        AssertVolume(plan.Layers[3].In, 14, 14, 10);
        AssertVolume(plan.Layers[3].Out, 1, 1, 10);
        AssertVolume(plan.Output, 1, 1, 10);
        Assert.Equal(0, plan.Layers[0].ParameterOffset);
        Assert.Equal(760, plan.Layers[3].ParameterOffset);
        Assert.Equal(19_610, plan.Layers[3].ParameterCount);
    }

    [Fact]
    public void LayerNames_AreNumberedPerKind()
    {
        NetworkPlan plan = Valid(Input(16, 16, 1), Conv(3, 3, 2), Relu, Conv(3, 3, 2), Relu, AvgPool(2, 2), MaxPool(2, 2), Fc(4), Relu, Fc(2));
        Assert.Equal(new[] { "Conv1", "Relu1", "Conv2", "Relu2", "AvgPool1", "MaxPool1", "Fc1", "Relu3", "Fc2" }, plan.Layers.Select(l => l.Name));
    }

    [Theory]
    // size, window, stride, pad → PyTorch ceil_mode output (worked by hand: ceil((n + 2p − k)/s) + 1, minus one if the last window starts past n + p)
    [InlineData(5, 2, 2, 0, 3)]   // ceil(3/2)+1 = 3 (floor would be 2)
    [InlineData(6, 2, 2, 0, 3)]   // exact: 3
    [InlineData(7, 3, 2, 0, 3)]   // ceil(4/2)+1 = 3
    [InlineData(8, 3, 2, 0, 4)]   // ceil(5/2)+1 = 4; last start 6 < 8
    [InlineData(5, 2, 2, 1, 3)]   // ceil(5/2)+1 = 4, but the 4th window starts at 6 ≥ 5 + 1 → 3
    [InlineData(1, 1, 3, 0, 1)]
    public void CeilMode_FollowsPyTorch(int size, int window, int stride, int pad, int expected)
    {
        NetworkPlan plan = Valid(Input(size, size, 1), MaxPool(window, window) with { Stride = stride, Padding = pad, CeilMode = true });
        AssertVolume(plan.Layers[0].Out, expected, expected, 1);
        Assert.True(plan.Layers[0].CeilMode);
    }

    [Fact]
    public void CeilMode_AgreesWithTheReferenceOnEverySmallCase()
    {
        for (int size = 1; size <= 12; size++)
        {
            for (int window = 1; window <= 4; window++)
            {
                for (int stride = 1; stride <= 4; stride++)
                {
                    for (int pad = 0; pad < window; pad++)
                    {
                        if (size + 2 * pad < window)
                        {
                            continue;
                        }
                        foreach (bool ceil in new[] { false, true })
                        {
                            NetworkPlan plan = Valid(Input(size, 1, 1), AvgPool(window, 1) with { StrideX = stride, PadLeft = pad, PadRight = pad, CeilMode = ceil });
                            int expected = ReferenceNetwork.WindowCount(size, window, stride, pad, pad, 1, ceil);
                            Assert.True(expected == plan.Layers[0].Out.Width, $"size {size}, window {window}, stride {stride}, pad {pad}, ceil {ceil}: expected {expected}, got {plan.Layers[0].Out.Width}");
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Dilation_WidensTheKernel()
    {
        // effective kernel 2·(3 − 1) + 1 = 5 → (10 − 5)/1 + 1 = 6 wide; height dilation 3 → 7 → (10 − 7) + 1 = 4
        NetworkPlan plan = Valid(Input(10, 10, 2), Conv(3, 3, 4) with { DilationX = 2, DilationY = 3 });
        AssertVolume(plan.Layers[0].Out, 6, 4, 4);
        Assert.Equal((2, 3), (plan.Layers[0].DilationX, plan.Layers[0].DilationY));
        Assert.Equal(3 * 3 * 2 * 4 + 4, plan.ParameterCount); // dilation adds no weights
    }

    [Fact]
    public void SharedDilation_AppliesToBothAxes_AndPerAxisOverrides()
    {
        NetworkPlan plan = Valid(Input(9, 9, 1), Conv(3, 3, 1) with { Dilation = 2, DilationY = 1 });
        AssertVolume(plan.Layers[0].Out, 5, 7, 1); // width: 9 − 5 + 1; height: 9 − 3 + 1
    }

    [Fact]
    public void AsymmetricPadding_IsPerSide()
    {
        // width: 6 + 1 + 2 − 3 = 6 → /1 + 1 = 7; height: 4 + 0 + 3 − 3 = 4 → 5
        NetworkPlan plan = Valid(Input(6, 4, 1), Conv(3, 3, 1) with { PadLeft = 1, PadRight = 2, PadBottom = 3 });
        LayerPlan conv = plan.Layers[0];
        AssertVolume(conv.Out, 7, 5, 1);
        Assert.Equal((1, 0, 2, 3), (conv.PadLeft, conv.PadTop, conv.PadRight, conv.PadBottom));
    }

    [Fact]
    public void SidePadding_OverridesSharedPadding()
    {
        NetworkPlan plan = Valid(Input(5, 5, 1), Conv(3, 3, 1) with { Padding = 2, PadTop = 0 });
        LayerPlan conv = plan.Layers[0];
        Assert.Equal((2, 0, 2, 2), (conv.PadLeft, conv.PadTop, conv.PadRight, conv.PadBottom));
        AssertVolume(conv.Out, 7, 5, 1); // (5 − 3 + 4) + 1 = 7; (5 − 3 + 2) + 1 = 5
    }

    [Fact]
    public void PerAxisStride_OverridesSharedStride()
    {
        NetworkPlan plan = Valid(Input(9, 9, 1), Conv(3, 3, 1) with { Stride = 3, StrideY = 1 });
        AssertVolume(plan.Layers[0].Out, 3, 7, 1); // (9 − 3)/3 + 1; (9 − 3)/1 + 1
    }

    [Fact]
    public void RectangularKernel_AndStride()
    {
        // width: (20 − 5)/3 + 1 = 6; height: (11 − 2)/1 + 1 = 10
        NetworkPlan plan = Valid(Input(20, 11, 3), Conv(5, 2, 7) with { StrideX = 3 });
        AssertVolume(plan.Layers[0].Out, 6, 10, 7);
        Assert.Equal(5 * 2 * 3 * 7 + 7, plan.ParameterCount);
    }

    [Fact]
    public void FullyConnected_FlattensItsInput()
    {
        NetworkPlan plan = Valid(Input(4, 3, 2), Fc(5));
        AssertVolume(plan.Layers[0].Out, 1, 1, 5);
        Assert.Equal(4 * 3 * 2 * 5 + 5, plan.ParameterCount);
        Assert.Equal(4 * 3 * 2 * 5L, plan.Layers[0].MultiplyAdds);
    }

    [Fact]
    public void InexactStride_IsOnlyAWarning_AndRoundsDown()
    {
        (NetworkPlan plan, ImmutableArray<ShapeProblem> problems) = Infer(Input(8, 8, 1), Conv(3, 3, 1) with { Stride = 2 });
        Assert.True(plan.IsValid);
        AssertVolume(plan.Layers[0].Out, 3, 3, 1); // floor(5/2) + 1
        Assert.Equal(2, problems.Count(p => p.Kind == ProblemKind.InexactDivision)); // one per axis
    }

    [Fact]
    public void ParameterOffsets_FollowTheLayerOrder()
    {
        NetworkPlan plan = Valid(Input(6, 6, 2), Conv(3, 3, 4), Relu, Conv(2, 2, 3), Fc(7), Fc(2));
        int conv1 = 3 * 3 * 2 * 4 + 4, conv2 = 2 * 2 * 4 * 3 + 3, fc1 = 3 * 3 * 3 * 7 + 7, fc2 = 7 * 2 + 2;
        Assert.Equal(new[] { 0, 0, conv1, conv1 + conv2, conv1 + conv2 + fc1 }, plan.Layers.Select(l => l.ParameterOffset));
        Assert.Equal(conv1 + conv2 + fc1 + fc2, plan.ParameterCount);
    }

    [Fact]
    public void HugeNumbers_NeverYieldAValidPlanWithImpossibleShapes()
    {
        // 1 + 1.5e9 + 1.5e9 columns: the output width cannot be represented as an int.
        (NetworkPlan plan, ImmutableArray<ShapeProblem> problems) = Infer(Input(1, 1, 1), Conv(1, 1, 1) with { PadLeft = 1_500_000_000, PadRight = 1_500_000_000 });
        if (plan.IsValid)
        {
            Assert.All(plan.Layers, l => Assert.True(l.Out.Width >= 1 && l.Out.Height >= 1 && l.Out.Depth >= 1, $"{l.Name} has output {l.Out}"));
        }
        else
        {
            Assert.Contains(problems, p => p.Kind == ProblemKind.TooLarge);
        }
    }

    [Theory]
    [InlineData(int.MaxValue, 1, 1)]
    [InlineData(65536, 65536, 1)]
    [InlineData(50_000, 50_000, 3)]
    public void HugeInput_IsTooLarge(int w, int h, int d)
    {
        (NetworkPlan plan, ImmutableArray<ShapeProblem> problems) = Infer(Input(w, h, d), Relu);
        if ((long)w * h * d > int.MaxValue)
        {
            Assert.False(plan.IsValid);
            Assert.Contains(problems, p => p.Kind == ProblemKind.TooLarge);
        }
        else
        {
            Assert.True(plan.IsValid);
        }
    }

    [Fact]
    public void HugeParameterCount_IsTooLarge()
    {
        (NetworkPlan plan, ImmutableArray<ShapeProblem> problems) = Infer(Input(1000, 1000, 3), Fc(1000));
        Assert.False(plan.IsValid);
        ShapeProblem problem = Assert.Single(problems);
        Assert.Equal(ProblemKind.TooLarge, problem.Kind);
        Assert.Contains("3,000,001,000", problem.Args); // 3·10⁶ · 1000 + 1000
    }

    [Fact]
    public void ZeroStride_IsReportedOnce()
    {
        (_, ImmutableArray<ShapeProblem> problems) = Infer(Input(8, 8, 1), Conv(3, 3, 1) with { Stride = 0 });
        ShapeProblem problem = Assert.Single(problems);
        Assert.Equal((ProblemKind.NotPositive, "Stride"), (problem.Kind, problem.Argument));
    }

    [Fact]
    public void ZeroDilation_IsReportedOnce()
    {
        (_, ImmutableArray<ShapeProblem> problems) = Infer(Input(8, 8, 1), Conv(3, 3, 1) with { Dilation = 0 });
        ShapeProblem problem = Assert.Single(problems);
        Assert.Equal((ProblemKind.NotPositive, "Dilation"), (problem.Kind, problem.Argument));
    }

    [Fact]
    public void ShapesAgreeWithTheReference_OnRandomNetworks()
    {
        for (int seed = 0; seed < 300; seed++)
        {
            ReferenceNetwork reference = RandomNetworks.Create(seed);
            NetworkPlan plan = Valid(ToSpecs(reference));
            Assert.True(reference.Layers.Count == plan.Layers.Count, $"seed {seed}");
            for (int i = 0; i < reference.Layers.Count; i++)
            {
                RefShape expected = reference.OutputShapes[i];
                Assert.True(new Volume(expected.Width, expected.Height, expected.Depth) == plan.Layers[i].Out,
                    $"seed {seed}, layer {i} ({plan.Layers[i].Name}): expected {expected}, got {plan.Layers[i].Out}\n{reference}");
                if (reference.Layers[i] is RefConv or RefFullyConnected or RefBatchNorm or RefConvTranspose)
                {
                    Assert.Equal(reference.ParameterOffsets[i], plan.Layers[i].ParameterOffset);
                }
            }
            Assert.Equal(reference.ParameterCount, plan.ParameterCount);
        }
    }

    /// <summary><paramref name="spec"/> with <paramref name="arguments"/> added, as the parser reads them.</summary>
    private static LayerSpec WithArguments(LayerSpec spec, params Argument[] arguments) =>
        spec with { Arguments = spec.Arguments.Concat(arguments).ToEquatableArray() };

    /// <summary>The reference's resolved values as the parser would hand them over (every value explicit).</summary>
    private static LayerSpec[] ToSpecs(ReferenceNetwork reference) =>
        new[] { Input(reference.Input.Width, reference.Input.Height, reference.Input.Depth) }
            .Concat(reference.Layers.Select(l => l switch
            {
                RefConv c => WithArguments(Conv(c.KernelWidth, c.KernelHeight, c.Filters) with
                {
                    StrideX = c.StrideX, StrideY = c.StrideY, PadLeft = c.PadLeft, PadTop = c.PadTop, PadRight = c.PadRight,
                    PadBottom = c.PadBottom, DilationX = c.DilationX, DilationY = c.DilationY,
                }, new Argument("Groups") { Int = c.Groups }),
                RefBatchNorm b => WithArguments(new LayerSpec(LayerKind.BatchNorm), new Argument("Epsilon") { Float = b.Epsilon }),
                RefNormalize n => WithArguments(new LayerSpec(LayerKind.Normalize),
                    new Argument("mean") { Floats = n.Mean.ToEquatableArray() }, new Argument("std") { Floats = n.Std.ToEquatableArray() }),
                RefConvTranspose t => WithArguments(new LayerSpec(LayerKind.ConvTranspose),
                    new Argument("width") { Int = t.KernelWidth }, new Argument("height") { Int = t.KernelHeight }, new Argument("filters") { Int = t.Filters },
                    new Argument("Stride") { Int = t.Stride }, new Argument("Padding") { Int = t.Padding }, new Argument("OutputPadding") { Int = t.OutputPadding }),
                RefPool p => new LayerSpec(p.IsMax ? LayerKind.MaxPool : LayerKind.AvgPool, p.WindowWidth, p.WindowHeight) with
                {
                    StrideX = p.StrideX, StrideY = p.StrideY, PadLeft = p.PadLeft, PadTop = p.PadTop, PadRight = p.PadRight,
                    PadBottom = p.PadBottom, CeilMode = p.CeilMode, ExcludePadding = p.ExcludePadding,
                },
                RefFullyConnected f => Fc(f.Outputs),
                RefRelu => Relu,
                RefShapeLayer shape => ShapeKindPlanTests.ToSpec(shape),
                RefRelu6 => new LayerSpec(LayerKind.Relu6),
                RefActivation a => new LayerSpec(Enum.Parse<LayerKind>(a.Kind)), // arguments do not change shapes
                RefSoftmax => Softmax,
                _ => throw new InvalidOperationException($"ToSpecs has no case for {l.GetType().Name}: add one"),
            }))
            .ToArray();
}
