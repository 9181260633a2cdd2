using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// The activations whose math lives in the runtime library's <c>CnnGen.Kernels</c> (sigmoid, tanh, GELU, …): one
/// call, the same text for a scalar and for every vector width (the overload follows the value's type), so the
/// scalar and vector kernels compute the same numbers. Also the rule for which kernels such an op may fold into.
/// </summary>
internal static class ActivationEpilogue
{
    private const string Kernels = Aliases.Kernels;

    /// <summary><paramref name="value"/> through <paramref name="op"/>; <paramref name="site"/> gives PRelu its channel's slope.</summary>
    public static string Expression(EpilogueOp op, string value, EpilogueSite? site) => op.Kind switch
    {
        LayerKind.LeakyRelu => $"{Kernels}LeakyRelu({value}, {Float(op.Alpha)})",
        LayerKind.Clip => $"{Kernels}Clip({value}, {Float(op.Alpha)}, {Float(op.Beta)})",
        LayerKind.Sigmoid => $"{Kernels}Sigmoid({value})",
        LayerKind.Tanh => $"{Kernels}Tanh({value})",
        LayerKind.HardSigmoid => $"{Kernels}HardSigmoid({value}, {Float(op.Alpha)}, {Float(op.Beta)})",
        LayerKind.HardSwish => $"{Kernels}HardSwish({value})",
        LayerKind.Silu => $"{Kernels}Silu({value})",
        LayerKind.Gelu => op.Approximate ? $"{Kernels}GeluTanh({value})" : $"{Kernels}Gelu({value})",
        LayerKind.Elu => $"{Kernels}Elu({value}, {Float(op.Alpha)})",
        LayerKind.PRelu => $"{Kernels}LeakyRelu({value}, {Slope(op, site)})",
        _ => throw new UnhandledKindException(op.Kind, nameof(Epilogue)),
    };

    /// <summary>PRelu's slope for the stored value's channel, read from the kernel's parameters.</summary>
    private static string Slope(EpilogueOp op, EpilogueSite? site)
    {
        if (site is null || op.ParameterOffset < 0)
        {
            // BufferPlan folds a per-channel op only into kernels that pass a site (see CanFold): a bug otherwise.
            throw new UnhandledKindException(op.Kind, nameof(ActivationEpilogue) + " without a channel");
        }
        string offset = op.ParameterOffset == 0 ? site.Channel : $"{Int(op.ParameterOffset)} + {site.Channel}";
        return $"{Aliases.Unsafe}.Add(ref {site.Parameters}, {offset})";
    }

    /// <summary>
    /// Whether <paramref name="activation"/> may fold into <paramref name="owner"/>'s store. An activation with
    /// parameters (PRelu's slopes) needs a kernel that receives parameters and knows each value's channel: a
    /// convolution, a fully connected layer, or a PRelu pass.
    /// </summary>
    public static bool CanFold(LayerPlan owner, LayerPlan activation) =>
        activation.ParameterCount == 0
        || (owner.ParameterCount > 0 && owner.Kind is LayerKind.Conv or LayerKind.FullyConnected or LayerKind.PRelu);

    /// <summary>
    /// The ops a kernel applies in its store, and the ones after them that it leaves to an in-place pass over its output
    /// (<see cref="Pass"/>): the activations with an exponential (sigmoid, SiLU, tanh, GELU, ELU) after a conv or fully
    /// connected kernel, when nothing but such activations follows them. They are too long to inline (see
    /// <c>CnnGen.Kernels</c>), and a call after a register tile makes the JIT spill every accumulator live across it in
    /// the tile's inner loop: a 1×1 conv 80→480 on 14×14 took 82 µs without activation and 336 µs with SiLU called on each
    /// stored vector (Zen 5, AVX-512), the same conv and a SiLU pass over its output (34 µs for the pass alone) about 137 µs on a loaded machine. Pools keep few values
    /// in registers and call the activation in their store as before; element-wise steps run these activations as passes
    /// after their loop (see <c>ElementWiseEmitter</c>).
    /// <para>
    /// The depthwise kernels (few accumulators) cannot inline it either: with SiLU folded into their stores and
    /// <c>Kernels.Silu</c> marked for aggressive inlining, the JIT's inlining budget ran out inside the unrolled kernel
    /// methods and left the math's lane operators as calls: dw 5×5 on 7×7×1152 + SiLU 60 → 173 µs, 5×5 on 14×14×672
    /// 99 → 181 µs, 5×5/2 from 56×56×144 123 → 253 µs (SiLU as a pass → folded, AVX-512, session 6). The pass it is, made cheaper instead
    /// (fused multiply-adds, an AVX-512 loop with its constants in registers: <c>ActivationPass</c>).
    /// </para>
    /// </summary>
    public static (List<EpilogueOp> Fused, List<EpilogueOp> Deferred) Split(LayerPlan owner, IReadOnlyList<EpilogueOp> ops)
    {
        bool kernel = owner.Kind is LayerKind.Conv or LayerKind.FullyConnected or LayerKind.ConvTranspose;
        return SplitSuffix(ops, kernel ? PassSuffix(ops, ChannelConvEmitter.AppliesTo(owner)) : ops.Count);
    }

    /// <summary>
    /// Where the longest suffix of <paramref name="ops"/> that can run as in-place passes starts (<paramref name="ops"/>'
    /// count when none can): a cheap op after them (a clip, a ReLU) keeps them all in the store.
    /// </summary>
    public static int PassSuffix(IReadOnlyList<EpilogueOp> ops, bool channelKernel)
    {
        int first = ops.Count;
        while (first > 0 && IsPass(ops[first - 1].Kind, channelKernel))
        {
            first--;
        }
        return first;
    }

    /// <summary><paramref name="ops"/> cut at <paramref name="first"/>: the ops before it, and the ones from it on.</summary>
    public static (List<EpilogueOp> Before, List<EpilogueOp> From) SplitSuffix(IReadOnlyList<EpilogueOp> ops, int first)
    {
        var before = new List<EpilogueOp>();
        var from = new List<EpilogueOp>();
        for (int i = 0; i < ops.Count; i++)
        {
            (i < first ? before : from).Add(ops[i]);
        }
        return (before, from);
    }

    /// <summary>
    /// Whether <paramref name="kind"/> runs as an in-place pass in <c>CnnGen.Kernels</c>. On the channel-vectorized
    /// kernel (<paramref name="channelKernel"/>) Clip and hard swish do too: its methods hold 14 register tiles' stores
    /// in three instruction-set variants, the inliner's budget runs out and <c>Kernels.Clip</c> stays a call with the
    /// same spills. A 1×1 conv 320 → 1280 on 7×7 took 181 µs with no activation or ReLU, 566 µs with <c>Clip(0, 6)</c>
    /// and 503 µs with hard swish (AVX-512, quiet machine). Hard sigmoid (MobileNetV3's squeeze-excitation gate, a 1×1
    /// conv on a 1×1 map, which takes that kernel) is the same kind of call and goes the same way.
    /// </summary>
    private static bool IsPass(LayerKind kind, bool channelKernel) =>
        kind is LayerKind.Sigmoid or LayerKind.Silu or LayerKind.Tanh or LayerKind.Gelu or LayerKind.Elu
        || (channelKernel && kind is LayerKind.Clip or LayerKind.HardSwish or LayerKind.HardSigmoid);

    /// <summary>
    /// The statement that applies <paramref name="op"/> in place to <paramref name="volume"/> stored at
    /// <paramref name="start"/> (a <c>ref float</c> expression) with <paramref name="region"/>'s strides.
    /// </summary>
    /// <remarks>
    /// With <paramref name="zeroBorder"/> (the volume is the interior of a bordered buffer whose border holds zeros,
    /// see <see cref="NetworkEmitter.InZeroBorder"/>) an activation that maps +0 to +0 (<see cref="KeepsZero"/>) runs
    /// over each plane as one dense run from its first to its last interior value: the border columns between the rows
    /// go through it and stay +0, and the pass needs no per-lane column mask. SiLU over the interior of 1×1 convs'
    /// bordered outputs (throwaway harness, AVX-512, one thread, load 9–10, best of 8 × 20 runs, µs, masked → dense
    /// run): 112×112×96 with a 1-wide border 280 → 187, 56×56×144 106 → 73, 14×14×672 with a 2-wide border 36.3 → 28.6.
    /// </remarks>
    public static string Pass(EpilogueOp op, string start, Volume volume, Region region, bool zeroBorder = false)
    {
        if (zeroBorder && KeepsZero(op.Kind) && region.RowStride != volume.Width && volume.Height > 1)
        {
            int run = (volume.Height - 1) * region.RowStride + volume.Width;
            volume = new Volume(run, 1, volume.Depth);
            region = region with { RowStride = run };
        }

        string name = op.Kind switch
        {
            LayerKind.Sigmoid => "SigmoidInPlace",
            LayerKind.Silu => "SiluInPlace",
            LayerKind.Tanh => "TanhInPlace",
            LayerKind.Gelu => op.Approximate ? "GeluTanhInPlace" : "GeluInPlace",
            LayerKind.Elu => "EluInPlace",
            LayerKind.Clip => "ClipInPlace",
            LayerKind.HardSwish => "HardSwishInPlace",
            LayerKind.HardSigmoid => "HardSigmoidInPlace",
            _ => throw new UnhandledKindException(op.Kind, nameof(Pass)),
        };
        string alpha = op.Kind switch
        {
            LayerKind.Elu => ", " + Float(op.Alpha),
            LayerKind.Clip or LayerKind.HardSigmoid => ", " + Float(op.Alpha) + ", " + Float(op.Beta),
            _ => "",
        };
        return $"{Kernels}{name}({start}, {Int(volume.Width)}, {Int(volume.Height)}, {Int(volume.Depth)}, {Int(region.RowStride)}, {Int(region.PlaneStride)}{alpha});";
    }

    /// <summary>
    /// Whether the pass of <paramref name="kind"/> gives exactly +0 for +0 (its math is exact at ±0, see
    /// <c>ActivationMath</c>), so it may run over a zero border without changing it.
    /// </summary>
    private static bool KeepsZero(LayerKind kind) => kind is LayerKind.Silu or LayerKind.Tanh or LayerKind.Gelu;

    /// <summary>Whether any op reads per-channel parameters (the kernel must then know each value's channel).</summary>
    public static bool AnyPerChannel(IEnumerable<EpilogueOp> ops)
    {
        foreach (EpilogueOp op in ops)
        {
            if (op.ParameterOffset >= 0)
            {
                return true;
            }
        }
        return false;
    }
}
