using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>Grouped convolutions whose groups are wide enough to run as dense convolutions, one group at a time.</summary>
internal static partial class GroupedConvEmitter
{
    /// <summary>Fewest input channels per group for <see cref="DenseGroupsApply"/>: two (one is depthwise or a channel multiplier).</summary>
    private const int DenseGroupChannels = 2;

    /// <summary>Fewest filters per group for <see cref="DenseGroupsApply"/>: two (one filter a group has nothing to share).</summary>
    private const int DenseGroupFilters = 2;

    /// <summary>
    /// Whether a grouped (not depthwise) conv runs each group as a dense conv (<see cref="DenseGroups"/>): groups of at
    /// least <see cref="DenseGroupChannels"/> input channels and <see cref="DenseGroupFilters"/> filters, and no fused
    /// op with per-channel parameters (PRelu's slopes sit after the whole layer's biases, out of a group's reach).
    /// The grouped kernel computes one filter at a time, so each input vector it loads feeds one FMA chain; the dense
    /// column kernel reuses each loaded input vector across a register tile of the group's filters.
    /// <para>
    /// Measured against ONNX Runtime in one process (throwaway probe, AVX-512, one thread, best of 150 ms of ~200 µs
    /// batches, load 10–15; grouped kernel → dense per group, µs, ratio to ORT after): ShuffleNet v1 g3 1×1 on
    /// 28×28×240 (groups of 80) + ReLU 431–442 → 122–124 (1.29×), without activation 387–445 → 122 (1.27×), + SiLU
    /// 410–474 → 150 (1.23×), 240 → 60 366 → 31 (1.56–1.63×); g8 1×1 on 28×28×384 (48) 366 → 123 (1.34×), on 14×14×768
    /// (96) 522 → 125 (1.10×); ResNeXt 3×3 g32: 28×28×256 (8) 244 → 151 (2.09 → 3.48×), 56×56×128 (4) 311–319 → 169
    /// (2.32 → 4.23×), 56×56×64 (2) 79 → 59 (4.3 → 5.9×), 56×56×256 stride 2 (4) 299–302 → 186–189 (2.4 → 3.8–4.1×),
    /// 14×14×512 (16) 482 → 144 (0.38 → 1.27×), 7×7×1024 (32) 1005 → 177 (0.18 → 1.00×); RegNet 3×3 groups of 16 on
    /// 28×28×64 118 → 67 (0.77 → 1.40×), 14×14×160 147 → 43 (0.37 → 1.31×), of 24 on 14×14×336 475 → 136 (0.59 →
    /// 2.11×), stride 2 from 28×28×336 704 → 211 (0.48 → 1.59×); AlexNet's 2-group 5×5 on 27×27×96 4065 → 2063 (0.49 →
    /// 0.99×), 3×3 on 13×13×384 4444 → 1226 and 2873 → 827 (0.20 → 0.72×). Every width measured gains, groups of 2
    /// included, so the only bound is the one that leaves nothing to share.
    /// </para>
    /// </summary>
    internal static bool DenseGroupsApply(Step step) => DenseGroupsApply(step.Layer, step.Epilogue);

    /// <summary>
    /// <see cref="DenseGroupsApply(Step)"/> for a layer and the activations folded into it (before <see cref="BufferPlan"/>
    /// has made its step; ops with parameters are never deferred to a pass, so the fused ones or all of them answer alike).
    /// </summary>
    internal static bool DenseGroupsApply(LayerPlan l, System.Collections.Generic.IEnumerable<EpilogueOp> epilogue)
    {
        if (l.Kind != LayerKind.Conv || l.Groups <= 1 || l.In.Depth == l.Groups
            || ChannelsPerGroup(l) < DenseGroupChannels || FiltersPerGroup(l) < DenseGroupFilters)
        {
            return false;
        }
        foreach (EpilogueOp op in epilogue)
        {
            if (op.ParameterOffset >= 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Floats of one group's parameters after <c>CnnGen.GroupedConv.InterleaveBiases</c>: its weights, then its biases.</summary>
    internal static long GroupParameters(LayerPlan l) =>
        (long)FiltersPerGroup(l) * ChannelsPerGroup(l) * l.KernelWidth * l.KernelHeight + FiltersPerGroup(l);

    /// <summary>One group of <paramref name="step"/> as a dense conv over its channels (the regions keep their strides; the method is the layer's plus <c>Group</c>).</summary>
    internal static Step GroupStep(Step step) => step with { Layer = GroupLayer(step.Layer), Sources = new[] { step.Source }.ToEquatableArray() };

    /// <summary>One group of a grouped conv as a dense conv over its channels (named the layer's plus <c>Group</c>).</summary>
    internal static LayerPlan GroupLayer(LayerPlan l)
    {
        var input = new Volume(l.In.Width, l.In.Height, ChannelsPerGroup(l));
        return l with
        {
            Name = l.Name + "Group",
            In = input,
            InputShapes = new[] { input }.ToEquatableArray(),
            Out = new Volume(l.Out.Width, l.Out.Height, FiltersPerGroup(l)),
            Groups = 1,
            Parameters = GroupParameters(l),
            MultiplyAdds = l.MultiplyAdds / l.Groups,
        };
    }

    /// <summary>
    /// The layer's method: when one group is a Winograd conv (<see cref="WinogradEmitter.Kernel"/>: AlexNet's 3×3s on
    /// 13×13, the column kernel's 0.72–0.75× ONNX Runtime → 1.13–1.20×), the Winograd kernel once per group; otherwise a loop over the groups, each the dense column kernel (<see cref="ConvEmitter.Columns"/>) on
    /// the group's input and output channels and its parameters, which the constructor laid out group by group, each
    /// group's biases after its weights (<see cref="PackCalls"/>).
    /// </summary>
    private static void DenseGroups(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        Step group = GroupStep(step);
        if (ChannelGroupsApply(step))
        {
            ChannelGroups(w, step); // small maps, 16 or more filters a group: output channels in the vector
            return;
        }
        if (WinogradEmitter.Kernel(l, step.Epilogue) is not null)
        {
            WinogradEmitter.Emit(w, step, method => ConvEmitter.Scalar(w, group, method)); // each group a 3×3 stride-1 conv with enough channels and tiles
            return;
        }
        if (DirectConvEmitter.GroupStep(step) is not null)
        {
            DirectConvEmitter.Emit(w, step); // each group a conv the direct kernel takes (AlexNet's 5×5 on 27×27)
            return;
        }
        if (step.Workspace is Region phases && ConvEmitter.PhaseSplit(l, step.Epilogue))
        {
            ConvEmitter.EmitPhaseSplit(w, step, phases); // stride 2 across: the input's even and odd columns split once for every group
            return;
        }
        MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"// {l.Groups} groups of {ChannelsPerGroup(l)} → {FiltersPerGroup(l)} channels, each a dense conv (its weights and biases side by side, see the constructor)");
            using (w.Block($"for (int g = 0; g < {Int(l.Groups)}; g++)"))
            {
                w.Line($"{group.Method}(ref {Aliases.Unsafe}.Add(ref input, g * {Int((long)ChannelsPerGroup(l) * step.Source.PlaneStride)}), "
                    + $"ref {Aliases.Unsafe}.Add(ref output, g * {Int((long)FiltersPerGroup(l) * step.Destination.PlaneStride)}), "
                    + $"ref {Aliases.Unsafe}.Add(ref weights, g * {Int(GroupParameters(l))}));");
            }
        }
        w.Line();
        ConvEmitter.Columns(w, group);
    }

    /// <summary>
    /// The constructor's in-place reordering of the parameters of the layers that run <see cref="DenseGroups"/>, after
    /// the construction folds: each group's weights, then its biases, so a group's dense kernel finds its biases right
    /// after its weights as a dense layer's are.
    /// </summary>
    public static void PackCalls(SourceWriter w, BufferPlan buffers)
    {
        foreach (Step step in buffers.Steps)
        {
            if (!step.Aliased && step.Layer.Kind == LayerKind.Conv && DenseGroupsApply(step))
            {
                LayerPlan l = step.Layer;
                w.Line($"global::CnnGen.GroupedConv.InterleaveBiases(_parameters, {l.Name}Parameters, groups: {Int(l.Groups)}, "
                    + $"weightsPerGroup: {Int(GroupParameters(l) - FiltersPerGroup(l))}, biasesPerGroup: {Int(FiltersPerGroup(l))}); // {l.Name}: each group's biases after its weights");
            }
        }
    }
}
