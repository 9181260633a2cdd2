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
    /// An ungrouped conv, strided across (3+, or 2 over more than one block of channels), onto fewer than <see cref="MaxFilters"/> filters from at least
    /// <see cref="MinChannels"/> input channels that fill at least <see cref="MinChannelLanes"/> of their blocks, whose
    /// fused activations read no per-channel parameters; not 1×1, not where another kernel fills its vectors (the
    /// channel kernel's small planes, the direct kernel's rows under 4 wide with 16+ filters, the split column kernel's
    /// stride-2 rows of 32 or more), and with enough work and window (the remarks of each constant give the figures).
    /// <para>
    /// Measured against ONNX Runtime in one process (throwaway probe, AVX-512, one thread, thread CPU time, best of 20
    /// alternating rounds, two runs, load 80–145; previous kernel → this one, µs): 4×4/4 onto 10 filters from 7×7×128 18.4 →
    /// 3.6 (0.48× → 2.48×), 4×4/2 onto 24 from 19×19×256 394 → 209 (0.54× → 1.01×), 5×5/4 onto 17 from 19×53×256 721 → 250
    /// (0.48× → 1.36×), 2×7/4 onto 5 from 75×75×64 206 → 131 (0.70× → 1.10×), 3×3/4 onto 2 from 75×75×71 190 → 104 (0.70× →
    /// 1.2×), 3×3/3 onto 31 from 33×33×160 409 → 165 (0.30× → 0.75×), 3×3/3 onto 8 from 56×56×32 64 → 46 (0.68× → 0.96×).
    /// </para>
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
        if (l.In.Depth < MinChannelLanes * blocks * Block || (long)blocks * Block * l.KernelWidth * l.KernelHeight < MinWindow || Workspace(l) > MaxWorkspace)
        {
            return false;
        }
        if (l.MultiplyAdds < MinWork || (long)l.Out.Width * l.Out.Height < 4)
        {
            return false; // the transpose's calls cost more than the few multiply-adds (or the tile of 4 pixels is mostly empty)
        }
        if (ChannelConvEmitter.AppliesTo(l))
        {
            return false; // 16 or more filters on a plane of at most 49 pixels: whole vectors of output channels, unrolled
        }
        if (l.Out.Depth >= 16 && l.Out.Width < 4)
        {
            // The direct kernel (ConvEmitter.ColumnsVectorize has no kernel for such rows) fills half its vectors or more and
            // leaves out the taps over the border: 3×3/2 dilated 4 onto 20 filters from 3×38×512 (2-wide rows, two thirds of the
            // taps in the border) 1.17× there, 0.70× here; 5×5/2 onto 20 from 5×37×24 1.91× → 1.77×.
            return false;
        }
        if (l.Out.Depth >= 16 && l.StrideX == 2 && (long)blocks * Block * l.KernelWidth * l.KernelHeight < MinSplitWindow)
        {
            return false; // 16–31 filters at stride 2 with short windows: the column kernel over the split input
        }
        if (l.StrideX == 1 || (l.StrideX == 2 && blocks == 1))
        {
            // Strided down only, the column kernel reads whole contiguous rows; at stride 2 across from a single block of 16
            // channels, the split column kernel. Measured after the merge (one process, best of 20 rounds, this kernel →
            // the previous one): a 4×4 strided only down onto 2 filters from 112×112×24 333 → 122 µs, a 3×3/2 at dilation
            // 4 onto 5 filters from 56×56×16 32.8 → 19.8 µs.
            return false;
        }
        if (l.StrideX == 2 && l.Out.Width >= MinSplitRow)
        {
            return false; // the column kernel over the even/odd split fills its vectors and loads contiguous taps (ConvEmitter.PhaseSplit)
        }
        // Most of the transposed columns in no window (1×1 and 2×2 windows at stride 3–4; rows no window reads are not transposed).
        return l.KernelWidth * l.KernelHeight > 1 && Read(l.Out.Width, l.KernelWidth, l.StrideX, l.DilationX) >= MinRead;
    }

    /// <summary>
    /// Fewest multiply-adds: a 2×2/4 onto 6 filters from 7×7×24 (2.3 K) ran at 3.7× ONNX Runtime here and 6.2× on the
    /// column kernel, 4×4/4 onto 2 from 14×14×24 (12 K) 1.6× against 1.8–3.2×; 3×3/4 onto 6 from 13×13×32 (27 K) went
    /// 0.54× → 2.3×.
    /// </summary>
    private const long MinWork = 16 * 1024;

    /// <summary>
    /// Fewest floats of a window (<c>16 · blocks · kh · kw</c>) for 16–31 filters at stride 2 across, which the split column
    /// kernel otherwise runs: 3×3/2 onto 31 filters from 27×27×32 (288) 0.72× there, 0.57× here; with longer windows this
    /// kernel wins (4×4/2 onto 24 from 19×19×256, 4096: 0.49–0.53× → 1.03–1.12×; 5×3/2 onto 24 from 28×28×96, 1440: 0.51–0.75×
    /// → 0.95–1.06×).
    /// </summary>
    private const int MinSplitWindow = 1024;

    /// <summary>
    /// Narrowest output rows of a stride-2 (across) layer that stays on the split column kernel: 5×5/2 onto 3 filters from
    /// 64×64×48 (32-wide rows) 3.3× there, 2.6× here; a 1-D 7-tap onto 2 filters from 174 × 32 5.1× → 3.5×.
    /// </summary>
    private const int MinSplitRow = 32;

    /// <summary>
    /// Fewest floats of a window, <c>16 · blocks · kh · kw</c>: below, summing each accumulator's lanes costs too much
    /// beside its FMAs (a 3×1/2 over 16 channels onto 16 filters, 48 floats, 1.88× → 0.92× ONNX Runtime).
    /// </summary>
    private const int MinWindow = 128;

    /// <summary>
    /// Least share of the transposed columns that some window reads (<see cref="Read"/>): 2×2 at stride 4 reads half
    /// (17×17×384 onto 24 filters: 0.76× → 0.52× before rows no window reads were left out). 1×1 convs keep the
    /// gathered pointwise kernel (<see cref="ConvEmitter.Subsampled"/>): at stride 2 they read a quarter of the input
    /// (56×56×31 onto 5 filters: 2.71× → 0.77×).
    /// </summary>
    private const double MinRead = 0.5;

    /// <summary>The share of the <c>(outputs − 1) · stride + (kernel − 1) · dilation + 1</c> input positions of an axis that some window reads.</summary>
    private static double Read(int outputs, int kernel, int stride, int dilation)
    {
        int span = (outputs - 1) * stride + (kernel - 1) * dilation + 1;
        var read = new bool[span];
        int count = 0;
        for (int o = 0; o < outputs; o++)
        {
            for (int k = 0; k < kernel; k++)
            {
                int at = o * stride + k * dilation;
                count += read[at] ? 0 : 1;
                read[at] = true;
            }
        }
        return (double)count / span;
    }


    /// <summary>Floats of the transposed input: <c>blocks · rows read · pitch · 16</c> (<see cref="Pitch"/>).</summary>
    private static long Workspace(LayerPlan l)
    {
        long rows = (long)(l.Out.Height - 1) * l.StrideY + (long)(l.KernelHeight - 1) * l.DilationY + 1;
        return (l.In.Depth + Block - 1) / Block * rows * Pitch(l) * Block;
    }

    /// <summary>Input columns the windows read: <c>(out − 1) · stride + (kernel − 1) · dilation + 1</c>.</summary>
    private static long Columns(LayerPlan l) => (long)(l.Out.Width - 1) * l.StrideX + (long)(l.KernelWidth - 1) * l.DilationX + 1;

    /// <summary>
    /// Pixels of a transposed row: the columns read, or for rows narrower than <see cref="Block"/> the input's whole row
    /// (border included; <see cref="WholeRows"/>), so each block is transposed in one call with whole vectors (row by
    /// row, a 3-pixel row of 384 channels took a scalar loop: 1.3–1.7× → 0.96× ONNX Runtime).
    /// </summary>
    private static long Pitch(LayerPlan l) => Columns(l) < Block ? System.Math.Max(Columns(l), WholeRows(l)) : Columns(l);

    /// <summary>The input's row stride as the plan lays it out: the padded width in a bordered buffer, else the width.</summary>
    private static int WholeRows(LayerPlan l) => l.HasPadding ? l.PaddedWidth : l.In.Width;

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
                // Rows under 16 wide: transposed as one run over the input's rows when its stride is the one planned for.
                string pitch = Columns(l) < Block && src.RowStride == WholeRows(l) ? $", WorkspacePitch: {Int(src.RowStride)}" : "";
                w.Line($"        WeightsOffset: {WeightPanels.Constant(l)} - {l.Name}Parameters{DirectConvEmitter.Border(step)}{pitch}),");
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
