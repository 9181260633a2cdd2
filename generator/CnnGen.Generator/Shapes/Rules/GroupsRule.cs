using CnnGen.Generator.Model;
using static CnnGen.Generator.Shapes.Checks;

namespace CnnGen.Generator.Shapes.Rules;

/// <summary>
/// <c>Groups</c> of a <c>[Conv]</c>: at least 1, and a divisor of both the input depth and the filters, so
/// each group convolves <c>depth / Groups</c> input channels into <c>filters / Groups</c> outputs.
/// </summary>
internal static class GroupsRule
{
    /// <summary>Reads and checks <c>Groups</c> (default 1); false, with the problem reported, when it is unusable.</summary>
    public static bool Check(LayerContext c, int depth, int filters, out int groups)
    {
        groups = c.Spec.Int("Groups") ?? 1;
        if (!Positive(c, "Groups", groups, "the number of groups"))
        {
            return false;
        }
        if (filters < 1)
        {
            return true; // reported as not positive; nothing to divide
        }
        int common = GreatestCommonDivisor(depth, filters);
        bool ok = true;
        foreach ((string what, int value) in new[] { ("the input depth", depth), ("filters", filters) })
        {
            if (value % groups != 0)
            {
                c.Add(ProblemKind.GroupsDoNotDivide, "Groups", c.Name, what, value, groups, depth, filters, common);
                ok = false;
                break; // one diagnostic per argument
            }
        }
        return ok;
    }

    private static int GreatestCommonDivisor(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }
        return a;
    }
}
