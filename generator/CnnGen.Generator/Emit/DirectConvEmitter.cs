using System;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Strided convolutions (and stride-1 ones with large windows or onto deep 8-wide maps, <see cref="LargeStrideOne"/>) on maps too large for
/// <see cref="ChannelConvEmitter"/>'s unrolled plane: the runtime library's
/// <c>CnnGen.DirectConv</c> (output channels in the vector, a loop over tiles of up to 16 output pixels of a row,
/// weights repacked into <see cref="WeightPanels"/> at construction), written once and specialized by the JIT for the
/// layer's stride, tile and fused activations, so the emitted code is one call whatever the map's size. The generated
/// code holds the shape, the activations as a struct and the scalar kernel for machines without vector instructions.
/// </summary>
internal static class DirectConvEmitter
{
    /// <summary>Largest pixel tile with 32 vector registers (AVX-512): 14 pixels × 2 vectors = 28 accumulators, 2 weights, a broadcast.</summary>
    private const int MaxPixels16 = 14;

    /// <summary>Largest pixel tile with 16 vector registers (AVX2, Vector128): 6 × 2 = 12 accumulators, 2 weights, a broadcast.</summary>
    private const int MaxPixels8 = 6;

    /// <summary>The AVX-512 tile of 16 pixels × 16 channels, transposed in registers before its store.</summary>
    private const int WidePixels = 16;

    /// <summary>
    /// Input values per output (channels · kh · kw) below which the transposed 16 × 16 tile wins: 192 while the 14 × 2
    /// tile stored its results one value at a time; since it transposes them too (<c>CnnGen.DirectConv</c>), ResNet's 7×7
    /// stem over 3 channels (147) runs faster on it (one process against ONNX Runtime, best of 150 ms of runs, two rounds,
    /// load 59–63: at 224 1006–1016 → 966–988 µs, 0.99–1.00× → 1.01–1.02×; at 64 87.5–88.1 → 85.5–85.6, 1.01–1.02× →
    /// 1.05–1.06×); the 1×1/2 downsample over 64 channels (64) stays well below, where the 16 × 16 tile won by 1.8×.
    /// </summary>
    private const int WideTaps = 128;

    /// <summary>
    /// Whether the AVX-512 kernel takes tiles of 16 pixels × 1 vector, transposed in registers (<c>DirectConvWide</c>):
    /// rows at least 16 wide and fewer than <see cref="WideTaps"/> multiply-adds per output, where the 12 × 2 tile's
    /// scalar scatter cost too much against its FMAs (the figures below are from before the 12 × 2 and 14 × 2 tiles
    /// transposed their results too: see <see cref="WideTaps"/>). Measured (throwaway harness, load 12–30, µs, 12 × 2 → 16 × 1):
    /// 3×3 stems over 3 channels (27 taps) 646 → 270 (SqueezeNet), 296 → 172 (MobileNetV2); ResNet's 7×7 stem (147)
    /// 1726 → 1451; 1×1/2 64 → 128 on 56×56 (64) 135 → 76; with more taps the 12 × 2 tile's fewer loads per FMA win:
    /// AlexNet's 11×11 stem (363) 945 → 1049, 3×3/2 64 → 128 on 56×56 (576) 717 → 747, 1-D k9 over 40 (360) 15 → 19.
    /// </summary>
    internal static bool Wide(LayerPlan l) => l.Out.Width >= WidePixels && (long)l.In.Depth * l.KernelWidth * l.KernelHeight < WideTaps;

    /// <summary>
    /// Stride-1 convs this kernel takes too, with at least 32 channels and 32 filters: windows of at least 5×5
    /// (AlexNet's <c>features.3</c>, 5×5 over 27×27×64 onto 192, where the column kernel's vectors of 16 output columns
    /// leave 5 of every 32 lanes empty), and 3×3 and larger windows onto 8-wide maps with at least 1024 multiply-adds
    /// per output (VGG's 3×3 on 8×8×256–512, whose transformed weights are too many for Winograd; the column kernel
    /// fills its AVX-512 vectors with two 8-wide rows assembled from halves). Measured against ONNX Runtime in one
    /// process (throwaway harness, CPU time, best of 9 × 30 ms; column kernel → this kernel): AlexNet's 5×5 0.97–1.00×
    /// → 1.08–1.09× (2037–2083 → 1852–1860 µs, 215–220 → 241–242 GFLOP/s, load 47–57; AVX2 4169 → 3908 µs); VGG's
    /// 8×8 256 → 512 0.93× → 1.02–1.04× (709 → 630 µs), 512 → 512 0.96–0.98× → 1.10× (1468 → 1334 µs, load 85). The
    /// channel kernel (<see cref="ChannelConvEmitter"/>, unrolled over the plane) ran the 8×8 layers as fast (8 pixels ×
    /// 3 vectors: 1.03× and 1.04–1.09×, load 45–58) but emitted 241 KB of source per layer, against 13 KB here and
    /// 79 KB for the column kernel.
    /// <para>
    /// And any other stride-1 window of at least 3 taps over at least <see cref="PartialRowTaps"/> multiply-adds per output
    /// whose rows leave more than 15 % of the column kernel's vectors of 16 output columns empty
    /// (<see cref="ColumnLanesUsed"/>), dilated ones included: shapes outside the eight models, which the column kernel
    /// ran at half ONNX Runtime's speed. Measured against ONNX Runtime in one process (throwaway probe, best of runs of
    /// 150 ms, AVX-512, load 25–42; column kernel → this kernel): 3×3 on 9×9 over 256 → 256 0.40–0.54× → 1.06–1.07×,
    /// 384 → 384 0.53× → 1.08×, 64 → 64 0.52–0.56× → 1.04×, 32 → 32 0.74–0.77× → 1.32×; 3×3 on 10×10 over 384
    /// (too many transformed weights for Winograd) 0.65× → 1.03×; Inception's 1×7 on 17×17 over 128 0.60× → 0.99–1.00×,
    /// over 160 0.64× → 1.08×, over 64 0.61× → 0.96×, over 32 0.85× → 1.18×, its 7×1 128 → 192 0.50× → 0.82×; 1×3 over 64
    /// on 17×17 0.60× → 0.80×. Dilated windows read their taps dilation apart (DirectConvShape's DilationX/Y); in the
    /// project's shapes benchmark (quiet machine), DeepLab's 3×3 at dilation 2 on 33×33×256 0.68× → 0.98× and at dilation
    /// 4 on 17×17×256 0.48× → 0.81×, 3×3 on 9×9×384 0.54× → 1.06×, Inception's 1×7 0.61× → 1.05×. None of the layer
    /// matrix's rows changes kernel (those shapes run as Winograd or on the channel kernel).
    /// </para>
    /// <para>
    /// And one-column windows (7×1, 3×1) strided down only (a stride of 1 across, so not <see cref="Applies"/>'s strided
    /// layers), over at least 32 channels onto 32 filters and <see cref="MinTaps"/> multiply-adds per output: the column
    /// kernel's tile of 4 filters × 4 vectors loaded a vector per filter and tap for 4 FMAs each. Measured against ONNX
    /// Runtime in one process (throwaway probe, AVX-512, one thread, best of 150 ms of ~200 µs batches, two rounds, load
    /// 21–26; column kernel → this kernel): a 7×1 at stride 2 down, padding 3 above and below, on 56×56×64 onto 64
    /// 430 → 341 µs (0.78× → 1.00×), on 34×34×32 onto 48 65.7 → 55.0 µs (0.76× → 0.90×).
    /// </para>
    /// <para>
    /// The partly-filled-rows rule reaches down to <see cref="MinPartialChannels"/> channels, with fewer multiply-adds
    /// per output (<see cref="PartialRowTaps"/>): 3×3 and 5×5 convs over 8–24 channels on 9–35-wide maps, common after a
    /// thin stem and in SqueezeNet's expand layers, ran the column kernel at 0.3–0.8× ONNX Runtime. Measured in one
    /// process against the same layers generated by the previous rule and ONNX Runtime (throwaway A/B probe, thread CPU
    /// time, best of 6 × 15 ms, AVX-512, load 20–30; 60 random such layers): geometric mean 1.34× faster, 41 → 22 below
    /// ONNX Runtime; 5×5 over 24 channels on 9×9 onto 128 0.30× → 1.62×, 3×3 over 16 on 10×10 onto 64 0.56× → 1.05–1.16×,
    /// on 20×20 0.62× → 0.94×, 5×5 over 16 on 17×17 onto 96 0.63× → 1.07×; the worst change 0.94× (3×3 over 16–24 on
    /// 26×26). With AVX2 (8-lane columns waste less) the same 60 layers: 1.04× faster, 39 → 34 below; rows up to 16 wide
    /// 1.1–1.5× faster, rows of 17–26 0.88–1.09×. Onto 16–31 filters the rule holds where the filters fill at least as
    /// large a share of this kernel's vectors of 16 channels as the row fills the column kernel's (<see cref="FilterLanesUsed"/>):
    /// 13 such random layers (9–40 wide, 8–256 channels) 0.92–3.49× as fast, 5×5 over 256 channels on 10×10 onto 28
    /// 0.32× → 1.12× ONNX Runtime, 3×3 over 128 on 9×9 onto 24 0.56× → 1.18×; onto 12 filters it lost (0.83–0.92×).
    /// </para>
    /// </summary>
    internal static bool LargeStrideOne(LayerPlan l)
    {
        long taps = (long)l.In.Depth * l.KernelWidth * l.KernelHeight;
        if (l.StrideX == 1 && l.StrideY > 1 && l.In.Depth >= 32 && l.Out.Depth >= 32 && l.KernelWidth == 1 && l.KernelHeight >= 3 && taps >= MinTaps)
        {
            return true; // a one-column window strided down (see the remarks)
        }
        if (l.StrideX != 1 || l.StrideY != 1 || l.Out.Depth < 16)
        {
            return false;
        }
        bool deep = l.In.Depth >= 32 && l.Out.Depth >= 32;
        double rowLanes = ColumnLanesUsed(l.Out.Width);
        return (deep && l.KernelWidth >= 5 && l.KernelHeight >= 5)
            || (deep && l.Out.Width == 8 && l.KernelWidth >= 3 && l.KernelHeight >= 3 && taps >= DeepEightTaps)
            || (l.In.Depth >= MinPartialChannels && l.KernelWidth * l.KernelHeight >= 3 && rowLanes < MinColumnLanesUsed
                && taps >= PartialRowTaps(l.Out.Width) && (l.Out.Depth >= 32 || FilterLanesUsed(l.Out.Depth) >= rowLanes));
    }

    /// <summary>Fewest input channels of a stride-1 conv on partly filled rows that takes this kernel (<see cref="LargeStrideOne"/>).</summary>
    private const int MinPartialChannels = 8;

    /// <summary>
    /// Fewest multiply-adds per output (channels · window) of a stride-1 conv on partly filled rows that takes this
    /// kernel: 64 on rows up to 16 wide (the column kernel fills 9–16 of its 16 lanes, or 2 of 4 rows of 8), 128 on
    /// wider ones (measured: see <see cref="LargeStrideOne"/>; 72–120 taps on 19–35-wide rows ran 0.88–0.95× as fast).
    /// </summary>
    private static int PartialRowTaps(int width) => width <= 16 ? 64 : 128;

    /// <summary>
    /// The share of the column kernel's AVX-512 lanes that a row of <paramref name="width"/> outputs fills: whole vectors
    /// of 16 columns per row from 9 columns on (9 of 16, 17 of 32, …); rows of 8 or fewer are packed several to a
    /// vector, counted as full.
    /// </summary>
    internal static double ColumnLanesUsed(int width) => width <= 8 ? 1.0 : width / (16.0 * ((width + 15) / 16));

    /// <summary>The share of this kernel's AVX-512 lanes that <paramref name="filters"/> fill: vectors of 16 output channels.</summary>
    private static double FilterLanesUsed(int filters) => filters / (16.0 * ((filters + 15) / 16));

    /// <summary>Below this share of filled lanes (<see cref="ColumnLanesUsed"/>) a stride-1 conv takes this kernel (<see cref="LargeStrideOne"/>).</summary>
    private const double MinColumnLanesUsed = 0.85;

    /// <summary>Fewest multiply-adds per output (channels · window) of a one-column window strided down that takes this kernel.</summary>
    private const int MinTaps = 192;

    /// <summary>Fewest multiply-adds per output of a stride-1 conv onto an 8-wide map that takes this kernel (<see cref="LargeStrideOne"/>).</summary>
    private const int DeepEightTaps = 1024;

    /// <summary>
    /// Whether the layer takes this kernel: an ungrouped conv (dilated or not) with a horizontal stride of 2–4 (or 1, see
    /// <see cref="LargeStrideOne"/>; or above 4 whatever its filters, see <see cref="MaxColumnStride"/>), at least 16
    /// filters and output rows at least 4 wide that <see cref="ChannelConvEmitter"/> does not take (its plane is
    /// larger), whose fused activations read no per-channel parameters (PRelu keeps the column kernel).
    /// <para>
    /// Measured against ONNX Runtime in the same process (a throwaway harness with the matrix's layers, best of 15
    /// runs of 100 ms each, AVX-512, quiet machine at load average 5–7; column kernel → this kernel): ResNet-18
    /// <c>conv1</c> 0.30× → 0.91×, AlexNet's 11×11/4 stem 0.07× → 0.90× (at 64: 0.16× → 0.98×), 3×3/2 stems over 3
    /// channels 0.42–0.61× → 0.93–1.54× (SqueezeNet 1.00×, MobileNetV2 1.09×, MobileNetV3 1.54×, ShuffleNet 0.93×),
    /// ResNet's 3×3/2 <c>layer2.0.conv1</c> 0.44× → 0.94×, <c>layer3.0.conv1</c> 0.50× → 1.03×, at 64 0.80× → 1.04×,
    /// 1×1/2 downsamples 0.74–0.81× → 0.83–0.99×, 1-D stride-2 convs over 40 channels 0.33–0.92× → 1.21–1.27×,
    /// k5/2 64 → 128 0.92× → 1.04× (216–247 GFLOP/s on the stems and 3×3s with many taps, 79–90% of the FMA peak).
    /// </para>
    /// <para>
    /// <b>NoColumns:</b> it also takes, whatever its filters and width, every ungrouped conv for which the column kernels
    /// have no vector kernel (<see cref="ConvEmitter.ColumnsVectorize"/>: strided layers onto rows under 4 wide, whose
    /// planes are too large for <see cref="ChannelConvEmitter"/>), which ran on the scalar kernel. A throwaway probe of
    /// random layers against ONNX Runtime in one process (thread CPU time, best of 6 rounds, load ~30) found a 5×5/2 onto
    /// 32 filters from 5×37×256 (3×19 outputs) at 0.03× (9.8 ms; ONNX Runtime 0.30).
    /// </para>
    /// </summary>
    public static bool Applies(Step step)
    {
        LayerPlan l = step.Layer;
        if (l.Kind != LayerKind.Conv || l.Groups != 1 || WinogradEmitter.Selected(l))
        {
            return false; // (Winograd layers: ConvEmitter.Emit picks Winograd first, and the panels must agree)
        }
        foreach (EpilogueOp op in step.Epilogue)
        {
            if (op.ParameterOffset >= 0)
            {
                return false;
            }
        }
        if (!ChannelConvEmitter.Applies(step) && !ConvEmitter.Subsampled(l) && !ConvEmitter.ColumnsVectorize(step))
        {
            return PanelLayout.Of(step).Length <= int.MaxValue / 4; // the column kernels have no vector kernel: see NoColumns
        }
        bool strideOne = l.StrideX < 2 && LargeStrideOne(l);
        if ((l.StrideX < 2 && !strideOne) || (l.Out.Depth < 16 && l.StrideX <= MaxColumnStride) || l.Out.Width < 4)
        {
            return false;
        }
        // Strided layers kept on the column kernel (stride-1 ones were chosen by LargeStrideOne), measured on a quiet
        // machine (load 5–7, vs ONNX Runtime, column → this kernel):
        // fewer than 32 filters on rows up to 32 wide (ShuffleNet's stem at 64: 1.52× → 0.99×, MobileNetV3's 1.75× →
        // 1.38×; at 224 this kernel wins, 0.46× → 0.93× and 0.61× → 1.54×) and 1×1 convs onto rows under 12 wide
        // (ResNet's layer2.0.downsample at 64, 8 wide: 1.03× → 0.87×; 14 wide at 224: 0.74× → 0.83×).
        if (!strideOne && l.StrideX <= MaxColumnStride && ((l.Out.Depth < 32 && l.Out.Width <= 32) || (l.KernelWidth == 1 && l.KernelHeight == 1 && l.Out.Width < 12)))
        {
            return false;
        }
        if (l.Out.Depth < 32 && Wide(l) && ConvEmitter.PhaseSplit(l, step.Epilogue))
        {
            return false; // few filters and few taps at stride 2: the column kernel over the split input (see ConvEmitter.PhaseSplit)
        }
        return !ChannelConvEmitter.Applies(step) && !ConvEmitter.Subsampled(l) && PanelLayout.Of(step).Length <= int.MaxValue / 4;
    }

    /// <summary>
    /// The pixels per tile, at most <paramref name="most"/> and the output width: the fewest modelled cycles for a row,
    /// <c>tiles · (max(pixels, 4) + 2)</c> (a tap of a tile costs a cycle per pixel on two FMA pipes, and no less than
    /// the FMA latency over its 2 · pixels chains; a tile's scatter and loop cost about two more), ties to the larger tile.
    /// </summary>
    internal static int Pixels(int width, int most)
    {
        int best = 1;
        long bestCost = long.MaxValue;
        for (int pixels = Math.Min(most, width); pixels >= 1; pixels--)
        {
            long cost = (long)((width + pixels - 1) / pixels) * (Math.Max(pixels, 4) + 2);
            if (cost < bestCost)
            {
                (best, bestCost) = (pixels, cost);
            }
        }
        return best;
    }

    /// <summary>
    /// The largest horizontal stride the column kernels gather (<see cref="ConvEmitter"/>). Beyond it this kernel takes
    /// every ungrouped conv the channel kernel does not, whatever its filters: the column kernels have no vector path
    /// there, and such layers ran on the scalar kernel. Measured against ONNX Runtime in one process (throwaway probe,
    /// best of 150 ms of runs, AVX-512, load 14–25; scalar → this kernel): ViT's 16×16/16 patch embedding of 224×224×3
    /// onto 768 0.01× → 1.06× (78.4 ms → 0.88), wav2vec 2.0's first conv (10 taps, stride 5, 16 000 samples onto 512)
    /// 0.06× → 1.06×, SincNet's 400-tap stride-160 stem onto 40 filters 0.02× → 1.04× (652 → 15 µs), an 8×8/8 patch
    /// embedding onto 12 filters 0.04× → 1.34×.
    /// </summary>
    private const int MaxColumnStride = 4;

    /// <summary>
    /// The input's place inside its zero border for a padded layer (<c>DirectConvShape.PadTop</c> to <c>InputWidth</c>),
    /// so the kernel leaves out the kernel rows (per output row) and columns (per pixel tile) that read only zeros; empty
    /// when the input has no border. DeepLab's ASPP 3×3 at dilation 12 on 33×33 pads by 12: rows 0–11 and 21–32 read one
    /// kernel row of three in the border, and so do the columns of the tiles at either end, 43% of the multiply-adds; at
    /// dilation 4 on 17×17, 16% (rows only: the tiles reach real input with every kernel column); Inception's 7×1 on 17×17
    /// (padding 3 above and below) 10%. Measured against ONNX Runtime in one process (throwaway probe, AVX-512, one thread,
    /// best of 150 ms of ~200 µs batches, two rounds, load 58–69; every tap → these taps, µs, ratio after): ASPP d12
    /// 5523–5544 → 3220–3410 (0.75–0.77× → 1.24–1.29×), d4 1428–1432 → 1184–1190 (0.81× → 0.97–0.98×), d2 on 33×33
    /// 5025–5055 → 4781–4851 (0.98–0.99× → 1.03–1.04×), Inception's 7×1 399–401 → 372–374 (0.85× → 0.92–0.93×), AlexNet's
    /// 5×5 on 27×27 1695–1716 → 1646–1652 (1.08–1.09× → 1.13–1.14×); the stems within the noise (ResNet's 7×7/2 942–947 →
    /// 955–964 with ONNX Runtime 946 → 961, AlexNet's 11×11/4 542–544 → 554 with ONNX Runtime 544–548 → 552–555; ResNet's
    /// 3×3/2 450 either way). The bounds cost a few integer operations per tile.
    /// </summary>
    internal static string Border(Step step)
    {
        LayerPlan l = step.Layer;
        if (step.Padded is null || (l.PadTop == 0 && l.PadLeft == 0 && l.PadBottom == 0 && l.PadRight == 0))
        {
            return "";
        }
        return $", PadTop: {Int(l.PadTop)}, PadLeft: {Int(l.PadLeft)}, InputHeight: {Int(l.In.Height)}, InputWidth: {Int(l.In.Width)}";
    }

    /// <summary>The runtime library's constant type for <paramref name="value"/>, or null when it has none (1–14 and 16).</summary>
    private static string? RuntimeConstant(int value) => value is >= 1 and <= 14 or 16 ? $"global::CnnGen.Constant{value}" : null;

    /// <summary>
    /// Whether the kernel walks the whole output plane as one row (<c>DirectConvShape.FlatRowWidth</c>): a one-column
    /// window (7×1, 3×1) at stride 1 whose input and output rows have no gaps (no padding left or right, a dense
    /// output), so output pixel q reads input q + tap · row and tiles may run across rows. Inception's 7×1 on 17×17
    /// walked row by row takes two 9-pixel tiles a row (18 computed for 17) and 34 tile stores; as one row of 289,
    /// tiles of 14 (21 tiles, 294 computed). Measured against ONNX Runtime in one process (throwaway probe, AVX-512,
    /// one thread, best of 150 ms of ~200 µs batches, three rounds, load 48; rows → one row, µs): 372–374 → 344–353
    /// (0.92–0.93× → 0.99–1.00×; 400–404 and 0.86–0.87× before the border's taps were left out).
    /// </summary>
    private static bool Flat(Step step)
    {
        LayerPlan l = step.Layer;
        return l.KernelWidth == 1 && l.StrideX == 1 && l.StrideY == 1 && l.Groups == 1 && l.Out.Height > 1 && !Wide(l)
            && step.Source.RowStride == l.Out.Width && step.Destination.RowStride == l.Out.Width && l.In.Width == l.Out.Width
            && (long)l.Out.Width * l.Out.Height <= int.MaxValue / 4;
    }

    /// <summary>Fewest input channels and filters per group of a grouped conv that runs this kernel group by group (<see cref="GroupStep"/>).</summary>
    private const int MinGroupChannels = 16;

    /// <summary>
    /// One group of a grouped conv whose groups run as dense convs (<see cref="GroupedConvEmitter.DenseGroupsApply(Step)"/>),
    /// when that group takes this kernel, with at least <see cref="MinGroupChannels"/> channels and filters, and does not
    /// take Winograd; else null. The kernel then runs once per group on its channel slices, with the group's panels
    /// (<see cref="WeightPanels"/>). AlexNet's 2-group 5×5 on 27×27×96 (groups of 48 → 128) ran on the column kernel per
    /// group: as the ungrouped <c>features.3</c>, this kernel is faster there (see <see cref="LargeStrideOne"/>).
    /// Measured against ONNX Runtime in one process (throwaway probe, AVX-512, one thread, best of 150 ms of ~200 µs
    /// batches, two rounds, load 56; column kernel per group → this kernel per group, µs, ratio): 1998–2043 → 1689–1707
    /// (0.96–1.00× → 1.20–1.27×). Groups of 12 (AlexNet's 5×5 at a quarter of its channels) keep the column kernel.
    /// Groups of 16 take it too (one whole AVX-512 vector of filters): RegNetX-400MF's first grouped conv at 224, 3×3/2 from
    /// 112×112×32 in 2 groups of 16, ran the split-phase column kernel at 0.37–0.48× ONNX Runtime (648–835 µs) and runs
    /// this one at 0.79× (388 µs; throwaway probe, best of 5 alternating rounds, load 15–40).
    /// </summary>
    internal static Step? GroupStep(Step step)
    {
        LayerPlan l = step.Layer;
        if (l.Kind != LayerKind.Conv || l.Groups <= 1 || !GroupedConvEmitter.DenseGroupsApply(step) || WinogradEmitter.Kernel(l, step.Epilogue) is not null)
        {
            return null;
        }
        Step group = GroupedConvEmitter.GroupStep(step);
        return group.Layer.In.Depth >= MinGroupChannels && group.Layer.Out.Depth >= MinGroupChannels && Applies(group) ? group : null;
    }

    public static void Emit(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        Step kernel = l.Groups > 1 ? GroupStep(step)! : step;
        LayerPlan k = kernel.Layer;
        bool grouped = l.Groups > 1;
        Region src = step.Source, dst = step.Destination;
        string epilogue = step.Epilogue.Count == 0 ? "global::CnnGen.WinogradIdentity" : l.Name + "Epilogue";
        bool flat = Flat(step);
        int walked = flat ? l.Out.Width * l.Out.Height : l.Out.Width;
        int pixels16 = Wide(k) ? WidePixels : Pixels(walked, MaxPixels16), pixels8 = Pixels(walked, MaxPixels8);
        string stride = RuntimeConstant(l.StrideX) ?? l.Name + "Stride";
        LayerEmitter.MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}(ref float input, ref float output, ref float weights)"))
        {
            string At(string target, long perGroup) => grouped ? $"ref {Aliases.Unsafe}.Add(ref {target}, g * {Int(perGroup)})" : $"ref {target}";
            string input = At("input", (long)k.In.Depth * src.PlaneStride), output = At("output", (long)k.Out.Depth * dst.PlaneStride);
            using (w.Block($"if ({Aliases.Vector128}.IsHardwareAccelerated)"))
            {
                string avx512 = Wide(k) ? "16 pixels × 16 channels transposed in registers (AVX-512)" : $"{pixels16} (AVX-512)";
                w.Line($"// Output channels in the vector, tiles of {avx512} or {pixels8} pixels × 2 vectors; weights in panels (PackWeights).");
                IDisposable? loop = null;
                if (grouped)
                {
                    w.Line($"// {l.Groups} groups of {k.In.Depth} → {k.Out.Depth} channels, one after another, each with its own panels.");
                    loop = w.Block($"for (int g = 0; g < {Int(l.Groups)}; g++)");
                }
                w.Line($"global::CnnGen.DirectConv.Run<{stride}, global::CnnGen.Constant{pixels16}, global::CnnGen.Constant{pixels8}, {epilogue}>(");
                w.Line($"    new global::CnnGen.DirectConvShape(Channels: {Int(k.In.Depth)}, Filters: {Int(k.Out.Depth)}, KernelWidth: {Int(l.KernelWidth)}, KernelHeight: {Int(l.KernelHeight)}, StrideY: {Int(l.StrideY)},");
                w.Line($"        InputRowStride: {Int(src.RowStride)}, InputPlaneStride: {Int(src.PlaneStride)},");
                if (flat)
                {
                    w.Line($"        OutputWidth: {Int(walked)}, OutputHeight: 1, OutputRowStride: {Int(walked)}, OutputPlaneStride: {Int(dst.PlaneStride)}, // the plane as one row");
                }
                else
                {
                    w.Line($"        OutputWidth: {Int(l.Out.Width)}, OutputHeight: {Int(l.Out.Height)}, OutputRowStride: {Int(dst.RowStride)}, OutputPlaneStride: {Int(dst.PlaneStride)},");
                }
                string dilation = (l.DilationX == 1 && l.DilationY == 1 ? "" : $", DilationX: {Int(l.DilationX)}, DilationY: {Int(l.DilationY)}")
                    + (flat ? $", FlatRowWidth: {Int(l.Out.Width)}" : "");
                string panels = grouped ? $"{WeightPanels.Constant(l)} - {l.Name}Parameters + g * {Int(PanelLayout.Of(kernel).Length)}" : $"{WeightPanels.Constant(l)} - {l.Name}Parameters";
                w.Line($"        PanelsOffset: {panels}{dilation}{Border(step)}),");
                w.Line($"    {input}, {output}, ref weights);");
                loop?.Dispose();
            }
            using (w.Block("else"))
            {
                if (grouped)
                {
                    using (w.Block($"for (int g = 0; g < {Int(l.Groups)}; g++)"))
                    {
                        w.Line($"{step.Method}Scalar({input}, {output}, {At("weights", GroupedConvEmitter.GroupParameters(l))});");
                    }
                }
                else
                {
                    w.Line($"{step.Method}Scalar(ref input, ref output, ref weights);");
                }
            }
        }
        if (RuntimeConstant(l.StrideX) is null)
        {
            w.Line();
            w.Line($"/// <summary>{l.Name}'s horizontal stride, a constant of the runtime's kernel (which has types for strides up to 16).</summary>");
            using (w.Block($"private readonly struct {stride} : global::CnnGen.IConstant"))
            {
                w.Line($"public static int Value => {Int(l.StrideX)};");
            }
        }
        if (step.Epilogue.Count > 0)
        {
            w.Line();
            WinogradEmitter.EpilogueStruct(w, step, epilogue, "direct");
        }
        w.Line();
        ConvEmitter.Scalar(w, kernel, step.Method + "Scalar");
    }
}
