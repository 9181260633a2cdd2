using System;
using System.Collections.Immutable;
using System.Globalization;
using CnnGen.Generator.Model;
using CnnGen.Geometry;

namespace CnnGen.Generator.Shapes;

/// <summary>What a shape rule knows about the layer it resolves.</summary>
/// <param name="Index">The attribute's index in the spec (where diagnostics go).</param>
/// <param name="Name">The layer's name.</param>
/// <param name="Spec">The attribute as written.</param>
/// <param name="Inputs">The volumes it reads: its input first, then the layers a merge names.</param>
/// <param name="InputNames">The names of those layers.</param>
/// <param name="Problems">Where problems go.</param>
internal sealed record LayerContext(int Index, string Name, LayerSpec Spec, ImmutableArray<Volume> Inputs, ImmutableArray<string> InputNames,
    ImmutableArray<ShapeProblem>.Builder Problems)
{
    /// <summary>The volume it reads (the previous layer's, or <c>From</c>'s).</summary>
    public Volume Input => Inputs[0];

    public void Add(ProblemKind kind, string? argument, params object[] args) =>
        Problems.Add(ShapeProblem.Create(kind, Index, argument, args));
}

/// <summary>Output size along one axis, or a reason it cannot be computed.</summary>
internal readonly record struct AxisResult(long Size, ShapeProblem? Error, ShapeProblem? Warning);

/// <summary>Argument checks and the per-axis size rule that the shape rules share, each with its diagnostic.</summary>
internal static class Checks
{
    /// <summary>
    /// The output size along one axis (<see cref="LayerMath.OutputSize"/>), or the problem: a window larger
    /// than the padded input (error), or a stride that leaves columns unread (warning, with a fix).
    /// </summary>
    public static AxisResult Axis(int index, string name, string axis, int size, int window, int stride, string strideArg, int padBefore, int padAfter, int dilation, bool ceil)
    {
        long padded = (long)size + padBefore + padAfter;
        long effective = LayerMath.DilatedWindow(window, dilation);
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
            // On the window's own argument: the constructor parameters of every windowed kind are named "width" and "height".
            return new AxisResult(0, ShapeProblem.Create(ProblemKind.WindowTooLarge, index, axis, name, axis, windowText, Format(padded), formula + " < 1"), null);
        }
        long outputSize = LayerMath.OutputSize(size, window, stride, padBefore, padAfter, dilation, ceil);
        long remainder = LayerMath.UnreadTail(size, window, stride, padBefore, padAfter, dilation);
        if (ceil || remainder == 0)
        {
            return new AxisResult(outputSize, null, null);
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
        return new AxisResult(outputSize, null,
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

    /// <summary>Adds the axes' problems; true when both sizes are known.</summary>
    public static bool Report(ImmutableArray<ShapeProblem>.Builder problems, AxisResult x, AxisResult y)
    {
        if (x.Error is { Kind: ProblemKind.WindowTooLarge } wide && y.Error is { Kind: ProblemKind.WindowTooLarge } tall)
        {
            // A window too large both ways is one mistake: one error, on the width, naming both axes.
            problems.Add(wide with
            {
                Args = new[] { wide.Args[0], "width × height", wide.Args[2] + "×" + tall.Args[2], wide.Args[3] + "×" + tall.Args[3], wide.Args[4] + " and " + tall.Args[4] }.ToEquatableArray(),
            });
            return false;
        }
        foreach (ShapeProblem? problem in new[] { x.Error, y.Error, x.Warning, y.Warning })
        {
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }
        return x.Error is null && y.Error is null;
    }

    /// <summary>The four paddings (each side's own, else <c>Padding</c>, else 0), each checked not negative.</summary>
    public static bool Paddings(LayerContext c, out int left, out int top, out int right, out int bottom)
    {
        LayerSpec layer = c.Spec;
        left = layer.PadLeft ?? layer.Padding ?? 0;
        top = layer.PadTop ?? layer.Padding ?? 0;
        right = layer.PadRight ?? layer.Padding ?? 0;
        bottom = layer.PadBottom ?? layer.Padding ?? 0;
        return NonNegative(c, PadArgument(layer.PadLeft, "PadLeft", layer.Padding), left)
             & NonNegative(c, PadArgument(layer.PadTop, "PadTop", layer.Padding), top)
             & NonNegative(c, PadArgument(layer.PadRight, "PadRight", layer.Padding), right)
             & NonNegative(c, PadArgument(layer.PadBottom, "PadBottom", layer.Padding), bottom);
    }

    /// <summary>The argument a padding value came from: the side's own, else <c>Padding</c>.</summary>
    public static string PadArgument(int? side, string sideName, int? all) => side is not null || all is null ? sideName : "Padding";

    /// <summary>The per-axis value when given, else the shared one, else the default; with the argument's name.</summary>
    public static (int Value, string Argument) Pick(int? specific, string specificName, int? shared, string sharedName, int fallback) =>
        specific is int s ? (s, specificName) : shared is int v ? (v, sharedName) : (fallback, sharedName);

    public static bool Positive(LayerContext c, string argument, int value, string what) =>
        Positive(c.Problems, c.Index, c.Name, argument, value, what);

    public static bool Positive(ImmutableArray<ShapeProblem>.Builder problems, int index, string name, string argument, int value, string what)
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

    public static bool NonNegative(LayerContext c, string argument, int value)
    {
        if (value >= 0)
        {
            return true;
        }
        // Report a shared Padding once, not once per side.
        if (!AlreadyReported(c.Problems, ProblemKind.NegativePadding, c.Index, argument))
        {
            c.Add(ProblemKind.NegativePadding, argument, c.Name, argument, value);
        }
        return false;
    }

    public static bool AlreadyReported(ImmutableArray<ShapeProblem>.Builder problems, ProblemKind kind, int index, string argument)
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

    public static string Format(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
