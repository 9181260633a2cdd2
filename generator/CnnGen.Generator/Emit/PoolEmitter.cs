using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Emits max and average pooling. Max pools with horizontal stride 2 call the runtime library's separable kernel
/// (<see cref="Separable"/>), pools of other windows and strides its separable average and max pools where the kernels
/// emitted here would copy a border, load many taps or run without vectors (<see cref="Windows"/>); the others are
/// emitted here. Rows of 8 outputs are computed with AVX2, rows of 4 with portable
/// <c>Vector128</c> operators (Arm64, x64 without AVX2, WebAssembly), when the horizontal stride is 1
/// or 2 (stride 2 gathers the even columns of each window column with two loads and a shuffle; AVX2
/// puts the lanes in order with one permute per output vector) and every window divides by the same
/// count; a scalar kernel covers the rest and machines without vectors.
/// </summary>
internal static class PoolEmitter
{
    private const string Avx2Condition = Aliases.Avx2 + ".IsSupported";
    private const string V = Aliases.Vector256;
    private const string Avx = Aliases.Avx;
    private const string Avx2 = Aliases.Avx2;
    private const string U = Aliases.Unsafe;

    public static void Emit(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        if (Separable(step))
        {
            SeparableCall(w, step);
            return;
        }
        if (Windows(l, step.Epilogue.Count, written: false) && step.Padded is null)
        {
            WindowsCall(w, step);
            return;
        }
        if (!EmittedVectors(l))
        {
            Scalar(w, step, step.Method);
            return;
        }
        var widths = new List<int>();
        if (l.Out.Width >= 8)
        {
            widths.Add(8);
        }
        widths.Add(4);
        Dispatch(w, step, withWeights: false, widths.ConvertAll(width => width == 8 ? (Avx2Condition, "Avx2") : (Aliases.Vector128 + ".IsHardwareAccelerated", "Vector128")), "Scalar");
        foreach (int width in widths)
        {
            w.Line();
            VectorKernel(w, step, width);
        }
        w.Line();
        Scalar(w, step, step.Method + "Scalar");
    }

    /// <summary>
    /// Whether the layer runs the runtime library's separable max pool (<c>CnnGen.Pooling.MaxStride2</c>): a max pool
    /// with horizontal stride 2, a window of 2 or 3 columns and rows, output rows at least 3 wide for 3-wide windows
    /// (the kernel's 3-wide row) and 4 for 2-wide ones, and no fused activation. Narrower rows keep the per-layer
    /// kernels: VGG's 2×2 pool of a 4×4×512 map (rows of 2) took 2.2 µs with them, 3.6 µs in the runtime kernel's scalar row.
    /// Measured in generated networks on the AVX-512 machine (one thread, best of 5 runs, load 15–30), per-layer
    /// direct-window kernels → this kernel: 7×7×192 3×3/2 4.7 → 1.0 µs, 7×7×256 ceil 6.1 → 1.3, 13×13×256 8.8 → 5.5,
    /// 15×15×128 ceil 5.2 → 3.2, 112×112×64 padding 1 143 → 109, 55×55×64 22.7 → 12.6, 111×111×64 ceil 86 → 59,
    /// 64×64×64 2×2/2 15.1 → 10.0, 8×8×512 2×2/2 2.6 → 1.7 (layer-matrix ratios against ONNX Runtime: the
    /// Benchmarks README).
    /// </summary>
    internal static bool Separable(Step step) => Separable(step.Layer, step.Epilogue.Count, written: step.Padded is not null);

    /// <summary>
    /// Whether a <see cref="Separable"/> pool that needs padding (or has ceil-mode overhang) reads a −∞-bordered buffer
    /// rather than clipping its windows at the input's edges: when the layer before writes its output straight into that
    /// buffer's interior (<paramref name="written"/>: no copy, every window whole). Otherwise (the network's input, or
    /// an input that other layers read too) it clips: a copy into a border never paid once the clipped kernel ran its
    /// first vector from output 0 (see <c>CnnGen.Pooling</c>). Measured in one process (throwaway harness, best of
    /// 150 ms of runs, load 15–17), pool alone on the network input, copy + whole windows → clipped: 32×32×64 padding 1
    /// 5.6 → 4.5 µs, 32×32×24 2.3 → 1.8, 56×56×64 23.4 → 14.1, 64×64×32 13.2 → 8.0, 112×112×64 98.6 → 56.9. After a
    /// conv + ReLU, border written by the conv → clipped: ResNet-18@64's stem and pool (64×64×3 → 32×32×64 → 16×16)
    /// 87.5 → 89.7–90.8 µs, ShuffleNet@224's (224×224×3 → 112×112×24 → 56×56) 144.1–145.4 → 145.7–146.0, @64 9.9 → 9.9,
    /// ResNet-18@224's 1102–1112 → 1112–1115: the border is kept where it is free.
    /// </summary>
    internal static bool Bordered(bool written) => written;

    /// <summary>
    /// <see cref="Separable"/> before the step exists (<see cref="BufferPlan"/>): such a pool can read its input as it is,
    /// clipping its windows at the input's edges, so the plan gives it no −∞-bordered copy of its input (a border only
    /// where the layer before writes into it: <see cref="Bordered"/>). In a network of
    /// the pool alone that copy took about half the time: ResNet-18's 3×3/2 pool of 112×112×64 with padding 1 ran
    /// 0.99× ONNX Runtime with it (layer matrix, session 5); measured without it in one process against ONNX Runtime
    /// (throwaway harness, CPU time, best of 9–11 × 30 ms): see the runtime's <c>CnnGen.Pooling</c>.
    /// </summary>
    /// <remarks>
    /// Rows narrower than 24 outputs whose windows leave the input (padding, or a ceil-mode window past the last column
    /// or row, as in GoogLeNet) go to <see cref="Windows"/> instead, unless the layer before writes into their −∞ border
    /// (<paramref name="written"/>: every window whole, no edges): this kernel clips their edge windows one at a time,
    /// which cost more than the vectors on such short rows. Measured in one process against ONNX Runtime (throwaway
    /// probe, best of 150 ms of runs, load 2–15), 3×3/2 unless stated, this kernel → <c>CnnGen.Pooling.Maximum</c>:
    /// 28×28×64 ceil 0.48× → 1.10×, 28×28×64 padding 1 0.53× → 1.05×, 16×16×64 padding 1 0.52× → 1.45×, 20×20×64 padding 1
    /// 0.40× → 1.07×, 2×2/2 padding 1 on 30×30×64 0.44× → 1.31×; 14×14×128 ceil 0.31× → 0.72×. Wider rows keep this kernel
    /// (ShuffleNet's 112×112×24 padding 1: 2.4× either way; 56×56×64 ceil 1.1–1.3×).
    /// </remarks>
    internal static bool Separable(LayerPlan l, int epilogueOps, bool written) =>
        StrideTwoWindows(l)
            && l.Out.Width >= (l.KernelWidth == 3 ? 3 : 4)
            && (written || !(l.Out.Width < NarrowEdgeRow && l.WindowsLeaveInput))
            && epilogueOps == 0;

    /// <summary>A max pool of the shape <c>CnnGen.Pooling.MaxStride2</c> takes: horizontal stride 2, windows of 2–3 columns and rows, undilated.</summary>
    private static bool StrideTwoWindows(LayerPlan l) =>
        l.Kind == LayerKind.MaxPool && l.StrideX == 2 && l.StrideY >= 1
            && l.KernelWidth is 2 or 3 && l.KernelHeight is 2 or 3
            && l.DilationX == 1 && l.DilationY == 1;

    /// <summary>Output rows narrower than this whose windows leave the input skip <see cref="Separable"/> (see its remarks).</summary>
    private const int NarrowEdgeRow = 24;

    /// <summary>
    /// The widest row and tallest map the runtime's separable pools take (<c>CnnGen.Pooling.SeparableLimit</c>: its column
    /// sums with their slack plus its output row, and its output rows, in floats); larger pools keep the emitted kernels.
    /// </summary>
    private const int SeparableLimit = 4096;

    /// <summary>
    /// Whether the layer runs the runtime library's separable average or max pool (<c>CnnGen.Pooling.Average</c>,
    /// <c>CnnGen.Pooling.Maximum</c>: any window, stride and padding; an average's divisor counting padding or not): every
    /// pool the emitted kernels would run without vectors (an average that excludes padding, ONNX's default, which ran
    /// 0.17× ONNX Runtime; horizontal strides above 2; rows narrower than 4), pools whose windows leave the input (padding, or a
    /// ceil-mode window past the edge) on rows of 24 or more, where the emitted kernels needed a bordered copy of the
    /// input, the stride-2 max pools <see cref="Separable"/> leaves to it (narrow rows with such windows), windows of 16 taps or more (the emitted kernel
    /// loads every tap per vector; the separable one a column of them, then a row: averages too since session 12, measured
    /// in one process against ONNX Runtime, throwaway probe, best of 20 × 20 ms, load 20–30, emitted → runtime: 7×7/1 of
    /// 64×64×128 0.66–0.71× → 2.07–2.09×, 8×8/2 of 30×30×24 0.63–0.64× → 2.52–2.55×, 4×4/2 of 28×28×64 0.97–1.04× →
    /// 1.34–1.39×, of 56×56×32 0.87–0.89× → 0.99–1.06×, 5×5/1 of 20×20×64 1.04× → 1.36–1.42×; one channel pays the call,
    /// 4×4/2 of 28×28×1 0.2 → 0.5 µs, 8.6× → 3.2–3.5×), and narrow planes (<see cref="SmallPlanes"/>). Max pools with horizontal stride 2
    /// and windows of 2–3 keep <see cref="Separable"/> (which depends on whether the layer before writes into the
    /// input's −∞ border, <paramref name="written"/>). Not with a fused activation, nor beyond <see cref="SeparableLimit"/>.
    /// It clips its windows at the input's edges, so its input needs no border (<see cref="BufferPlan"/>) and the layer
    /// before writes a plain buffer. Unpadded pools keep the emitted kernels (whole windows, no copy: DenseNet's 2×2/2 on
    /// 56×56×128 ran 2.2× ONNX Runtime with them, 1.3× on the runtime kernel), and so do padded pools on narrower rows
    /// (8×8×1280 average: 0.93× with them, 0.71× on the runtime kernel, whose column sums cost more than the copy there).
    /// Measured in one process against ONNX Runtime (throwaway probe, best of 150 ms of runs, load 2–25), emitted →
    /// runtime kernel: Inception's 3×3/1 average with padding 1 on 35×35×192 0.79× → 0.96×, the same excluding padding
    /// 0.17× → 0.86× (351 → 70 µs), after a 1×1 conv 64 → 192 (conv and pool) 0.74× → 0.88×, 28×28×64 0.84× → 0.94×,
    /// 3×3/2 average with padding 1 on 35×35×64 0.74× → 0.83×; max 3×3/1 with padding 1 on 28×28×192 (GoogLeNet) 0.82× →
    /// 1.02–1.10×, YOLO's SPPF 5×5/1 with padding 2 on 20×20×256 0.62× → 0.88×, 3×3/3 on 28×28×96 0.41× → 0.69×, M5's
    /// 1-D 4/4 on 1000×128 0.50× → 0.53× (1.83–1.99× since windows of 4 at stride 4 are unzipped: <c>CnnGen.Pooling.Average</c>);
    /// but 1-D 3/3 on 100×64 1.38× → 1.19× (2 µs).
    /// </summary>
    internal static bool Windows(LayerPlan l, int epilogueOps, bool written) =>
        (l.Kind == LayerKind.AvgPool || (l.Kind == LayerKind.MaxPool && !Separable(l, epilogueOps, written)))
            && epilogueOps == 0
            && l.DilationX == 1 && l.DilationY == 1
            && (!EmittedVectors(l) || (l.WindowsLeaveInput && (l.In.Width >= 24 || StrideTwoWindows(l))) || l.KernelWidth * l.KernelHeight >= 16 || SamePlanes(l) || SmallPlanes(l))
            && ((System.Math.Max(l.PadLeft + l.In.Width, (l.Out.Width - 1) * l.StrideX + l.KernelWidth) + 2 * 16 + 15) & ~15) + l.Out.Width <= SeparableLimit
            && l.Out.Height <= SeparableLimit;

    /// <summary>
    /// Whether the runtime's pools fold the layer's planes as flat rows (<c>CnnGen.Pooling</c>'s same-size stride-1 pools:
    /// the same limits; the runtime checks too that the rows lie back to back, else folds a row at a time), planes of at
    /// least 8 AVX-512 vectors: smaller ones keep the emitted kernels (8×8×1280 average 3×3/1 with padding 1: 25.4 µs
    /// emitted, 30.5–34.6 µs flat). Measured in one process against ONNX Runtime (throwaway probe, best of 3 × 150 ms,
    /// load 44–51, CnnGen µs before → after): Inception's 17×17×768 average 3×3/1 padding 1 (emitted kernels with a
    /// bordered copy before) 81.9 → 60.2–60.4 (0.68–0.69× → 1.00–1.04×), YOLO's SPPF 5×5/1 on 20×20×256 51.3 → 35.8–37.2
    /// (0.86–0.88× → 1.26×), 35×35×192 average 68.1–69.5 → 59.6–60.9 (0.84–0.87× → 0.96–1.10×; excluding padding 0.84–0.92×
    /// → 1.06–1.10×), GoogLeNet's 3×3/1 max on 14×14×480 30.1–30.2 → 24.8–24.9 (0.83–0.84× → 0.94–1.02×), on 28×28×192
    /// 36.7 → 34.3–36.7 (unchanged).
    /// </summary>
    private static bool SamePlanes(LayerPlan l) =>
        l.StrideX == 1 && l.StrideY == 1 && l.Out.Width == l.In.Width && l.Out.Height == l.In.Height
            && l.In.Width < SameWidthLimit
            && (long)l.In.Width * l.In.Height is >= 8 * 16 and <= SamePlaneLimit
            && (long)l.KernelWidth * l.In.Width * l.In.Height <= 4 * SamePlaneLimit;

    /// <summary>
    /// Whether the runtime's pools take the layer's planes a row per register (<c>CnnGen.Pooling</c>'s small planes: input
    /// rows up to 31, output rows up to 32, on AVX-512; other machines run its row-at-a-time kernel) rather than the
    /// emitted kernels: output rows narrower than 8 (the emitted kernels' 4-wide vectors), and rows wider than 8 whose
    /// windows leave the input (the emitted kernels need a bordered copy of the input, then two 8-wide vectors a row).
    /// Measured in one process against ONNX Runtime (throwaway probe, best of 150 ms of runs, load 20–37), emitted →
    /// runtime, CnnGen µs: GoogLeNet's 3×3/1 max with padding 1 on 7×7×832 30.3 → 16.9 (0.37× → 0.74×), average 19.2 →
    /// 16.4, 13×13×256 max 12.0 → 10.4, VGG's 2×2/2 max of 4×4×512 7.9 → 3.0, DenseNet's 2×2/2 average of 14×14×256
    /// 4.6 → 4.9; kept emitted: 8×8×1280 average 3×3/1 with padding 1 24.9 (37.3 in registers), 2×2/1 max of 10×10×64
    /// 0.8 (1.5), 2×2/2 average of 28×28×256 11.2 (15.8).
    /// </summary>
    private static bool SmallPlanes(LayerPlan l) =>
        l.In.Width <= 31 && l.Out.Width <= 32 && l.KernelWidth <= 16
            && (l.Out.Width < 8 || (l.WindowsLeaveInput && l.Out.Width > 8));

    /// <summary><c>CnnGen.Pooling</c>'s widest row and largest plane for its flat same-size pools.</summary>
    private const int SameWidthLimit = 48, SamePlaneLimit = 1600;

    /// <summary>Whether the emitted kernels run the layer with vectors (<see cref="Emit"/>): otherwise their scalar kernel does.</summary>
    private static bool EmittedVectors(LayerPlan l) =>
        l.Out.Width >= 4
            && (l.StrideX == 1 || l.StrideX == 2)
            && (l.Kind == LayerKind.MaxPool || ConstantDivisor(l, out _));

    /// <summary>The layer's method: one call of the runtime library's average or max pool (every instruction set, scalar included).</summary>
    private static void WindowsCall(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        bool max = l.Kind == LayerKind.MaxPool;
        // An average divides by the window's elements inside the input, and inside the padding too when it counts (never a ceil-mode overhang).
        (int countTop, int countBottom, int countLeft, int countRight) = max || l.ExcludePadding ? (0, 0, 0, 0) : (l.PadTop, l.PadBottom, l.PadLeft, l.PadRight);
        MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}(ref float input, ref float output)"))
        {
            w.Line((max ? "// Separable: the maximum down each column of the window, then across its columns (CnnGen.Pooling)"
                    : "// Separable: the window's rows summed down each column, then its columns, scaled by the counted elements (CnnGen.Pooling)")
                + (l.PadTop + l.PadLeft + l.PadBottom + l.PadRight > 0 ? "; windows clipped at the input's edges." : "."));
            w.Line($"global::CnnGen.Pooling.{(max ? "Maximum" : "Average")}(new global::CnnGen.PoolShape(Channels: {Int(l.In.Depth)}, KernelWidth: {Int(l.KernelWidth)}, KernelHeight: {Int(l.KernelHeight)}, StrideX: {Int(l.StrideX)}, StrideY: {Int(l.StrideY)},");
            w.Line($"    OutputWidth: {Int(l.Out.Width)}, OutputHeight: {Int(l.Out.Height)}, InputRowStride: {Int(src.RowStride)}, InputPlaneStride: {Int(src.PlaneStride)}, OutputRowStride: {Int(dst.RowStride)}, OutputPlaneStride: {Int(dst.PlaneStride)},");
            w.Line($"    InputWidth: {Int(l.In.Width)}, InputHeight: {Int(l.In.Height)}, PadTop: {Int(l.PadTop)}, PadLeft: {Int(l.PadLeft)},");
            w.Line($"    CountedTop: {Int(countTop)}, CountedBottom: {Int(countBottom)}, CountedLeft: {Int(countLeft)}, CountedRight: {Int(countRight)}),");
            w.Line("    ref input, ref output);");
        }
    }

    /// <summary>The layer's method: one call of the runtime library's separable max pool (every instruction set, scalar included).</summary>
    private static void SeparableCall(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        // A bordered input (see Bordered) is read from its top-left corner, border included: every window is whole.
        (int width, int height, int padTop, int padLeft) = step.Padded is PaddedRegion border
            ? (border.Width, border.Height, 0, 0)
            : (l.In.Width, l.In.Height, l.PadTop, l.PadLeft);
        MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}(ref float input, ref float output)"))
        {
            bool leaves = l.PadTop > 0 || l.PadLeft > 0 || (l.Out.Width - 1) * 2 + l.KernelWidth > l.In.Width || (l.Out.Height - 1) * l.StrideY + l.KernelHeight > l.In.Height;
            w.Line("// Separable: the maximum down each column of the window, then across the columns (CnnGen.Pooling)"
                + (step.Padded is not null ? "; the input has a −∞ border." : leaves ? "; windows clipped at the input's edges." : "."));
            w.Line($"global::CnnGen.Pooling.MaxStride2(new global::CnnGen.MaxPoolShape(Channels: {Int(l.In.Depth)}, KernelWidth: {Int(l.KernelWidth)}, KernelHeight: {Int(l.KernelHeight)}, StrideY: {Int(l.StrideY)},");
            w.Line($"    OutputWidth: {Int(l.Out.Width)}, OutputHeight: {Int(l.Out.Height)}, InputRowStride: {Int(src.RowStride)}, InputPlaneStride: {Int(src.PlaneStride)}, OutputRowStride: {Int(dst.RowStride)}, OutputPlaneStride: {Int(dst.PlaneStride)},");
            w.Line($"    InputWidth: {Int(width)}, InputHeight: {Int(height)}, PadTop: {Int(padTop)}, PadLeft: {Int(padLeft)}),");
            w.Line("    ref input, ref output);");
        }
    }

    /// <summary>The AVX2 kernel (<paramref name="width"/> 8) or the portable <c>Vector128</c> one (4).</summary>
    private static void VectorKernel(SourceWriter w, Step step, int width)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int whole = l.Out.Width / width * width;
        string name = width == 8 ? "Avx2" : "Vector128";
        KernelHeader(w, $"{l.Name} on {name}: {width} output columns at a time.");
        using (w.Block($"private static void {step.Method}{name}(ref float input, ref float output)"))
        {
            using (w.Block($"for (int c = 0; c < {Int(l.In.Depth)}; c++)"))
            {
                using (w.Block($"for (int oy = 0; oy < {Int(l.Out.Height)}; oy++)"))
                {
                    w.Line($"ref float inputRow = ref {U}.Add(ref input, c * {Int(src.PlaneStride)} + oy * {Int((long)l.StrideY * src.RowStride)});");
                    w.Line($"ref float outputRow = ref {U}.Add(ref output, c * {Int(dst.PlaneStride)} + oy * {Int(dst.RowStride)});");
                    using (w.Loop("ox", 0, whole, width))
                    {
                        Vector(w, step, "ox", width);
                    }
                    if (whole != l.Out.Width)
                    {
                        using (w.Block($"// the last {width} columns, overlapping the ones before"))
                        {
                            Vector(w, step, Int(l.Out.Width - width), width);
                        }
                    }
                }
            }
        }
    }

    /// <summary>One vector of <paramref name="width"/> outputs starting at output column <paramref name="ox"/>.</summary>
    private static void Vector(SourceWriter w, Step step, string ox, int width)
    {
        if (width == 4)
        {
            Vector4(w, step, ox);
            return;
        }
        LayerPlan l = step.Layer;
        Region src = step.Source;
        bool max = l.Kind == LayerKind.MaxPool;
        string combine(string a, string b) => max ? $"{Avx}.Max({a}, {b})" : $"{Avx}.Add({a}, {b})";
        w.Line($"{Aliases.Float8} value = {(max ? $"{V}.Create(float.NegativeInfinity)" : $"{Aliases.Float8}.Zero")};");
        for (int ky = 0; ky < l.KernelHeight; ky++)
        {
            long rowOffset = (long)ky * src.RowStride;
            if (l.StrideX == 1)
            {
                for (int kx = 0; kx < l.KernelWidth; kx++)
                {
                    w.Line($"value = {combine("value", $"{V}.LoadUnsafe(ref inputRow, (nuint)({ox} + {Int(rowOffset + kx)}))")};");
                }
                continue;
            }
            // Stride 2: window column kx of 8 outputs is every other input from 2 · ox + kx: inputs 0..7 and
            // 7..14 give lanes 0, 2 | 8, 10 per 128-bit half (then 4, 6 | 12, 14), and nothing past the
            // last one is read (the caller's input has no slack after it).
            for (int kx = 0; kx < l.KernelWidth; kx++)
            {
                string at = $"2 * {ox} + {Int(rowOffset + kx)}";
                w.Line($"value = {combine("value", $"{Avx}.Shuffle({V}.LoadUnsafe(ref inputRow, (nuint)({at})), {V}.LoadUnsafe(ref inputRow, (nuint)({at} + 7)), 0b11_01_10_00)")};");
            }
        }
        if (l.StrideX == 2)
        {
            w.Line("// The shuffles left the 128-bit halves interleaved: put the 8 outputs in order.");
            w.Line($"value = {V}.AsSingle({Avx2}.Permute4x64({V}.AsDouble(value), 0b11_01_10_00));");
        }
        if (!max)
        {
            ConstantDivisor(l, out int divisor);
            w.Line($"value = {Avx}.Divide(value, {V}.Create({Int(divisor)}f));");
        }
        if (step.Epilogue.Count > 0)
        {
            w.Line($"value = {Epilogue.Vector(step.Epilogue, "value", new VectorApi(Aliases.Float8, V, Avx + ".Max", Avx + ".Min"))};");
        }
        w.Line($"{V}.StoreUnsafe(value, ref outputRow, (nuint)({ox}));");
    }

    /// <summary>One vector of 4 outputs from output column <paramref name="ox"/> on, in portable <c>Vector128</c> operators.</summary>
    private static void Vector4(SourceWriter w, Step step, string ox)
    {
        LayerPlan l = step.Layer;
        string v = Aliases.Vector128;
        bool max = l.Kind == LayerKind.MaxPool;
        w.Line($"{Aliases.Float4} value = {(max ? $"{v}.Create(float.NegativeInfinity)" : $"{Aliases.Float4}.Zero")};");
        for (int ky = 0; ky < l.KernelHeight; ky++)
        {
            for (int kx = 0; kx < l.KernelWidth; kx++)
            {
                string at = $"{(l.StrideX == 1 ? ox : "2 * " + ox)} + {Int((long)ky * step.Source.RowStride + kx)}";
                string load = l.StrideX == 1
                    ? $"{v}.LoadUnsafe(ref inputRow, (nuint)({at}))"
                    : $"{Aliases.Kernels}Columns(ref {U}.Add(ref inputRow, {at}), 2)"; // every other input, in order
                w.Line(max ? $"value = {v}.Max(value, {load});" : $"value += {load};");
            }
        }
        if (!max)
        {
            ConstantDivisor(l, out int divisor);
            w.Line($"value /= {v}.Create({Int(divisor)}f);");
        }
        if (step.Epilogue.Count > 0)
        {
            w.Line($"value = {Epilogue.Vector(step.Epilogue, "value", new VectorApi(Aliases.Float4, v))};");
        }
        w.Line($"{v}.StoreUnsafe(value, ref outputRow, (nuint)({ox}));");
    }

    private static void Scalar(SourceWriter w, Step step, string method)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        bool max = l.Kind == LayerKind.MaxPool;
        VariantHeader(w, step, method, l.Name + " without vector instructions.");
        using (w.Block($"private static void {method}(ref float input, ref float output)"))
        {
            using (w.Block($"for (int c = 0; c < {Int(l.In.Depth)}; c++)"))
            {
                using (w.Block($"for (int oy = 0; oy < {Int(l.Out.Height)}; oy++)"))
                {
                    w.Line($"ref float row = ref {U}.Add(ref output, c * {Int(dst.PlaneStride)} + oy * {Int(dst.RowStride)});");
                    if (!max)
                    {
                        AvgRows(w, l);
                    }
                    using (w.Block($"for (int ox = 0; ox < {Int(l.Out.Width)}; ox++)"))
                    {
                        w.Line($"ref float window = ref {U}.Add(ref input, c * {Int(src.PlaneStride)} + oy * {Int((long)l.StrideY * src.RowStride)} + ox * {Int(l.StrideX)});");
                        w.Line(max ? "float value = float.NegativeInfinity;" : "float value = 0f;");
                        var loops = new[]
                        {
                            new Loop("ky", l.KernelHeight, src.RowStride, 0),
                            new Loop("kx", l.KernelWidth, 1, 0),
                        };
                        Nest(w, loops, 0, 0, 0, "", (input, _) => max
                            ? $"value = global::System.MathF.Max(value, {U}.Add(ref window, {input}));"
                            : $"value += {U}.Add(ref window, {input});");
                        if (!max)
                        {
                            AvgDivide(w, l);
                        }
                        w.Line($"{U}.Add(ref row, ox) = " + Store(step, "value") + ";");
                    }
                }
            }
        }
    }

    /// <summary>The rows of an average-pool window that count, when they vary with the output row.</summary>
    private static void AvgRows(SourceWriter w, LayerPlan l)
    {
        if (!ConstantDivisor(l, out _))
        {
            (int start, int limit) = CountedRange(l.PadTop, l.In.Height, l.PadBottom, l.ExcludePadding);
            w.Line($"int rows = global::System.Math.Min(oy * {Int(l.StrideY)} + {Int(l.KernelHeight)}, {Int(limit)}) - global::System.Math.Max(oy * {Int(l.StrideY)}, {Int(start)});");
        }
    }

    private static void AvgDivide(SourceWriter w, LayerPlan l)
    {
        if (ConstantDivisor(l, out int divisor))
        {
            w.Line($"value /= {Int(divisor)};");
            return;
        }
        (int start, int limit) = CountedRange(l.PadLeft, l.In.Width, l.PadRight, l.ExcludePadding);
        w.Line($"int columns = global::System.Math.Min(ox * {Int(l.StrideX)} + {Int(l.KernelWidth)}, {Int(limit)}) - global::System.Math.Max(ox * {Int(l.StrideX)}, {Int(start)});");
        w.Line("value /= rows * columns;");
    }

    /// <summary>
    /// The span of padded coordinates whose elements count towards an average: the real input only,
    /// or the input with its padding (PyTorch's <c>count_include_pad</c>; ceil-mode overhang never counts).
    /// </summary>
    internal static (int Start, int Limit) CountedRange(int before, int size, int after, bool excludePadding) =>
        excludePadding ? (before, before + size) : (0, before + size + after);

    /// <summary>True when every window divides by the full window area.</summary>
    internal static bool ConstantDivisor(LayerPlan l, out int divisor)
    {
        divisor = l.KernelWidth * l.KernelHeight;
        bool Fits(int outCount, int stride, int window, int before, int size, int after)
        {
            (int start, int limit) = CountedRange(before, size, after, l.ExcludePadding);
            return start == 0 && (outCount - 1) * stride + window <= limit;
        }
        return Fits(l.Out.Width, l.StrideX, l.KernelWidth, l.PadLeft, l.In.Width, l.PadRight)
            && Fits(l.Out.Height, l.StrideY, l.KernelHeight, l.PadTop, l.In.Height, l.PadBottom);
    }

}
