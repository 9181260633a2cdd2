using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using CnnGen.Generator.Model;

namespace CnnGen.Generator.Shapes;

/// <summary>
/// The shape stage: resolves every layer's output size, parameter count and cost from the
/// attributes as written, and lists every problem with the numbers involved. Pure C#: no Roslyn
/// types, no exceptions for bad input.
/// </summary>
internal static class ShapeInference
{
    /// <summary>Output size along one axis, or a reason it cannot be computed.</summary>
    private readonly record struct AxisResult(long Size, ShapeProblem? Error, ShapeProblem? Warning);

    public static (NetworkPlan Plan, ImmutableArray<ShapeProblem> Problems) Infer(NetworkSpec spec)
    {
        var problems = ImmutableArray.CreateBuilder<ShapeProblem>();
        var layers = ImmutableArray.CreateBuilder<LayerPlan>();
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
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            anyLayer |= spec.Layers[i].Kind != LayerKind.Input;
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

        var names = new Dictionary<LayerKind, int>();
        Volume current = input;
        long parameters = 0, largestOutput = 0, bordered = 0;
        string? softmax = null, fullyConnected = null;
        for (int index = 0; index < spec.Layers.Count; index++)
        {
            LayerSpec layer = spec.Layers[index];
            if (layer.Kind == LayerKind.Input)
            {
                continue;
            }
            if (softmax is not null)
            {
                problems.Add(ShapeProblem.Create(ProblemKind.LayerAfterSoftmax, index, null, AttributeName(layer.Kind)));
                valid = false;
                continue;
            }
            if (!valid)
            {
                continue; // sizes after a broken layer are unknown; keep looking only for ordering mistakes
            }

            names.TryGetValue(layer.Kind, out int count);
            names[layer.Kind] = ++count;
            string name = LayerName(layer.Kind) + count.ToString(CultureInfo.InvariantCulture);

            if (fullyConnected is not null && layer.Kind is LayerKind.Conv or LayerKind.MaxPool or LayerKind.AvgPool)
            {
                problems.Add(ShapeProblem.Create(ProblemKind.SpatialAfterFullyConnected, index, null, AttributeName(layer.Kind), fullyConnected));
                valid = false;
                continue;
            }

            LayerPlan? plan = layer.Kind switch
            {
                LayerKind.Conv => Conv(layer, index, name, current, problems),
                LayerKind.MaxPool or LayerKind.AvgPool => Pool(layer, index, name, current, problems),
                LayerKind.FullyConnected => FullyConnected(layer, index, name, current, problems),
                _ => new LayerPlan(layer.Kind, name, current, current),
            };
            if (plan is null)
            {
                valid = false;
                continue;
            }

            if (plan.Out.Length > int.MaxValue)
            {
                problems.Add(ShapeProblem.Create(ProblemKind.TooLarge, index, null, name, "the output volume " + plan.Out, Format(plan.Out.Length)));
                valid = false;
                continue;
            }
            if ((long)plan.PaddedWidth * plan.PaddedHeight * plan.In.Depth > int.MaxValue)
            {
                problems.Add(ShapeProblem.Create(ProblemKind.TooLarge, index, null, name, "the padded input", Format((long)plan.PaddedWidth * plan.PaddedHeight * plan.In.Depth)));
                valid = false;
                continue;
            }
            // Scratch memory (see BufferPlan): two buffers as large as the largest output before this
            // layer, plus a bordered copy of the input of every padded (or ceil-mode) layer.
            if (plan.Kind is LayerKind.Conv or LayerKind.MaxPool or LayerKind.AvgPool && (plan.HasPadding || plan.CeilMode))
            {
                bordered += ((long)plan.PaddedWidth + plan.StrideX) * ((long)plan.PaddedHeight + plan.StrideY) * plan.In.Depth;
            }
            if (2 * largestOutput + bordered > int.MaxValue)
            {
                problems.Add(ShapeProblem.Create(ProblemKind.TooLarge, index, null, name, "the scratch memory up to this layer", Format(2 * largestOutput + bordered)));
                valid = false;
                continue;
            }
            largestOutput = Math.Max(largestOutput, plan.Out.Length);
            if (plan.Kind is LayerKind.Conv or LayerKind.FullyConnected)
            {
                long layerParameters = ParameterCountOf(plan);
                if (parameters + layerParameters > int.MaxValue)
                {
                    problems.Add(ShapeProblem.Create(ProblemKind.TooLarge, index, null, name, "the parameter count", Format(parameters + layerParameters)));
                    valid = false;
                    continue;
                }
                plan = plan with
                {
                    ParameterOffset = (int)parameters,
                    ParameterCount = (int)layerParameters,
                    MultiplyAdds = (layerParameters - plan.Out.Depth) * (plan.Out.Width * (long)plan.Out.Height),
                };
                parameters += layerParameters;
            }

            if (layer.Kind == LayerKind.Softmax)
            {
                softmax = name;
            }
            if (layer.Kind == LayerKind.FullyConnected)
            {
                fullyConnected = name;
            }
            layers.Add(plan);
            current = plan.Out;
        }

        foreach (ShapeProblem problem in problems)
        {
            valid &= problem.Kind == ProblemKind.InexactDivision;
        }
        var network = new NetworkPlan(spec.Type, input, layers.ToEquatableArray(), valid ? (int)parameters : 0, valid)
        {
            WeightsFile = WeightsFileName(spec.Weights),
        };
        return (network, problems.ToImmutable());
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

    /// <summary>Weights and biases of a Conv or FullyConnected plan, in <see langword="long"/> so it can be checked.</summary>
    private static long ParameterCountOf(LayerPlan plan) => plan.Kind == LayerKind.Conv
        ? (long)plan.KernelWidth * plan.KernelHeight * plan.In.Depth * plan.Out.Depth + plan.Out.Depth
        : plan.In.Length * plan.Out.Depth + plan.Out.Depth;

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

    private static LayerPlan? Conv(LayerSpec layer, int index, string name, Volume input, ImmutableArray<ShapeProblem>.Builder problems)
    {
        bool ok = Positive(problems, index, name, "width", layer.Width, "the kernel width")
                & Positive(problems, index, name, "height", layer.Height, "the kernel height")
                & Positive(problems, index, name, "filters", layer.Count, "the number of filters");
        var (strideX, strideXArg) = Pick(layer.StrideX, "StrideX", layer.Stride, "Stride", 1);
        var (strideY, strideYArg) = Pick(layer.StrideY, "StrideY", layer.Stride, "Stride", 1);
        var (dilationX, dilationXArg) = Pick(layer.DilationX, "DilationX", layer.Dilation, "Dilation", 1);
        var (dilationY, dilationYArg) = Pick(layer.DilationY, "DilationY", layer.Dilation, "Dilation", 1);
        ok &= Positive(problems, index, name, strideXArg, strideX, "the stride")
            & Positive(problems, index, name, strideYArg, strideY, "the stride")
            & Positive(problems, index, name, dilationXArg, dilationX, "the dilation")
            & Positive(problems, index, name, dilationYArg, dilationY, "the dilation");
        ok &= Paddings(layer, index, name, problems, out int left, out int top, out int right, out int bottom);
        if (layer.ExpectedDepth is int depth && depth != input.Depth)
        {
            problems.Add(ShapeProblem.Create(ProblemKind.DepthMismatch, index, "Depth", name, depth, input, input.Depth) with
            {
                FixArgument = "Depth",
                FixValue = input.Depth.ToString(CultureInfo.InvariantCulture),
            });
        }
        if (!ok)
        {
            return null;
        }

        AxisResult x = Axis(index, name, "width", input.Width, layer.Width, strideX, strideXArg, left, right, dilationX, ceil: false);
        AxisResult y = Axis(index, name, "height", input.Height, layer.Height, strideY, strideYArg, top, bottom, dilationY, ceil: false);
        if (!Report(problems, x, y))
        {
            return null;
        }
        return new LayerPlan(LayerKind.Conv, name, input, new Volume((int)x.Size, (int)y.Size, layer.Count))
        {
            KernelWidth = layer.Width,
            KernelHeight = layer.Height,
            StrideX = strideX,
            StrideY = strideY,
            PadLeft = left,
            PadTop = top,
            PadRight = right,
            PadBottom = bottom,
            DilationX = dilationX,
            DilationY = dilationY,
        };
    }

    private static LayerPlan? Pool(LayerSpec layer, int index, string name, Volume input, ImmutableArray<ShapeProblem>.Builder problems)
    {
        bool ok = Positive(problems, index, name, "width", layer.Width, "the window width")
                & Positive(problems, index, name, "height", layer.Height, "the window height");
        var (strideX, strideXArg) = Pick(layer.StrideX, "StrideX", layer.Stride, "Stride", layer.Width);
        var (strideY, strideYArg) = Pick(layer.StrideY, "StrideY", layer.Stride, "Stride", layer.Height);
        // A default stride follows the window, which is already reported when it is not positive.
        ok &= (strideX == layer.Width && layer.Width < 1 || Positive(problems, index, name, strideXArg, strideX, "the stride"))
            & (strideY == layer.Height && layer.Height < 1 || Positive(problems, index, name, strideYArg, strideY, "the stride"));
        ok &= Paddings(layer, index, name, problems, out int left, out int top, out int right, out int bottom);
        if (!ok)
        {
            return null;
        }
        ok &= PoolPadding(problems, index, name, "horizontal", PadArgument(layer.PadLeft, "PadLeft", layer.Padding), left, layer.Width)
            & PoolPadding(problems, index, name, "horizontal", PadArgument(layer.PadRight, "PadRight", layer.Padding), right, layer.Width)
            & PoolPadding(problems, index, name, "vertical", PadArgument(layer.PadTop, "PadTop", layer.Padding), top, layer.Height)
            & PoolPadding(problems, index, name, "vertical", PadArgument(layer.PadBottom, "PadBottom", layer.Padding), bottom, layer.Height);
        if (!ok)
        {
            return null;
        }

        AxisResult x = Axis(index, name, "width", input.Width, layer.Width, strideX, strideXArg, left, right, 1, layer.CeilMode);
        AxisResult y = Axis(index, name, "height", input.Height, layer.Height, strideY, strideYArg, top, bottom, 1, layer.CeilMode);
        if (!Report(problems, x, y))
        {
            return null;
        }
        return new LayerPlan(layer.Kind, name, input, new Volume((int)x.Size, (int)y.Size, input.Depth))
        {
            KernelWidth = layer.Width,
            KernelHeight = layer.Height,
            StrideX = strideX,
            StrideY = strideY,
            PadLeft = left,
            PadTop = top,
            PadRight = right,
            PadBottom = bottom,
            CeilMode = layer.CeilMode,
            ExcludePadding = layer.Kind == LayerKind.AvgPool && layer.ExcludePadding,
        };
    }

    private static LayerPlan? FullyConnected(LayerSpec layer, int index, string name, Volume input, ImmutableArray<ShapeProblem>.Builder problems)
    {
        if (layer.ExpectedInputs is int inputs && inputs != input.Length)
        {
            problems.Add(ShapeProblem.Create(ProblemKind.InputsMismatch, index, "Inputs", name, inputs, input, input.Length) with
            {
                FixArgument = "Inputs",
                FixValue = input.Length.ToString(CultureInfo.InvariantCulture),
            });
        }
        if (!Positive(problems, index, name, "outputs", layer.Count, "the number of outputs"))
        {
            return null;
        }
        return new LayerPlan(LayerKind.FullyConnected, name, input, Volume.Vector(layer.Count));
    }

    /// <summary>
    /// <c>floor((in + padBefore + padAfter − dilation·(F − 1) − 1) / stride) + 1</c>, or with <paramref name="ceil"/>
    /// the PyTorch/ONNX ceil-mode rule (rounded up, but the last window must start inside the input or its leading padding).
    /// </summary>
    private static AxisResult Axis(int index, string name, string axis, int size, int window, int stride, string strideArg, int padBefore, int padAfter, int dilation, bool ceil)
    {
        long padded = (long)size + padBefore + padAfter;
        long effective = (long)dilation * (window - 1) + 1;
        long span = padded - effective;
        string formula = Formula(size, effective, padBefore, padAfter, stride);
        if (padded > int.MaxValue || effective > int.MaxValue)
        {
            string what = padded > int.MaxValue ? $"the padded {axis}" : $"the dilated kernel {axis}";
            return new AxisResult(0, ShapeProblem.Create(ProblemKind.TooLarge, index, null, name, what, Format(Math.Max(padded, effective))), null);
        }
        if (span < 0)
        {
            string windowText = dilation == 1 ? Format(window) : $"{Format(effective)} (dilated {Format(window)})";
            return new AxisResult(0, ShapeProblem.Create(ProblemKind.WindowTooLarge, index, null, name, axis, windowText, Format(padded), formula + " < 1"), null);
        }
        long remainder = span % stride;
        if (ceil)
        {
            long up = (span + stride - 1) / stride + 1;
            if ((up - 1) * stride >= size + padBefore)
            {
                up--;
            }
            return new AxisResult(up, null, null);
        }
        if (remainder == 0)
        {
            return new AxisResult(span / stride + 1, null, null);
        }

        string unit = axis == "width" ? (remainder == 1 ? "column is" : "columns are") : (remainder == 1 ? "row is" : "rows are");
        long extra = stride - remainder;
        string afterName = axis == "width" ? "PadRight" : "PadBottom";
        int tilingStride = 1;
        for (int s = stride - 1; s >= 1; s--)
        {
            if (span % s == 0)
            {
                tilingStride = s;
                break;
            }
        }
        string suggestion = string.Format(
            CultureInfo.InvariantCulture,
            "{0} = {1} (padding {2} more) or {3} = {4} tiles exactly",
            afterName, padAfter + extra, extra, strideArg, tilingStride);
        string value = formula + " = " + ((double)span / stride + 1).ToString("0.##", CultureInfo.InvariantCulture);
        return new AxisResult(span / stride + 1, null,
            ShapeProblem.Create(ProblemKind.InexactDivision, index, strideArg, name, value, axis, remainder, unit, suggestion) with
            {
                FixArgument = afterName,
                FixValue = (padAfter + extra).ToString(CultureInfo.InvariantCulture),
            });
    }

    /// <summary><c>(in − F + 2·P)/S + 1</c> with the numbers filled in, as the README explains it.</summary>
    private static string Formula(int size, long effectiveWindow, int padBefore, int padAfter, int stride)
    {
        string padding = padBefore == padAfter ? "2·" + Format(padBefore) : Format(padBefore) + " + " + Format(padAfter);
        return $"({Format(size)} − {Format(effectiveWindow)} + {padding})/{Format(stride)} + 1";
    }

    private static bool Report(ImmutableArray<ShapeProblem>.Builder problems, AxisResult x, AxisResult y)
    {
        foreach (ShapeProblem? problem in new[] { x.Error, y.Error, x.Warning, y.Warning })
        {
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }
        return x.Error is null && y.Error is null;
    }

    private static bool Paddings(LayerSpec layer, int index, string name, ImmutableArray<ShapeProblem>.Builder problems, out int left, out int top, out int right, out int bottom)
    {
        left = layer.PadLeft ?? layer.Padding ?? 0;
        top = layer.PadTop ?? layer.Padding ?? 0;
        right = layer.PadRight ?? layer.Padding ?? 0;
        bottom = layer.PadBottom ?? layer.Padding ?? 0;
        return NonNegative(problems, index, name, PadArgument(layer.PadLeft, "PadLeft", layer.Padding), left)
             & NonNegative(problems, index, name, PadArgument(layer.PadTop, "PadTop", layer.Padding), top)
             & NonNegative(problems, index, name, PadArgument(layer.PadRight, "PadRight", layer.Padding), right)
             & NonNegative(problems, index, name, PadArgument(layer.PadBottom, "PadBottom", layer.Padding), bottom);
    }

    /// <summary>The argument a padding value came from: the side's own, else <c>Padding</c>.</summary>
    private static string PadArgument(int? side, string sideName, int? all) => side is not null || all is null ? sideName : "Padding";

    /// <summary>The per-axis value when given, else the shared one, else the default; with the argument's name.</summary>
    private static (int Value, string Argument) Pick(int? specific, string specificName, int? shared, string sharedName, int fallback) =>
        specific is int s ? (s, specificName) : shared is int v ? (v, sharedName) : (fallback, sharedName);

    private static bool Positive(ImmutableArray<ShapeProblem>.Builder problems, int index, string name, string argument, int value, string what)
    {
        if (value >= 1)
        {
            return true;
        }
        // A shared Stride or Dilation is checked once per axis but reported once.
        if (!AlreadyReported(problems, ProblemKind.NotPositive, index, argument))
        {
            problems.Add(ShapeProblem.Create(ProblemKind.NotPositive, index, argument, name, argument, value, what));
        }
        return false;
    }

    private static bool NonNegative(ImmutableArray<ShapeProblem>.Builder problems, int index, string name, string argument, int value)
    {
        if (value >= 0)
        {
            return true;
        }
        // Report a shared Padding once, not once per side.
        if (!AlreadyReported(problems, ProblemKind.NegativePadding, index, argument))
        {
            problems.Add(ShapeProblem.Create(ProblemKind.NegativePadding, index, argument, name, argument, value));
        }
        return false;
    }

    private static bool PoolPadding(ImmutableArray<ShapeProblem>.Builder problems, int index, string name, string axis, string argument, int padding, int window)
    {
        if (padding < window)
        {
            return true;
        }
        if (!AlreadyReported(problems, ProblemKind.PoolPaddingTooLarge, index, argument))
        {
            problems.Add(ShapeProblem.Create(ProblemKind.PoolPaddingTooLarge, index, argument, name, axis, padding, window));
        }
        return false;
    }

    private static bool AlreadyReported(ImmutableArray<ShapeProblem>.Builder problems, ProblemKind kind, int index, string argument)
    {
        foreach (ShapeProblem existing in problems)
        {
            if (existing.Kind == kind && existing.AttributeIndex == index && existing.Argument == argument)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The attribute's name as the user writes it, e.g. <c>MaxPool</c>.</summary>
    public static string AttributeName(LayerKind kind) => kind.ToString();

    /// <summary>The prefix of a layer's name in constants and comments, e.g. <c>Conv</c> in <c>Conv1</c>.</summary>
    private static string LayerName(LayerKind kind) => kind == LayerKind.FullyConnected ? "Fc" : kind.ToString();

    private static string Format(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
