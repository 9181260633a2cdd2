using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using CnnGen.Generator.Model;
using CnnGen.Geometry;

namespace CnnGen.Generator.Shapes;

/// <summary>
/// Turns the ordered attributes into a graph: names every layer (its <c>Name</c>, else its kind and
/// number: <c>Conv2</c>), and resolves what each one reads (the previous layer, <c>From</c>, and the
/// layers a merge names) to earlier layers, with a diagnostic for every name that does not resolve.
/// </summary>
internal static class NameResolution
{
    /// <summary>The name of the network input in references.</summary>
    public const string InputName = "Input";

    /// <summary>What each attribute reads: indices into the spec's layers, <see cref="LayerPlan.NetworkInput"/> for the input; null where a reference failed.</summary>
    public sealed record Graph(ImmutableArray<string> Names, ImmutableArray<ImmutableArray<int>?> Inputs);

    public static Graph Resolve(NetworkSpec spec, int inputIndex, ImmutableArray<ShapeProblem>.Builder problems)
    {
        int count = spec.Layers.Count;
        var names = new string[count];
        var counters = new Dictionary<LayerKind, int>();
        var byName = new Dictionary<string, int>(StringComparer.Ordinal) { [InputName] = inputIndex };
        for (int i = 0; i < count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            if (layer.Kind == LayerKind.Input)
            {
                names[i] = InputName;
                continue;
            }
            counters.TryGetValue(layer.Kind, out int number);
            counters[layer.Kind] = ++number;
            string defaultName = LayerMath.DefaultName(LayerKinds.Of(layer.Kind).NamePrefix, number);
            string? given = layer.Name;
            if (given is not null && !IsIdentifier(given))
            {
                problems.Add(ShapeProblem.Create(ProblemKind.InvalidName, i, "Name", given, defaultName));
                given = null;
            }
            names[i] = given ?? defaultName;
            if (byName.TryGetValue(names[i], out int other))
            {
                if (given is not null)
                {
                    string owner = other == inputIndex ? "the network input" : "an earlier layer";
                    problems.Add(ShapeProblem.Create(ProblemKind.DuplicateName, i, "Name", given, owner));
                }
                else
                {
                    // A default name meets a name the user gave an earlier layer: the user's name is the one to change.
                    string owner = "[" + LayerKinds.Of(layer.Kind).AttributeName + "] number " + number + ", as its default name";
                    problems.Add(ShapeProblem.Create(ProblemKind.DuplicateName, other, "Name", names[i], owner));
                }
                continue;
            }
            byName[names[i]] = i;
        }

        var inputs = new ImmutableArray<int>?[count];
        int previous = inputIndex;
        for (int i = 0; i < count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            if (layer.Kind == LayerKind.Input)
            {
                continue;
            }
            var reads = ImmutableArray.CreateBuilder<int>();
            bool ok = true;
            if (layer.From is string from)
            {
                ok &= Reference(spec, names, byName, i, from, "From", problems, reads);
            }
            else
            {
                reads.Add(previous);
            }
            EquatableArray<string> others = layer.Others;
            if (LayerKinds.Of(layer.Kind).Role == LayerRole.Merge && others.Count == 0)
            {
                problems.Add(ShapeProblem.Create(ProblemKind.NoOperands, i, null, names[i], LayerKinds.Of(layer.Kind).AttributeName, Nearest(names, i)));
                ok = false;
            }
            for (int k = 0; k < others.Count; k++)
            {
                ok &= Reference(spec, names, byName, i, others[k], "others[" + k + "]", problems, reads);
            }
            inputs[i] = ok ? reads.ToImmutable() : null;
            previous = i;
        }
        return new Graph(names.ToImmutableArray(), inputs.ToImmutableArray());
    }

    private static bool Reference(NetworkSpec spec, string[] names, Dictionary<string, int> byName, int index, string name, string argument,
        ImmutableArray<ShapeProblem>.Builder problems, ImmutableArray<int>.Builder reads)
    {
        if (byName.TryGetValue(name, out int target) && (target < index || name == InputName))
        {
            reads.Add(name == InputName ? LayerPlan.NetworkInput : target);
            return true;
        }
        if (byName.TryGetValue(name, out target))
        {
            string where = target == index ? "itself" : "a layer that comes after it (" + LayerKinds.Of(spec.Layers[target].Kind).AttributeName + ")";
            problems.Add(ShapeProblem.Create(ProblemKind.LaterReference, index, argument, names[index], name, where));
            return false;
        }
        var earlier = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, int> entry in byName)
        {
            if (entry.Value < index)
            {
                earlier[entry.Key] = entry.Value;
            }
        }
        problems.Add(ShapeProblem.Create(ProblemKind.UnknownName, index, argument, names[index], name, Suggestion(name, earlier)));
        return false;
    }

    /// <summary><c>did you mean 'Relu1'?</c> for the closest earlier name, or the list of names when none is close.</summary>
    private static string Suggestion(string name, Dictionary<string, int> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        var sorted = new List<string>(candidates.Keys);
        sorted.Sort(StringComparer.Ordinal);
        foreach (string candidate in sorted)
        {
            int distance = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }
        if (best is not null && bestDistance <= Math.Max(2, name.Length / 3))
        {
            return "did you mean '" + best + "'?";
        }
        return "the layers before it are " + string.Join(", ", sorted);
    }

    /// <summary>An example name for a merge's missing operand: the layer two before it, or the input.</summary>
    private static string Nearest(string[] names, int index) => index >= 3 ? names[index - 2] : InputName;

    /// <summary>Levenshtein distance: how many edits turn one name into the other.</summary>
    private static int Distance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            row[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }

    /// <summary>A C# identifier of ASCII or Unicode letters, digits and underscores, not starting with a digit (it becomes part of member names).</summary>
    public static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || !(char.IsLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }
        foreach (char c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }
        return true;
    }
}
