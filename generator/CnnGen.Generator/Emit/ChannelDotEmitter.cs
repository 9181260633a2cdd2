using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Convolutions onto few filters from many input channels: the runtime library's <c>CnnGen.ChannelDot</c>, with
/// <b>input channels</b> in the vector. The rows the windows read are transposed once into the step's workspace as
/// blocks of 16 channels a pixel, and each output is a dot product of its window with its filter (tiles of 4 pixels ×
/// up to 6 filters, the lanes summed at the end). The other kernels put output columns (<see cref="ConvEmitter"/>) or
/// output channels (<see cref="DirectConvEmitter"/>, <see cref="ChannelConvEmitter"/>) in the vector; with few filters
/// and strided or narrow output rows neither fills it, and the column kernel's tile of few filters loads an input
/// vector for every few FMAs. The weights are repacked at construction as <c>[filters][channels / 16][kh][kw][16]</c>
/// (<see cref="WeightPanels"/>). The generated code holds the shape, the activations as a struct and the scalar kernel
/// for machines without vector instructions.
/// </summary>
internal static class ChannelDotEmitter
{
    /// <summary>Channels per block of the transposed input (<c>CnnGen.ChannelDot.BlockWidth</c>).</summary>
    private const int Block = 16;

    /// <summary>Fewer filters than this take the kernel (with more, a vector of output channels is full enough: <see cref="DirectConvEmitter"/>).</summary>
    private const int MaxFilters = 32;

    /// <summary>Fewest input channels (one whole block).</summary>
    private const int MinChannels = 16;

    /// <summary>Least share of the blocks' lanes that real channels fill (71 channels in 5 blocks: 0.89; 40 in 3: 0.83).</summary>
    private const double MinChannelLanes = 0.75;

    /// <summary>Largest transposed input, in floats (64 MB).</summary>
    private const long MaxWorkspace = 1L << 24;

    /// <summary>Whether the layer takes this kernel (see <see cref="AppliesTo"/>).</summary>
    public static bool Applies(Step step) => AppliesTo(step.Layer, step.Epilogue);

    /// <summary>
    /// An ungrouped conv, strided (either way), onto fewer than <see cref="MaxFilters"/> filters from at least
    /// <see cref="MinChannels"/> input channels that fill at least <see cref="MinChannelLanes"/> of their blocks, whose
    /// fused activations read no per-channel parameters.
    /// </summary>
    public static bool AppliesTo(LayerPlan l, IEnumerable<EpilogueOp> epilogue)
    {
        if (l.Kind != LayerKind.Conv || l.Groups != 1 || (l.StrideX == 1 && l.StrideY == 1) || l.Out.Depth >= MaxFilters || l.In.Depth < MinChannels)
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
        int blocks = (l.In.Depth + Block - 1) / Block;
        return l.In.Depth >= MinChannelLanes * blocks * Block && Workspace(l) <= MaxWorkspace;
    }

    /// <summary>Floats of the transposed input: <c>blocks · rows read · columns read · 16</c>.</summary>
    private static long Workspace(LayerPlan l)
    {
        long rows = (long)(l.Out.Height - 1) * l.StrideY + (long)(l.KernelHeight - 1) * l.DilationY + 1;
        long columns = (long)(l.Out.Width - 1) * l.StrideX + (long)(l.KernelWidth - 1) * l.DilationX + 1;
        return (l.In.Depth + Block - 1) / Block * rows * columns * Block;
    }

    /// <summary>Floats of workspace the layer needs for its transposed input, else 0.</summary>
    public static int WorkspaceLength(LayerPlan l, IEnumerable<EpilogueOp> epilogue) => AppliesTo(l, epilogue) ? (int)Workspace(l) : 0;

    /// <summary>The layout of the repacked weights and biases: whole panels of 16 filters' worth, as <see cref="PanelLayout"/> sizes them.</summary>
    public static PanelLayout Layout(LayerPlan l) =>
        new((l.Out.Depth + PanelLayout.Width - 1) / PanelLayout.Width, FilterSize(l) * PanelLayout.Width, 0);

    /// <summary>Floats of one filter's repacked weights: <c>blocks · kh · kw · 16</c>.</summary>
    private static int FilterSize(LayerPlan l) => (l.In.Depth + Block - 1) / Block * l.KernelHeight * l.KernelWidth * Block;

    /// <summary>The constructor's repacking of the layer's weights (PyTorch's <c>[filters][channels][kh][kw]</c>) and biases.</summary>
    public static void Pack(SourceWriter w, LayerPlan l, PanelLayout layout)
    {
        string own = l.Name + "Parameters", packed = WeightPanels.Constant(l);
        int window = l.KernelHeight * l.KernelWidth, size = l.In.Depth * window;
        w.Line($"// {l.Name}: weights {ParameterLayout.WeightShape(l)} → [{l.Out.Depth}][{(l.In.Depth + Block - 1) / Block}][{l.KernelHeight}][{l.KernelWidth}][{Block}] (channels past {l.In.Depth} stay zero), then the biases.");
        using (w.Block($"for (int f = 0; f < {Int(l.Out.Depth)}; f++)"))
        {
            using (w.Block($"for (int c = 0; c < {Int(l.In.Depth)}; c++)"))
            {
                using (w.Block($"for (int k = 0; k < {Int(window)}; k++)"))
                {
                    w.Line($"p[{packed} + f * {Int(FilterSize(l))} + (c / {Block} * {Int(window)} + k) * {Block} + c % {Block}] = p[{own} + f * {Int(size)} + c * {Int(window)} + k];");
                }
            }
            w.Line($"p[{packed} + {Int(layout.BiasAt)} + f] = p[{own} + {Int(l.WeightCount)} + f];");
        }
    }

    /// <summary>The layer's method: the runtime kernel with the step's workspace for the transposed input, or the scalar kernel.</summary>
    public static void Emit(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        string epilogue = step.Epilogue.Count == 0 ? "global::CnnGen.WinogradIdentity" : l.Name + "Epilogue";
        LayerEmitter.MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}(ref float input, ref float output, ref float weights, ref float workspace)"))
        {
            using (w.Block($"if ({Aliases.Vector128}.IsHardwareAccelerated)"))
            {
                w.Line("// Input channels in the vector: the rows the windows read transposed into the workspace as 16 channels a pixel,");
                w.Line("// then each output a dot product of its window with its filter (4 pixels × up to 6 filters a tile).");
                w.Line($"global::CnnGen.ChannelDot.Run<{epilogue}>(");
                w.Line($"    new global::CnnGen.ChannelDotShape(Channels: {Int(l.In.Depth)}, Filters: {Int(l.Out.Depth)}, KernelWidth: {Int(l.KernelWidth)}, KernelHeight: {Int(l.KernelHeight)},");
                w.Line($"        StrideX: {Int(l.StrideX)}, StrideY: {Int(l.StrideY)}, DilationX: {Int(l.DilationX)}, DilationY: {Int(l.DilationY)},");
                w.Line($"        InputRowStride: {Int(src.RowStride)}, InputPlaneStride: {Int(src.PlaneStride)},");
                w.Line($"        OutputWidth: {Int(l.Out.Width)}, OutputHeight: {Int(l.Out.Height)}, OutputRowStride: {Int(dst.RowStride)}, OutputPlaneStride: {Int(dst.PlaneStride)},");
                w.Line($"        WeightsOffset: {WeightPanels.Constant(l)} - {l.Name}Parameters),");
                w.Line("    ref input, ref output, ref weights, ref workspace);");
            }
            using (w.Block("else"))
            {
                w.Line($"{step.Method}Scalar(ref input, ref output, ref weights);");
            }
        }
        if (step.Epilogue.Count > 0)
        {
            w.Line();
            WinogradEmitter.EpilogueStruct(w, step, epilogue, "channel-dot");
        }
        w.Line();
        ConvEmitter.Scalar(w, step, step.Method + "Scalar");
    }
}
