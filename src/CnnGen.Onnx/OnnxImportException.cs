using System;

namespace CnnGen.Onnx;

/// <summary>
/// An ONNX model that CnnGen cannot import: the file is not a readable ONNX model, or the graph uses
/// something CnnGen cannot represent. The message says what and where (node, operator, attribute)
/// and is meant to be shown to the user as it is.
/// </summary>
public sealed class OnnxImportException : Exception
{
    /// <summary>Creates an exception about the model as a whole.</summary>
    public OnnxImportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception about the model as a whole, caused by <paramref name="inner"/>.</summary>
    public OnnxImportException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates an exception about one node (and optionally one of its attributes).</summary>
    public OnnxImportException(string message, string? nodeName, string? opType, string? attributeName)
        : base(message)
    {
        NodeName = nodeName;
        OpType = opType;
        AttributeName = attributeName;
    }

    /// <summary>The node at fault (its name, or <c>#index</c> when it has none), if any.</summary>
    public string? NodeName { get; }

    /// <summary>The operator of the node at fault, if any.</summary>
    public string? OpType { get; }

    /// <summary>The attribute at fault, if any.</summary>
    public string? AttributeName { get; }
}
