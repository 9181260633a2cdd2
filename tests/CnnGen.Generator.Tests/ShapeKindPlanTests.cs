using System.Collections.Immutable;
using System.Linq;
using CnnGen.Generator.Emit;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using CnnGen.TestSupport;
using Xunit;

namespace CnnGen.Generator.Tests;

/// <summary>
/// The shape and channel kinds in the shape stage alone (sizes worked out by hand) and in the buffer plan (which
/// layers run no kernel, where their outputs are, how long their inputs live). No Roslyn, no compilation.
/// </summary>
public sealed class ShapeKindPlanTests
{
    private static LayerSpec Spec(LayerKind kind, params (string Name, int Value)[] arguments) =>
        new(kind, arguments.Select(a => new Argument(a.Name) { Int = a.Value }).ToEquatableArray());

    /// <summary>A reference layer of these kinds as the parser would hand it over (every value explicit).</summary>
    internal static LayerSpec ToSpec(RefShapeLayer layer) => layer switch
    {
        RefGlobalPool g => Spec(g.IsMax ? LayerKind.GlobalMaxPool : LayerKind.GlobalAvgPool),
        RefSlice s => Spec(LayerKind.Slice, ("start", s.Start), ("count", s.Count)),
        RefChannelShuffle c => Spec(LayerKind.ChannelShuffle, ("groups", c.Groups)),
        RefPad p => Spec(LayerKind.Pad, ("padding", 0), ("PadLeft", p.PadLeft), ("PadTop", p.PadTop), ("PadRight", p.PadRight), ("PadBottom", p.PadBottom)),
        RefUpsample u => Upsample(u),
        _ => throw new System.NotSupportedException(layer.ToString()),
    };

    private static LayerSpec Upsample(RefUpsample u)
    {
        LayerSpec spec = Spec(LayerKind.Upsample, ("scale", 1), ("ScaleX", u.ScaleX), ("ScaleY", u.ScaleY), ("Mode", u.Bilinear ? 1 : 0));
        return spec with { Arguments = spec.With("AlignCorners", u.AlignCorners) };
    }

    private static LayerSpec Named(LayerSpec spec, string name, string? from = null) =>
        spec with { Name = name, From = from };

    private static NetworkPlan Valid(params LayerSpec[] layers)
    {
        (NetworkPlan plan, ImmutableArray<ShapeProblem> problems) = ShapeInference.Infer(
            new NetworkSpec(new TypeSpec("", "Net", "Net", "class", EquatableArray<string>.Empty), layers.ToEquatableArray()));
        Assert.True(plan.IsValid && problems.IsEmpty, "expected a valid plan but got: " + string.Join("; ", problems));
        return plan;
    }

    private static readonly LayerSpec Input8x6x6 = new(LayerKind.Input, 8, 6, 6);

    [Fact]
    public void Sizes_FollowEachKindsRule()
    {
        NetworkPlan plan = Valid(
            Input8x6x6,
            Spec(LayerKind.Slice, ("start", 2), ("count", 3)),                              // 8×6×3, channels 2–4
            Spec(LayerKind.ChannelShuffle, ("groups", 3)),                                  // 8×6×3
            Spec(LayerKind.Pad, ("padding", 1), ("PadRight", 0)),                           // (8 + 1 + 0)×(6 + 1 + 1) = 9×8×3
            Spec(LayerKind.GlobalMaxPool));                                                  // 1×1×3
        Assert.Equal((new Volume(8, 6, 3), 2), (plan.Layers[0].Out, plan.Layers[0].Start));
        Assert.Equal((new Volume(8, 6, 3), 3), (plan.Layers[1].Out, plan.Layers[1].ShuffleGroups));
        Assert.Equal((new Volume(9, 8, 3), 1, 1, 0, 1), (plan.Layers[2].Out, plan.Layers[2].PadLeft, plan.Layers[2].PadTop, plan.Layers[2].PadRight, plan.Layers[2].PadBottom));
        Assert.Equal(new Volume(1, 1, 3), plan.Layers[3].Out);
    }

    [Fact]
    public void Upsample_ScalesPerAxis_AndReadsTheModeAsItsUnderlyingInt()
    {
        LayerSpec upsample = Spec(LayerKind.Upsample, ("scale", 2), ("ScaleY", 3), ("Mode", 1));
        upsample = upsample with { Arguments = upsample.With("AlignCorners", true) };
        NetworkPlan plan = Valid(Input8x6x6, upsample, Spec(LayerKind.GlobalAvgPool), Spec(LayerKind.Conv, ("width", 1), ("height", 1), ("filters", 4)));
        LayerPlan up = plan.Layers[0];
        Assert.Equal((new Volume(16, 18, 6), 2, 3, true, true), (up.Out, up.ScaleX, up.ScaleY, up.Bilinear, up.AlignCorners));
        Assert.Equal(new Volume(1, 1, 6), plan.Layers[1].Out);           // the global pool's 1×1×C is a map a conv may read
        Assert.Equal(new Volume(1, 1, 4), plan.Layers[2].Out);
    }

    [Fact]
    public void Slice_IsReadInPlace_AndItsInputLivesUntilTheSlicesLastReader()
    {
        // x (8×6×8) is read only by the slice; the two convs between make scratch traffic; the Add reads the slice last.
        NetworkPlan plan = Valid(
            Input8x6x6,
            Named(Spec(LayerKind.Conv, ("width", 1), ("height", 1), ("filters", 8)), "x"),
            Named(Spec(LayerKind.Slice, ("start", 4), ("count", 4)), "s"),
            Named(Spec(LayerKind.Conv, ("width", 1), ("height", 1), ("filters", 8)), "a", from: "Input"),
            Spec(LayerKind.Conv, ("width", 1), ("height", 1), ("filters", 4)),
            Spec(LayerKind.Add) with { Others = new[] { "s" }.ToEquatableArray() });
        BufferPlan buffers = BufferPlan.Create(plan);
        Step x = buffers.Steps.Single(s => s.Layer.Name == "x"), slice = buffers.Steps.Single(s => s.Layer.Name == "s");
        Assert.True(slice.Aliased);
        Assert.Equal(x.Destination.Start + 4 * 48, slice.Destination.Start);  // channel 4 of x: 4 planes of 8×6 on
        Assert.Equal(x.Destination.Storage, slice.Destination.Storage);
        // Nothing written while the slice is still to be read may overlap x.
        int from = x.Destination.Start, to = from + 8 * 48;
        foreach (Step step in buffers.Steps.Where(s => s.Layer.Name is "a" or "Conv3"))
        {
            int start = step.Destination.Start, end = start + (int)step.Layer.Out.Length;
            Assert.True(end <= from || start >= to, $"{step.Layer.Name} writes [{start}, {end}) over x [{from}, {to})");
        }
    }

    [Fact]
    public void Pad_IsAZeroBorderedBuffer_ItsProducerWritesInto_UnlessItsReaderIsPaddedToo()
    {
        NetworkPlan plan = Valid(
            Input8x6x6,
            Named(Spec(LayerKind.Conv, ("width", 1), ("height", 1), ("filters", 2)), "c"),
            Named(Spec(LayerKind.Pad, ("padding", 1)), "p"),                                // read by an unpadded conv: a buffer
            Spec(LayerKind.Conv, ("width", 3), ("height", 3), ("filters", 2)),
            Named(Spec(LayerKind.Pad, ("padding", 0), ("PadLeft", 2)), "q"),                // read by a padded conv: a copy kernel
            Spec(LayerKind.Conv, ("width", 3), ("height", 3), ("filters", 2), ("Padding", 1)));
        BufferPlan buffers = BufferPlan.Create(plan);
        Step c = buffers.Steps.Single(s => s.Layer.Name == "c"), p = buffers.Steps.Single(s => s.Layer.Name == "p");
        Assert.True(p.Aliased);
        Assert.Null(p.CopyFrom);                                                           // c writes straight into its interior
        Assert.Equal(p.Padded!.Region.Start, c.Destination.Start);
        Assert.Equal((10, 80), (c.Destination.RowStride, c.Destination.PlaneStride));      // rows of the 10×8 padded map
        Assert.Equal(p.Padded.Region.Offset, p.Destination.Start);                         // readers read the whole buffer
        Assert.Equal(0f, p.Padded.BorderValue);
        Step q = buffers.Steps.Single(s => s.Layer.Name == "q");
        Assert.False(q.Aliased);
        Assert.NotNull(buffers.Steps.Last().Padded);
        Assert.Equal(buffers.Steps.Last().Padded!.Region.Start, q.Destination.Start);      // into the last conv's bordered buffer
    }
}
