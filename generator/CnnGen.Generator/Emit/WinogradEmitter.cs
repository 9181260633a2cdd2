using System;
using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using CnnGen.Geometry;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Convolutions that run as Winograd F(2×2, 3×3) (<c>CnnGen.Winograd</c> in the runtime library): 3×3, stride 1,
/// dilation 1, one group, with enough channels that the matrix products dominate and a map wide enough that
/// 16-wide vectors of tiles are mostly full (see <see cref="Selected"/>). The kernel is written once in the runtime
/// library (AVX-512, AVX2/FMA and Vector128 paths); the generated code holds the layer's shape, its fused
/// activations as a struct, and the scalar direct kernel for machines without vector instructions.
/// <para>
/// The transformed weights <c>U = G·g·Gᵀ</c> are computed once, by the constructor, into room after the parameters
/// (<c>{Layer}Transformed</c>); the transformed tiles live in a workspace of the thread's scratch that
/// <see cref="BufferPlan"/> reserves for the step alone.
/// </para>
/// </summary>
internal static class WinogradEmitter
{
    /// <summary>
    /// Fewest input channels and filters: at 8 the transforms cost more than the products save (32×32: 1.71× ORT
    /// against 2.21× direct), at 16 the two are even, from 32 Winograd wins (see the benchmarks' README).
    /// </summary>
    private const int MinChannels = 16;

    /// <summary>
    /// Fewest tile columns (2 output columns each) in the last 16-wide vector of a tile row: a map 24 columns wide fills
    /// 12 of 16 lanes and still wins (24×24, 32 channels: 1.18× ORT against 0.94× direct); half-full vectors lose
    /// (ResNet's 16×16 maps, 64 channels: 0.68× against 0.87×).
    /// </summary>
    private const int MinLastVectorTiles = 12;

    /// <summary>Largest workspace or transformed weights of one layer, in floats (256 MB): beyond, direct convolution.</summary>
    private const long MaxLength = 1L << 26;

    /// <summary>Whether <paramref name="l"/> runs as Winograd F(2×2, 3×3).</summary>
    public static bool Selected(LayerPlan l)
    {
        if (l.Kind != LayerKind.Conv || l.Groups != 1 || l.KernelWidth != 3 || l.KernelHeight != 3
            || l.StrideX != 1 || l.StrideY != 1 || l.DilationX != 1 || l.DilationY != 1
            || l.In.Depth < MinChannels || l.Out.Depth < MinChannels || l.Out.Height < 2)
        {
            return false;
        }
        int tilesX = (l.Out.Width + 1) / 2;
        int last = tilesX % WinogradSizes.MaxWidth == 0 ? WinogradSizes.MaxWidth : tilesX % WinogradSizes.MaxWidth;
        return last >= MinLastVectorTiles
            && WinogradSizes.TransformedLength(l.Out.Depth, l.In.Depth) <= MaxLength
            && WinogradSizes.WorkspaceLength(l.In.Depth) <= MaxLength;
    }

    /// <summary>Floats of scratch the step needs while it runs (0 when it is not a Winograd step).</summary>
    public static int WorkspaceLength(LayerPlan l) => Selected(l) ? (int)WinogradSizes.WorkspaceLength(l.In.Depth) : 0;

    /// <summary>The Winograd layers of the plan, in step order.</summary>
    private static List<LayerPlan> Layers(BufferPlan buffers)
    {
        var layers = new List<LayerPlan>();
        foreach (Step step in buffers.Steps)
        {
            if (!step.Aliased && Selected(step.Layer))
            {
                layers.Add(step.Layer);
            }
        }
        return layers;
    }

    /// <summary>Floats of transformed weights the constructor appends to its copy of the parameters.</summary>
    public static long TransformedLength(BufferPlan buffers)
    {
        long total = 0;
        foreach (LayerPlan l in Layers(buffers))
        {
            total += WinogradSizes.TransformedLength(l.Out.Depth, l.In.Depth);
        }
        return total;
    }

    /// <summary>The <c>{Layer}Transformed</c> constants: where each Winograd layer's transformed weights start.</summary>
    public static void Constants(SourceWriter w, BufferPlan buffers, long start)
    {
        long at = start;
        foreach (LayerPlan l in Layers(buffers))
        {
            w.Line($"/// <summary>Where {l.Name}'s Winograd-transformed weights [16][{WinogradSizes.PaddedFilters(l.Out.Depth) / WinogradSizes.FilterBlock}][{l.In.Depth}][{WinogradSizes.FilterBlock}] start (after the parameters; the constructor computes them).</summary>");
            w.Line($"private const int {l.Name}Transformed = {Int(at)};");
            at += WinogradSizes.TransformedLength(l.Out.Depth, l.In.Depth);
        }
    }

    /// <summary>The constructor's transforms, after any folding into the weights.</summary>
    public static void TransformCalls(SourceWriter w, BufferPlan buffers)
    {
        foreach (LayerPlan l in Layers(buffers))
        {
            w.Line($"global::CnnGen.Winograd.TransformWeights(_parameters, {l.Name}Parameters, {Int(l.Out.Depth)}, {Int(l.In.Depth)}, {l.Name}Transformed);");
        }
    }

    /// <summary>The layer's method (Winograd, or the scalar kernel without vector instructions), its epilogue struct, and the scalar kernel.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="step">A step whose layer is <see cref="Selected"/>.</param>
    /// <param name="scalar">Emits the scalar direct kernel under the given method name.</param>
    public static void Emit(SourceWriter w, Step step, Action<string> scalar)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int inputWidth = step.Padded?.Width ?? l.In.Width, inputHeight = step.Padded?.Height ?? l.In.Height;
        string epilogue = step.Epilogue.Count == 0 ? "global::CnnGen.WinogradIdentity" : l.Name + "Epilogue";
        LayerEmitter.MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}(ref float input, ref float output, ref float weights, ref float workspace)"))
        {
            using (w.Block($"if ({Aliases.Vector128}.IsHardwareAccelerated)"))
            {
                w.Line($"// Winograd F(2×2, 3×3): 16 products per 2×2 outputs, input channel and filter instead of 36 (CnnGen.Winograd).");
                w.Line($"global::CnnGen.Winograd.Conv3x3<{epilogue}>(");
                w.Line($"    new global::CnnGen.WinogradConv(Channels: {Int(l.In.Depth)}, Filters: {Int(l.Out.Depth)},");
                w.Line($"        InputWidth: {Int(inputWidth)}, InputHeight: {Int(inputHeight)}, InputRowStride: {Int(src.RowStride)}, InputPlaneStride: {Int(src.PlaneStride)},");
                w.Line($"        OutputWidth: {Int(l.Out.Width)}, OutputHeight: {Int(l.Out.Height)}, OutputRowStride: {Int(dst.RowStride)}, OutputPlaneStride: {Int(dst.PlaneStride)},");
                w.Line($"        BiasOffset: {Int(l.WeightCount)}, TransformedOffset: {l.Name}Transformed - {l.Name}Parameters),");
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
            EpilogueStruct(w, step, epilogue);
        }
        w.Line();
        scalar(step.Method + "Scalar");
    }

    /// <summary>The layer's fused activations as the struct the runtime kernel calls on each vector of outputs (also <see cref="DirectConvEmitter"/>'s).</summary>
    internal static void EpilogueStruct(SourceWriter w, Step step, string name, string kernel = "Winograd")
    {
        w.Line($"/// <summary>{LayerEmitter.Xml(step.Layer.Name)}'s fused activations ({LayerEmitter.Xml(Epilogue.Describe(step.Epilogue).TrimStart(' ', '+'))}) for the {kernel} kernel.</summary>");
        using (w.Block($"private readonly struct {name} : global::CnnGen.IWinogradEpilogue"))
        {
            var site = new EpilogueSite("channel");
            foreach ((string type, string @static) in new[] { (Aliases.Float16, Aliases.Vector512), (Aliases.Float8, Aliases.Vector256), (Aliases.Float4, Aliases.Vector128) })
            {
                w.Line($"public static {type} Apply({type} value, ref float weights, int channel) => {Epilogue.Vector(step.Epilogue, "value", new VectorApi(type, @static), site)};");
            }
        }
    }
}
