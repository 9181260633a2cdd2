using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Where one channel-vectorized convolution (<see cref="ChannelConvEmitter"/>, <see cref="DirectConvEmitter"/>) finds its repacked parameters,
/// counted from the start of its copy: the weights as panels of <see cref="Width"/> output channels,
/// <c>[filters / 16][channels][kh][kw][16]</c> (the last panel padded with zero filters), then the biases, then
/// each per-channel epilogue's values (PRelu's slopes), each padded to whole panels.
/// </summary>
internal sealed record PanelLayout(int Panels, int PanelSize, int SlopeBlocks)
{
    /// <summary>Output channels per panel: one AVX-512 vector, two AVX2 vectors, four 128-bit vectors.</summary>
    public const int Width = 16;

    public static PanelLayout Of(Step step)
    {
        LayerPlan l = step.Layer;
        int blocks = 0;
        foreach (EpilogueOp op in step.Epilogue)
        {
            blocks += op.ParameterOffset >= 0 ? 1 : 0;
        }
        return new PanelLayout((l.Out.Depth + Width - 1) / Width, l.In.Depth / l.Groups * l.KernelWidth * l.KernelHeight * Width, blocks);
    }

    /// <summary>Where the biases start (after the weight panels).</summary>
    public long BiasAt => (long)Panels * PanelSize;

    /// <summary>Where the <paramref name="block"/>th per-channel epilogue's values start.</summary>
    public long SlopesAt(int block) => BiasAt + (long)Panels * Width * (1 + block);

    /// <summary>Floats of the whole copy.</summary>
    public long Length => SlopesAt(SlopeBlocks);
}

/// <summary>
/// The generated constructor's copy of the weights of channel-vectorized convolutions, in the panels they read
/// (<see cref="PanelLayout"/>). The copies live in the parameter array after the caller's parameters (which keep
/// their layout: the scalar fallback and the construction folds read them), so the kernels reach them from their
/// own <c>weights</c> at a constant offset and no call changes. Made after the folds, so they hold folded weights.
/// </summary>
internal static class WeightPanels
{
    /// <summary>
    /// The steps that read panels, with where each copy starts after the parameters. A grouped conv whose groups run the
    /// direct kernel (<see cref="DirectConvEmitter.GroupStep"/>) or the grouped channel kernel
    /// (<see cref="GroupedConvEmitter.ChannelGroupsApply"/>) has one copy per group, side by side: <c>Layout</c> is one
    /// group's (over its channels and filters) and <c>Groups</c> their number.
    /// </summary>
    private static List<(Step Step, PanelLayout Layout, long At, int Groups)> Copies(BufferPlan buffers)
    {
        var copies = new List<(Step, PanelLayout, long, int)>();
        long at = 0;
        foreach (Step planned in buffers.Steps)
        {
            Step step = ConvTransposeEmitter.KernelStep(planned); // a transposed convolution's 1×1 convolution may read panels
            if (step.Aliased)
            {
                continue;
            }
            if (ChannelDotEmitter.Applies(step))
            {
                PanelLayout layout = ChannelDotEmitter.Layout(step.Layer);
                copies.Add((step, layout, at, 1));
                at += layout.Length;
            }
            else if (ChannelConvEmitter.Applies(step) || DirectConvEmitter.Applies(step) || GroupedConvEmitter.BlocksApply(step)
                || GroupedConvEmitter.BandsApply(step))
            {
                PanelLayout layout = PanelLayout.Of(step);
                copies.Add((step, layout, at, 1));
                at += layout.Length;
            }
            else if (GroupedConvEmitter.ChannelGroupsApply(step) || DirectConvEmitter.GroupStep(step) is not null)
            {
                PanelLayout layout = PanelLayout.Of(GroupedConvEmitter.GroupStep(step));
                copies.Add((step, layout, at, step.Layer.Groups));
                at += layout.Length * step.Layer.Groups;
            }
        }
        return copies;
    }

    /// <summary>The name of the constant that says where a layer's panels start in the parameter array.</summary>
    public static string Constant(LayerPlan l) => l.Name + "Panels";

    /// <summary>The offset constants, after the parameters' own; nothing when no layer reads panels.</summary>
    public static void Constants(SourceWriter w, BufferPlan buffers)
    {
        List<(Step Step, PanelLayout Layout, long At, int Groups)> copies = Copies(buffers);
        if (copies.Count == 0)
        {
            return;
        }
        long total = 0;
        foreach (var (step, layout, at, groups) in copies)
        {
            LayerPlan l = step.Layer;
            string perGroup = groups > 1 ? $"[{groups} groups]" : "";
            if (ChannelDotEmitter.Applies(step))
            {
                w.Line($"/// <summary>Where {l.Name}'s weights repacked as [{l.Out.Depth}][{(l.In.Depth + 15) / 16}][{l.KernelHeight}][{l.KernelWidth}][16] (16 input channels a block) start (after the parameters; see PackWeights).</summary>");
                w.Line($"private const int {Constant(l)} = ParameterCount + {Int(at)};");
                total = at + layout.Length;
                continue;
            }
            w.Line($"/// <summary>Where {l.Name}'s weights repacked as {perGroup}[{layout.Panels}][{l.In.Depth / l.Groups}][{l.KernelHeight}][{l.KernelWidth}][{PanelLayout.Width}] start (after the parameters; see PackWeights).</summary>");
            w.Line($"private const int {Constant(l)} = ParameterCount + {Int(at)};");
            total = at + layout.Length * groups;
        }
        w.Line("/// <summary>Floats of repacked weights kept after the parameters.</summary>");
        w.Line($"private const int PanelLength = {Int(total)};");
    }

    /// <summary>Floats of panels kept after the parameters (0 when no layer reads panels).</summary>
    public static long Length(BufferPlan buffers)
    {
        List<(Step Step, PanelLayout Layout, long At, int Groups)> copies = Copies(buffers);
        return copies.Count == 0 ? 0 : copies[copies.Count - 1].At + copies[copies.Count - 1].Layout.Length * copies[copies.Count - 1].Groups;
    }

    /// <summary>The constructor's call, after the folds; nothing when no layer reads panels.</summary>
    public static void Call(SourceWriter w, BufferPlan buffers)
    {
        if (Copies(buffers).Count > 0)
        {
            w.Line("PackWeights(_parameters);");
        }
    }

    /// <summary>The <c>PackWeights</c> method the constructor calls; nothing when no layer reads panels.</summary>
    public static void Method(SourceWriter w, BufferPlan buffers)
    {
        List<(Step Step, PanelLayout Layout, long At, int Groups)> copies = Copies(buffers);
        if (copies.Count == 0)
        {
            return;
        }
        w.Line();
        w.Line($"/// <summary>Copies the weights of the channel-vectorized convolutions into panels of {PanelLayout.Width} output channels (once, at construction; the padding stays zero).</summary>");
        using (w.Block("private static void PackWeights(float[] p)"))
        {
            foreach (var (step, layout, _, groups) in copies)
            {
                LayerPlan l = step.Layer;
                if (ChannelDotEmitter.Applies(step))
                {
                    ChannelDotEmitter.Pack(w, l, layout);
                    continue;
                }
                string own = l.Name + "Parameters", panels = Constant(l);
                int size = l.In.Depth / l.Groups * l.KernelWidth * l.KernelHeight;
                if (groups > 1)
                {
                    // Each group's panels and biases side by side (PyTorch's order here: the groups' reordering comes after).
                    int filters = l.Out.Depth / groups;
                    w.Line($"// {l.Name}: weights {ParameterLayout.WeightShape(l)} → {groups} groups of panels [{layout.Panels}][{l.In.Depth / groups}][{l.KernelHeight}][{l.KernelWidth}][{PanelLayout.Width}], each then its biases.");
                    using (w.Block($"for (int f = 0; f < {Int(l.Out.Depth)}; f++)"))
                    {
                        w.Line($"int group = {panels} + f / {Int(filters)} * {Int(layout.Length)}, g = f % {Int(filters)};");
                        using (w.Block($"for (int k = 0; k < {Int(size)}; k++)"))
                        {
                            w.Line($"p[group + (g / {PanelLayout.Width} * {Int(size)} + k) * {PanelLayout.Width} + g % {PanelLayout.Width}] = p[{own} + f * {Int(size)} + k];");
                        }
                        w.Line($"p[group + {Int(layout.BiasAt)} + g] = p[{own} + {Int(l.WeightCount)} + f];");
                    }
                    continue;
                }
                w.Line($"// {l.Name}: weights {ParameterLayout.WeightShape(l)} → panels [{layout.Panels}][{l.In.Depth / l.Groups}][{l.KernelHeight}][{l.KernelWidth}][{PanelLayout.Width}], then the biases{(layout.SlopeBlocks > 0 ? " and the PRelu slopes" : "")}.");
                using (w.Block($"for (int f = 0; f < {Int(l.Out.Depth)}; f++)"))
                {
                    using (w.Block($"for (int k = 0; k < {Int(size)}; k++)"))
                    {
                        w.Line($"p[{panels} + (f / {PanelLayout.Width} * {Int(size)} + k) * {PanelLayout.Width} + f % {PanelLayout.Width}] = p[{own} + f * {Int(size)} + k];");
                    }
                    w.Line($"p[{panels} + {Int(layout.BiasAt)} + f] = p[{own} + {Int(l.WeightCount)} + f];");
                    int block = 0;
                    foreach (EpilogueOp op in step.Epilogue)
                    {
                        if (op.ParameterOffset >= 0)
                        {
                            w.Line($"p[{panels} + {Int(layout.SlopesAt(block++))} + f] = p[{own} + {Int(op.ParameterOffset)} + f]; // {op.Name}");
                        }
                    }
                }
            }
        }
    }
}
