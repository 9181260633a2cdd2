using System.Collections.Generic;
using CnnGen.Generator.Model;
using static CnnGen.Generator.Shapes.Checks;

namespace CnnGen.Generator.Shapes.Rules;

/// <summary>
/// <c>[Slice(start, count)]</c> (a channel range) and <c>[ChannelShuffle(groups)]</c> (channels regrouped):
/// width and height stay, only channels move.
/// </summary>
internal static class ChannelRules
{
    public static LayerPlan? Slice(LayerContext c)
    {
        Volume input = c.Input;
        int start = c.Spec.Int("start") ?? 0;
        int count = c.Spec.Int("count") ?? 0;
        int last = input.Depth - 1;
        if (start < 0 || start > last)
        {
            string wayOut = $"use a start from 0 to {Format(last)}";
            c.Add(ProblemKind.SliceOutOfRange, "start", c.Name, $"start is {Format(start)}", input, Format(last), wayOut);
            return null;
        }
        if (!Positive(c, "count", count, "the number of channels"))
        {
            return null;
        }
        if ((long)start + count > input.Depth)
        {
            int fits = input.Depth - start;
            string wayOut = $"use count = {Format(fits)} to take channels {Format(start)} to {Format(last)}, or a start of at most {Format(input.Depth - System.Math.Min(count, input.Depth))}";
            c.Add(ProblemKind.SliceOutOfRange, "count", c.Name, $"start {Format(start)} and count {Format(count)} take channels {Format(start)} to {Format((long)start + count - 1)}",
                input, Format(last), wayOut);
            return null;
        }
        return new LayerPlan(LayerKind.Slice, c.Name, input, new Volume(input.Width, input.Height, count)) { Start = start };
    }

    public static LayerPlan? Shuffle(LayerContext c)
    {
        Volume input = c.Input;
        int groups = c.Spec.Int("groups") ?? 0;
        if (!Positive(c, "groups", groups, "the number of groups"))
        {
            return null;
        }
        if (input.Depth % groups != 0)
        {
            var divisors = new List<string>();
            for (int d = 1; d <= input.Depth; d++)
            {
                if (input.Depth % d == 0)
                {
                    divisors.Add(Format(d));
                }
            }
            c.Add(ProblemKind.ShuffleGroupsMismatch, "groups", c.Name, Format(groups), input, Format(input.Depth), string.Join(", ", divisors));
            return null;
        }
        return new LayerPlan(LayerKind.ChannelShuffle, c.Name, input, input) { ShuffleGroups = groups };
    }
}
