using System;
using System.Collections.Immutable;
using System.Linq;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using Xunit;

namespace CnnGen.Generator.Tests;

/// <summary>The shape stage on graphs: naming, references, merges and dead branches, worked out by hand.</summary>
public sealed class GraphShapeTests
{
    private static LayerSpec Input(int w, int h, int d) => new(LayerKind.Input, w, h, d);

    private static LayerSpec Conv(int w, int h, int filters) => new(LayerKind.Conv, w, h, filters);

    private static LayerSpec Relu => new(LayerKind.Relu);

    private static LayerSpec Merge(LayerKind kind, params string[] others) => new LayerSpec(kind) { Others = others.ToEquatableArray() };

    private static (NetworkPlan Plan, ImmutableArray<ShapeProblem> Problems) Infer(params LayerSpec[] layers) =>
        ShapeInference.Infer(new NetworkSpec(new TypeSpec("", "Net", "Net", "class", EquatableArray<string>.Empty), layers.ToEquatableArray()));

    [Fact]
    public void TheIssueExample_HasTheDocumentedShapesAndInputs()
    {
        (NetworkPlan plan, ImmutableArray<ShapeProblem> problems) = Infer(
            Input(32, 32, 16),
            Conv(3, 3, 16) with { Padding = 1, Name = "a" }, Relu,
            Conv(3, 3, 16) with { Padding = 1 }, Relu,
            Conv(3, 3, 16) with { Padding = 1 },
            Merge(LayerKind.Add, "Relu1"), Relu,
            Conv(1, 1, 8) with { From = "a", Name = "side" },
            Merge(LayerKind.Concat, "Relu3"));
        Assert.Empty(problems);
        Assert.Equal(new[] { "a", "Relu1", "Conv2", "Relu2", "Conv3", "Add1", "Relu3", "side", "Concat1" }, plan.Layers.Select(l => l.Name));
        Assert.Equal(new[] { 4, 1 }, plan.Layers[5].Inputs);         // Conv3 (index 4) + Relu1 (index 1)
        Assert.Equal(new[] { 0 }, plan.Layers[7].Inputs);            // side reads a
        Assert.Equal(new Volume(32, 32, 24), plan.Layers[8].Out);    // 8 + 16 channels
        Assert.Equal(new[] { LayerPlan.NetworkInput }, plan.Layers[0].Inputs);
        Assert.Equal(16 * 16 * 9 * 3 + 16 * 3 + 16 * 8 + 8, plan.ParameterCount);
        Assert.DoesNotContain(plan.Layers, l => l.IsDead);
    }

    [Fact]
    public void Mul_BroadcastsAOneByOneOperand_OnEitherSide()
    {
        (NetworkPlan plan, var problems) = Infer(
            Input(6, 6, 4),
            new LayerSpec(LayerKind.AvgPool, 6, 6) { Name = "squeeze" },
            Merge(LayerKind.Mul, "Input"),           // 1×1×4 · 6×6×4
            Merge(LayerKind.Mul, "squeeze"));        // 6×6×4 · 1×1×4
        Assert.Empty(problems);
        Assert.Equal(new Volume(6, 6, 4), plan.Layers[1].Out);
        Assert.Equal(new Volume(6, 6, 4), plan.Layers[2].Out);
    }

    [Fact]
    public void Mul_RejectsABroadcastWithTheWrongChannelCount()
    {
        (_, var problems) = Infer(Input(6, 6, 4), new LayerSpec(LayerKind.FullyConnected, 0, 0, 3), Merge(LayerKind.Mul, "Input"));
        ShapeProblem problem = Assert.Single(problems);
        Assert.Equal((ProblemKind.OperandShapeMismatch, "others[0]"), (problem.Kind, problem.Argument));
    }

    [Fact]
    public void AFullyConnectedBranch_DoesNotStopAConvOnAnotherBranch()
    {
        (NetworkPlan plan, var problems) = Infer(
            Input(4, 4, 2), new LayerSpec(LayerKind.FullyConnected, 0, 0, 2) { Name = "head" },
            Conv(1, 1, 2) with { From = "Input" }, new LayerSpec(LayerKind.FullyConnected, 0, 0, 2), Merge(LayerKind.Add, "head"));
        Assert.Empty(problems);
        Assert.True(plan.IsValid);

        (_, problems) = Infer(Input(4, 4, 2), new LayerSpec(LayerKind.FullyConnected, 0, 0, 2), Relu, Conv(1, 1, 2));
        Assert.Equal(ProblemKind.SpatialAfterFullyConnected, Assert.Single(problems).Kind);
    }

    [Fact]
    public void References_ToItselfOrLater_AreErrors_AndMistypedNamesGetASuggestion()
    {
        (_, var problems) = Infer(Input(4, 4, 2), Conv(1, 1, 2) with { From = "Conv1" });
        Assert.Equal((ProblemKind.LaterReference, "From"), (Assert.Single(problems).Kind, problems[0].Argument));
        Assert.Contains("itself", problems[0].Args[2]);

        (_, problems) = Infer(Input(4, 4, 2), Conv(1, 1, 2), Relu, Merge(LayerKind.Add, "relu1"));
        Assert.Equal(ProblemKind.UnknownName, Assert.Single(problems).Kind);
        Assert.Equal("did you mean 'Relu1'?", problems[0].Args[2]);
    }

    [Fact]
    public void DeadBranches_AreWarnedAtTheirEnd_AndMarkedNotComputed()
    {
        (NetworkPlan plan, var problems) = Infer(
            Input(4, 4, 2), Conv(1, 1, 2) with { Name = "x" }, Relu, Conv(1, 1, 3) with { From = "Input" });
        Assert.True(plan.IsValid);
        ShapeProblem problem = Assert.Single(problems);
        Assert.Equal((ProblemKind.DeadLayer, 2), (problem.Kind, problem.AttributeIndex)); // the Relu ends the dead branch
        Assert.Equal(new[] { true, true, false }, plan.Layers.Select(l => l.IsDead));
    }

    [Fact]
    public void EveryKind_IsInTheKindTable()
    {
        foreach (LayerKind kind in Enum.GetValues(typeof(LayerKind)))
        {
            Assert.Equal(kind, LayerKinds.Of(kind).Kind);
            Assert.Same(LayerKinds.Of(kind), LayerKinds.ByAttribute[LayerKinds.Of(kind).Attribute]);
        }
    }
}
