using System.Collections.Immutable;
using System.Linq;
using CnnGen.Generator.Emit;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using Xunit;

namespace CnnGen.Generator.Tests;

/// <summary>The shape and planning stages for the activation kinds: arguments and defaults, PRelu's parameters, no-op elision, folding.</summary>
public sealed class ActivationShapeTests
{
    private static LayerSpec Input(int w, int h, int d) => new(LayerKind.Input, w, h, d);

    private static LayerSpec Conv(int w, int h, int filters) => new(LayerKind.Conv, w, h, filters);

    private static LayerSpec Kind(LayerKind kind, params (string Name, object Value)[] arguments) =>
        new(kind, arguments.Select(a => a.Value switch
        {
            float f => new Argument(a.Name) { Float = f },
            int i => new Argument(a.Name) { Int = i },
            _ => new Argument(a.Name) { Text = (string)a.Value },
        }).ToEquatableArray());

    private static (NetworkPlan Plan, ImmutableArray<ShapeProblem> Problems) Infer(params LayerSpec[] layers) =>
        ShapeInference.Infer(new NetworkSpec(new TypeSpec("", "Net", "Net", "class", EquatableArray<string>.Empty), layers.ToEquatableArray()));

    [Fact]
    public void Arguments_TakePyTorchsDefaults_OrTheWrittenValues()
    {
        (NetworkPlan plan, var problems) = Infer(Input(4, 4, 3),
            Kind(LayerKind.LeakyRelu), Kind(LayerKind.LeakyRelu, ("Slope", 0.2f)),
            Kind(LayerKind.HardSigmoid), Kind(LayerKind.HardSigmoid, ("Alpha", 0.2f), ("Beta", 0.25f)),
            Kind(LayerKind.Elu), Kind(LayerKind.Elu, ("Alpha", 2f)),
            Kind(LayerKind.Gelu), Kind(LayerKind.Gelu, ("Approximate", 1)),
            Kind(LayerKind.Clip, ("min", -1f), ("max", float.PositiveInfinity)));
        Assert.Empty(problems);
        LayerPlan[] l = plan.Layers.ToArray();
        Assert.Equal((0.01f, 0.2f), (l[0].Alpha, l[1].Alpha));
        Assert.Equal((1f / 6f, 0.5f, 0.2f, 0.25f), (l[2].Alpha, l[2].Beta, l[3].Alpha, l[3].Beta));
        Assert.Equal((1f, 2f), (l[4].Alpha, l[5].Alpha));
        Assert.Equal((false, true), (l[6].Approximate, l[7].Approximate));
        Assert.Equal((-1f, float.PositiveInfinity), (l[8].Alpha, l[8].Beta));
        Assert.All(l, layer => Assert.Equal(new Volume(4, 4, 3), layer.Out));
    }

    [Fact]
    public void PRelu_HasOneSlopePerChannel_AfterTheLayersBeforeIt()
    {
        (NetworkPlan plan, var problems) = Infer(Input(5, 5, 2), Conv(3, 3, 4), Kind(LayerKind.PRelu), Kind(LayerKind.Dropout), Kind(LayerKind.PRelu));
        Assert.Empty(problems);
        Assert.Equal((4, 4 * 2 * 9 + 4), (plan.Layers[1].ParameterCount, plan.Layers[1].ParameterOffset));
        Assert.Equal((4, 4 * 2 * 9 + 8), (plan.Layers[3].ParameterCount, plan.Layers[3].ParameterOffset));
        Assert.Equal(4 * 2 * 9 + 12, plan.ParameterCount);
    }

    [Fact]
    public void ClipWithReversedBounds_AndNaNArguments_AreErrors_OnTheArgument()
    {
        (_, var problems) = Infer(Input(4, 4, 1), Kind(LayerKind.Clip, ("min", 3f), ("max", 1f)));
        Assert.Equal((ProblemKind.ClipBoundsReversed, "min"), (Assert.Single(problems).Kind, problems[0].Argument));

        (_, problems) = Infer(Input(4, 4, 1), Kind(LayerKind.Elu, ("Alpha", float.NaN)));
        Assert.Equal((ProblemKind.NotFiniteArgument, "Alpha"), (Assert.Single(problems).Kind, problems[0].Argument));
        (_, problems) = Infer(Input(4, 4, 1), Kind(LayerKind.HardSigmoid, ("Beta", float.NegativeInfinity)));
        Assert.Equal((ProblemKind.NotFiniteArgument, "Beta"), (Assert.Single(problems).Kind, problems[0].Argument));
    }

    [Fact]
    public void NothingMayFollowLogSoftmax_ButDropoutWarningsKeepTheNetworkValid()
    {
        (NetworkPlan plan, var problems) = Infer(Input(4, 4, 1), Kind(LayerKind.LogSoftmax), Kind(LayerKind.Sigmoid));
        Assert.Equal(ProblemKind.LayerAfterLogSoftmax, Assert.Single(problems).Kind);
        Assert.False(plan.IsValid);

        (plan, problems) = Infer(Input(4, 4, 1), Kind(LayerKind.Dropout, ("Probability", 1f)), Kind(LayerKind.Tanh));
        Assert.Equal(ProblemKind.DropoutProbability, Assert.Single(problems).Kind);
        Assert.True(plan.IsValid);
    }

    [Fact]
    public void NoOps_EmitNoStep_AndActivationsFoldThroughThem()
    {
        (NetworkPlan plan, _) = Infer(Input(6, 6, 2), Conv(3, 3, 4), Kind(LayerKind.Dropout), Kind(LayerKind.Sigmoid), Kind(LayerKind.Flatten),
            new LayerSpec(LayerKind.FullyConnected, 0, 0, 3), Kind(LayerKind.PRelu), Kind(LayerKind.Dropout));
        BufferPlan buffers = BufferPlan.Create(plan);
        Assert.Equal(new[] { "Conv1", "Fc1" }, buffers.Steps.Select(s => s.Layer.Name));
        // Folded into the conv's step: after its kernel, as an in-place pass (ActivationEpilogue.Split).
        Assert.Empty(buffers.Steps[0].Epilogue);
        Assert.Equal(new[] { LayerKind.Sigmoid }, buffers.Steps[0].Deferred.Select(o => o.Kind));
        Assert.Equal(new[] { 2 }, buffers.Steps[1].Layer.Inputs);                  // Fc1 reads Sigmoid1 (folded into Conv1) through Flatten1
        Assert.Equal(new[] { "Sigmoid1" }, buffers.Steps[1].Layer.InputNames);
        EpilogueOp prelu = Assert.Single(buffers.Steps[1].Epilogue);
        Assert.Equal((LayerKind.PRelu, 3 * 64 + 3), (prelu.Kind, prelu.ParameterOffset)); // its slopes follow Fc1's weights and biases
        Assert.Equal(Storage.Output, buffers.Steps[1].Destination.Storage);        // the last Dropout's output is Fc1's

        // The network's output is its input through no-ops only: the last one copies.
        (plan, _) = Infer(Input(3, 1, 1), Kind(LayerKind.Dropout), Kind(LayerKind.Flatten));
        buffers = BufferPlan.Create(plan);
        Step copy = Assert.Single(buffers.Steps);
        Assert.Equal((LayerKind.Flatten, Storage.Input, Storage.Output), (copy.Layer.Kind, copy.Source.Storage, copy.Destination.Storage));
    }

    [Fact]
    public void ClipHardSwishAndHardSigmoid_RunAsPasses_OnlyAfterTheChannelKernel()
    {
        // 7×7 output, 1280 filters: the channel-vectorized kernel, whose big methods leave Kernels.Clip a call.
        (NetworkPlan plan, _) = Infer(Input(7, 7, 320), Conv(1, 1, 1280), Kind(LayerKind.Clip, ("min", 0f), ("max", 6f)));
        Step conv = Assert.Single(BufferPlan.Create(plan).Steps);
        Assert.Equal((0, LayerKind.Clip), (conv.Epilogue.Count, Assert.Single(conv.Deferred).Kind));

        (plan, _) = Infer(Input(7, 7, 320), Conv(1, 1, 1280), Kind(LayerKind.HardSwish));
        Assert.Equal(LayerKind.HardSwish, Assert.Single(Assert.Single(BufferPlan.Create(plan).Steps).Deferred).Kind);

        // MobileNetV3's squeeze-excitation gate: a 1×1 conv on a 1×1 map, then hard sigmoid (ChannelConvTests checks its numbers).
        (plan, _) = Infer(Input(1, 1, 144), Conv(1, 1, 576), Kind(LayerKind.HardSigmoid, ("Alpha", 1f / 6), ("Beta", 0.5f)));
        Assert.Equal(LayerKind.HardSigmoid, Assert.Single(Assert.Single(BufferPlan.Create(plan).Steps).Deferred).Kind);

        // A 28×28 output takes the column kernel: the clip stays in its store.
        (plan, _) = Infer(Input(28, 28, 32), Conv(1, 1, 64), Kind(LayerKind.Clip, ("min", 0f), ("max", 6f)));
        conv = Assert.Single(BufferPlan.Create(plan).Steps);
        Assert.Equal((LayerKind.Clip, 0), (Assert.Single(conv.Epilogue).Kind, conv.Deferred.Count));
    }

    [Fact]
    public void IdentityPools_EmitNoStep_ButPoolsThatKeepTheSizeDo()
    {
        // A 1×1 window at stride 1 and a global pool of a 1×1 map copy their input; a 3×3 stride-1 pool with padding 1 does not.
        (NetworkPlan plan, var problems) = Infer(Input(6, 6, 2), Conv(3, 3, 4), new LayerSpec(LayerKind.MaxPool, 1, 1), Kind(LayerKind.Relu),
            new LayerSpec(LayerKind.AvgPool, 1, 1), Kind(LayerKind.GlobalAvgPool), Kind(LayerKind.GlobalMaxPool),
            Pool3x3Stride1Padding1());
        Assert.Empty(problems);
        BufferPlan buffers = BufferPlan.Create(plan);
        Assert.Equal(new[] { "Conv1", "GlobalAvgPool1", "MaxPool2" }, buffers.Steps.Select(s => s.Layer.Name));
        Assert.Equal(new[] { LayerKind.Relu }, buffers.Steps[0].Epilogue.Select(o => o.Kind)); // folds into the conv through MaxPool1
        Assert.Equal(new[] { "GlobalAvgPool1" }, buffers.Steps[2].Layer.InputNames);          // through GlobalMaxPool1
    }

    private static LayerSpec Pool3x3Stride1Padding1()
    {
        var pool = new LayerSpec(LayerKind.MaxPool, 3, 3);
        pool = pool with { Arguments = pool.With("Stride", 1) };
        return pool with { Arguments = pool.With("Padding", 1) };
    }

    [Fact]
    public void PRelu_FoldsOnlyIntoKernelsThatKnowTheChannel()
    {
        // After a pool or an Add, PRelu runs as its own pass; after a conv it folds.
        (NetworkPlan plan, _) = Infer(Input(4, 4, 2), new LayerSpec(LayerKind.MaxPool, 2, 2), Kind(LayerKind.PRelu), Conv(1, 1, 2), Kind(LayerKind.PRelu));
        BufferPlan buffers = BufferPlan.Create(plan);
        Assert.Equal(new[] { "MaxPool1", "PRelu1", "Conv1" }, buffers.Steps.Select(s => s.Layer.Name));
        Assert.Equal(new[] { "PRelu2" }, buffers.Steps[2].Epilogue.Select(o => o.Name));
    }
}
