using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnGen.Onnx.Protos;

namespace CnnGen.Onnx.Import;

/// <summary>One node being imported: its attributes, read with checks, and errors that name it.</summary>
internal sealed class NodeContext
{
    private readonly Dictionary<string, AttributeProto> _attributes = new();

    public NodeContext(NodeProto node, int index)
    {
        Node = node;
        Name = string.IsNullOrEmpty(node.Name) ? "#" + index.ToString(CultureInfo.InvariantCulture) : node.Name;
        foreach (AttributeProto attribute in node.Attribute)
        {
            _attributes[attribute.Name] = attribute;
        }
    }

    public NodeProto Node { get; }

    /// <summary>The node's name, or <c>#index</c> (its position in the graph) when it has none.</summary>
    public string Name { get; }

    public string Op => Node.OpType;

    /// <summary><c>node 'conv1' (Conv)</c>.</summary>
    public string Describe => $"node '{Name}' ({Op})";

    public OnnxImportException Error(string message, string? attribute = null) =>
        new(attribute is null ? $"{Describe}: {message}" : $"{Describe}, attribute '{attribute}': {message}", Name, Op, attribute);

    public bool Has(string name) => _attributes.ContainsKey(name);

    /// <summary>Rejects any attribute this importer does not know for the operator, so nothing is silently ignored.</summary>
    public void OnlyKnown(params string[] known)
    {
        foreach (string name in _attributes.Keys)
        {
            if (!known.Contains(name))
            {
                throw Error($"CnnGen does not know this attribute of {Op} (it knows {(known.Length == 0 ? "none" : string.Join(", ", known))}), so it cannot import the node faithfully.", name);
            }
        }
    }

    public long Int(string name, long fallback)
    {
        if (!_attributes.TryGetValue(name, out AttributeProto? a))
        {
            return fallback;
        }
        if (a.Type is not (AttributeProto.Types.AttributeType.Int or AttributeProto.Types.AttributeType.Undefined) || a.Ints.Count > 0)
        {
            throw Error($"expected an integer, found {a.Type}.", name);
        }
        return a.I;
    }

    public float Float(string name, float fallback)
    {
        if (!_attributes.TryGetValue(name, out AttributeProto? a))
        {
            return fallback;
        }
        if (a.Type is not (AttributeProto.Types.AttributeType.Float or AttributeProto.Types.AttributeType.Undefined))
        {
            throw Error($"expected a float, found {a.Type}.", name);
        }
        return a.F;
    }

    public string String(string name, string fallback)
    {
        if (!_attributes.TryGetValue(name, out AttributeProto? a))
        {
            return fallback;
        }
        if (a.Type is not (AttributeProto.Types.AttributeType.String or AttributeProto.Types.AttributeType.Undefined))
        {
            throw Error($"expected a string, found {a.Type}.", name);
        }
        return a.S.ToStringUtf8();
    }

    public long[]? Ints(string name)
    {
        if (!_attributes.TryGetValue(name, out AttributeProto? a))
        {
            return null;
        }
        if (a.Type is not (AttributeProto.Types.AttributeType.Ints or AttributeProto.Types.AttributeType.Undefined))
        {
            throw Error($"expected a list of integers, found {a.Type}.", name);
        }
        return a.Ints.ToArray();
    }

    public AttributeProto? Raw(string name) => _attributes.TryGetValue(name, out AttributeProto? a) ? a : null;

    public static string Format(IEnumerable<long> values) => "[" + string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";

    public static string Format(IEnumerable<int> values) => "[" + string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";
}
