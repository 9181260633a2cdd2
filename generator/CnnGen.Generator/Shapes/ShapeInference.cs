using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes.Rules;
using static CnnGen.Generator.Shapes.Checks;

namespace CnnGen.Generator.Shapes;

/// <summary>
/// The shape stage: resolves the graph (<see cref="NameResolution"/>), then every layer's output size,
/// parameters and cost through its kind's rule (<c>Rules/</c>), and lists every problem with the numbers
/// involved. Pure C#: no Roslyn types, no exceptions for bad input.
/// </summary>
internal static class ShapeInference
{
    public static (NetworkPlan Plan, ImmutableArray<ShapeProblem> Problems) Infer(NetworkSpec spec)
    {
        var problems = ImmutableArray.CreateBuilder<ShapeProblem>();
        bool valid = CheckInputPlacement(spec, problems, out int inputIndex);
        if (inputIndex < 0)
        {
            return (new NetworkPlan(spec.Type, default, EquatableArray<LayerPlan>.Empty, 0, false), problems.ToImmutable());
        }

        LayerSpec inputSpec = spec.Layers[inputIndex];
        valid &= Positive(problems, inputIndex, "Input", "width", inputSpec.Width, "the input width")
               & Positive(problems, inputIndex, "Input", "height", inputSpec.Height, "the input height")
               & Positive(problems, inputIndex, "Input", "depth", inputSpec.Count, "the input depth");
        var input = new Volume(inputSpec.Width, inputSpec.Height, inputSpec.Count);
        if (valid && input.Length > int.MaxValue)
        {
            problems.Add(ShapeProblem.Create(ProblemKind.TooLarge, inputIndex, null, "Input", "the input length", Format(input.Length)));
            valid = false;
        }
        bool anyLayer = false;
        foreach (LayerSpec layer in spec.Layers)
        {
            anyLayer |= layer.Kind != LayerKind.Input;
        }
        if (!anyLayer)
        {
            problems.Add(ShapeProblem.Create(ProblemKind.NoLayers, inputIndex, null));
            valid = false;
        }
        if (!valid)
        {
            return (new NetworkPlan(spec.Type, input, EquatableArray<LayerPlan>.Empty, 0, false), problems.ToImmutable());
        }

        NameResolution.Graph graph = NameResolution.Resolve(spec, inputIndex, problems);
        var layers = new List<LayerPlan>();
        var planIndex = new int[spec.Layers.Count];     // spec index → index in layers, or -2 when the layer failed
        var flatFrom = new string?[spec.Layers.Count];  // the fully connected layer a flat vector comes from
        long parameters = 0, scratch = 0;
        string? softmax = null, logSoftmax = null;
        for (int index = 0; index < spec.Layers.Count; index++)
        {
            LayerSpec layer = spec.Layers[index];
            planIndex[index] = -2;
            if (layer.Kind == LayerKind.Input)
            {
                planIndex[index] = LayerPlan.NetworkInput;
                continue;
            }
            LayerKindInfo info = LayerKinds.Of(layer.Kind);
            if (softmax is not null)
            {
                problems.Add(ShapeProblem.Create(ProblemKind.LayerAfterSoftmax, index, null, info.AttributeName));
                continue;
            }
            if (layer.Kind == LayerKind.Softmax)
            {
                softmax = graph.Names[index];
            }
            if (logSoftmax is not null)
            {
                problems.Add(ShapeProblem.Create(ProblemKind.LayerAfterLogSoftmax, index, null, info.AttributeName));
                continue;
            }
            if (layer.Kind == LayerKind.LogSoftmax)
            {
                logSoftmax = graph.Names[index];
            }
            if (graph.Inputs[index] is not ImmutableArray<int> reads || !AllResolved(reads, planIndex))
            {
                continue; // a reference failed (reported), or a layer it reads is broken: its sizes are unknown
            }

            var shapes = ImmutableArray.CreateBuilder<Volume>();
            var names = ImmutableArray.CreateBuilder<string>();
            var inputs = ImmutableArray.CreateBuilder<int>();
            string? flat = null;
            foreach (int read in reads)
            {
                int at = read == LayerPlan.NetworkInput ? LayerPlan.NetworkInput : planIndex[read];
                inputs.Add(at);
                shapes.Add(at == LayerPlan.NetworkInput ? input : layers[at].Out);
                names.Add(read == LayerPlan.NetworkInput ? NameResolution.InputName : graph.Names[read]);
                flat ??= read == LayerPlan.NetworkInput ? null : flatFrom[read];
            }
            string name = graph.Names[index];
            if (info.NeedsMap && flat is not null)
            {
                problems.Add(ShapeProblem.Create(ProblemKind.SpatialAfterFullyConnected, index, null, info.AttributeName, flat));
                continue;
            }

            var context = new LayerContext(index, name, layer, shapes.ToImmutable(), names.ToImmutable(), problems);
            LayerPlan? plan = Rule(context);
            if (plan is null)
            {
                continue;
            }
            plan = plan with
            {
                Inputs = inputs.ToEquatableArray(),
                InputNames = names.ToEquatableArray(),
                InputShapes = shapes.ToEquatableArray(),
                Index = layers.Count,
            };
            if (!FitsArrays(plan, index, problems, ref parameters, ref scratch))
            {
                continue;
            }
            if (plan.Parameters > 0)
            {
                plan = plan with { ParameterOffset = (int)parameters };
                parameters += plan.Parameters;
            }
            // A fully connected layer's output is a flat vector, and so is whatever keeps it 1×1 (activations, merges of vectors).
            flatFrom[index] = layer.Kind == LayerKind.FullyConnected ? name : plan.Out.Width == 1 && plan.Out.Height == 1 ? flat : null;
            planIndex[index] = layers.Count;
            layers.Add(plan);
        }

        foreach (ShapeProblem problem in problems)
        {
            valid &= problem.IsWarning;
        }
        if (valid)
        {
            MarkDeadLayers(layers, spec, planIndex, problems);
        }
        var network = new NetworkPlan(spec.Type, input, layers.ToEquatableArray(), valid ? (int)parameters : 0, valid)
        {
            WeightsFile = WeightsFileName(spec.Weights),
        };
        return (network, problems.ToImmutable());
    }

    /// <summary>The kind's shape rule. Exhaustive: a kind without a rule is a bug, thrown and reported as CNN0099.</summary>
    private static LayerPlan? Rule(LayerContext context) => context.Spec.Kind switch
    {
        _ when LayerKinds.Of(context.Spec.Kind).Role is LayerRole.Activation or LayerRole.NoOp => ActivationRule.Infer(context),
        LayerKind.Conv => ConvRule.Infer(context),
        LayerKind.MaxPool or LayerKind.AvgPool => PoolRule.Infer(context),
        LayerKind.FullyConnected => FullyConnectedRule.Infer(context),
        LayerKind.Softmax => PassThroughRule.Infer(context),
        LayerKind.Add or LayerKind.Mul => MergeRules.ElementWise(context),
        LayerKind.Concat => MergeRules.Concat(context),
        LayerKind.GlobalAvgPool or LayerKind.GlobalMaxPool => GlobalPoolRule.Infer(context),
        LayerKind.Slice => ChannelRules.Slice(context),
        LayerKind.ChannelShuffle => ChannelRules.Shuffle(context),
        LayerKind.Pad => PadRule.Infer(context),
        LayerKind.Upsample => UpsampleRule.Infer(context),
        LayerKind.LogSoftmax => PassThroughRule.Infer(context),
        LayerKind.BatchNorm => AffineRules.BatchNorm(context),
        LayerKind.Normalize => AffineRules.Normalize(context),
        LayerKind.ConvTranspose => ConvTransposeRule.Infer(context),
        _ => throw new UnhandledKindException(context.Spec.Kind, nameof(ShapeInference)),
    };

    private static bool AllResolved(ImmutableArray<int> reads, int[] planIndex)
    {
        foreach (int read in reads)
        {
            if (read != LayerPlan.NetworkInput && planIndex[read] == -2)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Every size the generated code indexes with an <see langword="int"/> must fit one: the output, the padded
    /// input, the parameters so far, and the scratch memory (bounded by every activation plus every bordered copy).
    /// </summary>
    private static bool FitsArrays(LayerPlan plan, int index, ImmutableArray<ShapeProblem>.Builder problems, ref long parameters, ref long scratch)
    {
        long padded = (long)plan.PaddedWidth * plan.PaddedHeight * plan.In.Depth;
        (string What, long Value)? overflow =
            plan.Out.Length > int.MaxValue ? ("the output volume " + plan.Out, plan.Out.Length)
            : padded > int.MaxValue ? ("the padded input", padded)
            : parameters + plan.Parameters > int.MaxValue ? ("the parameter count", parameters + plan.Parameters)
            : null;
        if (overflow is null)
        {
            long bordered = plan.HasPadding || plan.CeilMode
                ? ((long)plan.PaddedWidth + plan.StrideX) * ((long)plan.PaddedHeight + plan.StrideY) * plan.In.Depth
                : 0;
            scratch += plan.Out.Length + bordered;
            if (scratch > int.MaxValue)
            {
                overflow = ("the scratch memory up to this layer", scratch);
            }
        }
        if (overflow is { } o)
        {
            problems.Add(ShapeProblem.Create(ProblemKind.TooLarge, index, null, plan.Name, o.What, Format(o.Value)));
            return false;
        }
        return true;
    }

    /// <summary>
    /// A layer whose output reaches nothing (no later layer reads it and it is not the last) is not computed;
    /// the layer at the end of such a branch gets a warning. Its parameters stay in the layout.
    /// </summary>
    private static void MarkDeadLayers(List<LayerPlan> layers, NetworkSpec spec, int[] planIndex, ImmutableArray<ShapeProblem>.Builder problems)
    {
        var live = new bool[layers.Count];
        var read = new bool[layers.Count];
        live[layers.Count - 1] = true;
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            foreach (int input in layers[i].Inputs)
            {
                if (input >= 0)
                {
                    live[input] |= live[i];
                    read[input] = true;
                }
            }
        }
        for (int i = 0; i < layers.Count; i++)
        {
            if (live[i])
            {
                continue;
            }
            layers[i] = layers[i] with { IsDead = true };
            if (!read[i])
            {
                int attribute = Array.IndexOf(planIndex, i);
                problems.Add(ShapeProblem.Create(ProblemKind.DeadLayer, attribute, null, layers[i].Name, layers[layers.Count - 1].Name));
            }
        }
    }

    /// <summary>The file name part of <c>[Network(Weights = "…")]</c> (the resource is named after it).</summary>
    public static string? WeightsFileName(string? weights)
    {
        if (weights is null)
        {
            return null;
        }
        int slash = weights.LastIndexOfAny(new[] { '/', '\\' });
        return weights.Substring(slash + 1);
    }

    private static bool CheckInputPlacement(NetworkSpec spec, ImmutableArray<ShapeProblem>.Builder problems, out int inputIndex)
    {
        inputIndex = -1;
        bool valid = true;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            if (spec.Layers[i].Kind != LayerKind.Input)
            {
                continue;
            }
            if (inputIndex >= 0)
            {
                problems.Add(ShapeProblem.Create(ProblemKind.RepeatedInput, i, null));
                valid = false;
                continue;
            }
            inputIndex = i;
            if (i > 0)
            {
                problems.Add(ShapeProblem.Create(ProblemKind.InputNotFirst, i, null, AttributeName(spec.Layers[i - 1].Kind)));
                valid = false;
            }
        }
        if (inputIndex < 0)
        {
            problems.Add(ShapeProblem.Create(ProblemKind.MissingInput, -1, null));
            valid = false;
        }
        return valid;
    }

    /// <summary>The attribute's name as the user writes it, e.g. <c>MaxPool</c>.</summary>
    public static string AttributeName(LayerKind kind) => LayerKinds.Of(kind).AttributeName;
}
