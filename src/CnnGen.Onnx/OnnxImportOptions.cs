using System.Collections.Generic;
using CnnGen.Onnx.Protos;

namespace CnnGen.Onnx;

/// <summary>Options for <see cref="OnnxImporter"/>.</summary>
public sealed class OnnxImportOptions
{
    /// <summary>
    /// Values for graph inputs that are really weights. Some models (the ONNX operator conformance
    /// tests among them) pass a convolution's weights as a graph input rather than an initializer;
    /// name those inputs here and they are treated as initializers.
    /// </summary>
    public IDictionary<string, TensorProto> ExtraInitializers { get; } = new Dictionary<string, TensorProto>();

    /// <summary>How to name the model in messages and in the generated documentation, e.g. the file name.</summary>
    public string? SourceName { get; set; }
}
