using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnGen.Onnx.Import;
using CnnGen.Onnx.Protos;
using CnnGen.TestSupport;
using Xunit;

namespace CnnGen.Onnx.Tests;

/// <summary>
/// The ONNX operator conformance tests in ../shared/conformance/onnx-node: each model is imported
/// and either runs through generated code and matches its expected output, or is rejected with the
/// clear error listed here. Inputs after the first are weights and are bound as initializers.
/// </summary>
public class ConformanceTests
{
    /// <summary>Tests CnnGen rejects, with the part of the message that says why.</summary>
    public static readonly Dictionary<string, string> Rejected = new()
    {
        ["test_averagepool_2d_dilations"] = "attribute 'dilations': [2,2]: CnnGen's pools have no dilation",
        ["test_maxpool_2d_dilations"] = "attribute 'dilations': [2,2]: CnnGen's pools have no dilation",
        ["test_maxpool_2d_uint8"] = "holds uint8 values; CnnGen networks compute in float32",
        ["test_softmax_axis_1"] = "attribute 'axis': softmax over axis 1 of [N,4,5] (opset 13) normalizes only part of each item",
        ["test_gemm_default_matrix_bias"] = "a different bias for each of the 3 batch rows",
        ["test_flatten_axis1"] = "The graph has no layer CnnGen can generate (it only reshapes or copies its input)",
        ["test_flatten_default_axis"] = "The graph has no layer CnnGen can generate (it only reshapes or copies its input)",
    };

    /// <summary>
    /// Tests whose expected output the ONNX project wrote by hand to 4 decimal places
    /// (e.g. <c>0.1511</c> for 1.3595 / 9 = 0.151055…): compared to half a unit of the last written digit
    /// on top of the usual tolerance, since the reference itself is no more precise than that.
    /// </summary>
    public static readonly Dictionary<string, double> RoundedReferences = new()
    {
        ["test_averagepool_2d_ceil_last_window_starts_on_pad"] = 5e-5,
    };

    public static readonly string[] All =
    [
        "test_averagepool_2d_ceil", "test_averagepool_2d_ceil_last_window_starts_on_pad", "test_averagepool_2d_default",
        "test_averagepool_2d_dilations", "test_averagepool_2d_pads", "test_averagepool_2d_pads_count_include_pad",
        "test_averagepool_2d_precomputed_pads", "test_averagepool_2d_precomputed_pads_count_include_pad",
        "test_averagepool_2d_precomputed_same_upper", "test_averagepool_2d_precomputed_strides", "test_averagepool_2d_same_lower",
        "test_averagepool_2d_same_upper", "test_averagepool_2d_strides", "test_basic_conv_with_padding", "test_basic_conv_without_padding",
        "test_conv_with_autopad_same", "test_conv_with_strides_and_asymmetric_padding", "test_conv_with_strides_no_padding",
        "test_conv_with_strides_padding", "test_flatten_axis1", "test_flatten_default_axis", "test_gemm_default_matrix_bias",
        "test_gemm_default_no_bias", "test_gemm_default_scalar_bias", "test_gemm_default_single_elem_vector_bias",
        "test_gemm_default_vector_bias", "test_gemm_default_zero_bias", "test_gemm_transposeB", "test_maxpool_2d_ceil",
        "test_maxpool_2d_ceil_output_size_reduce_by_one", "test_maxpool_2d_default", "test_maxpool_2d_dilations", "test_maxpool_2d_pads",
        "test_maxpool_2d_precomputed_pads", "test_maxpool_2d_precomputed_same_upper", "test_maxpool_2d_precomputed_strides",
        "test_maxpool_2d_same_lower", "test_maxpool_2d_same_upper", "test_maxpool_2d_strides", "test_maxpool_2d_uint8", "test_relu",
        "test_softmax_axis_1", "test_softmax_example", "test_softmax_large_number",
    ];

    public static TheoryData<string> Names() => new(All);

    [Fact]
    public void TheSharedFolderHoldsExactlyTheTestsListedHere()
    {
        string root = Paths.Shared("conformance", "onnx-node");
        string[] present = Directory.GetDirectories(root).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;
        Assert.Equal(All.OrderBy(n => n, StringComparer.Ordinal), present);
        Assert.Equal(44, All.Length);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ImportsAndMatchesOrIsRejectedClearly(string name)
    {
        string dir = Paths.Shared("conformance", "onnx-node", name);
        ModelProto model = OnnxImporter.Parse(File.ReadAllBytes(Path.Combine(dir, "model.onnx")), name);
        string data = Path.Combine(dir, "test_data_set_0");
        var options = new OnnxImportOptions { SourceName = name };
        for (int i = 1; i < model.Graph.Input.Count; i++)
        {
            options.ExtraInitializers[model.Graph.Input[i].Name] = Tensor(Path.Combine(data, $"input_{i}.pb"));
        }

        if (Rejected.TryGetValue(name, out string? reason))
        {
            OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model, options));
            Assert.Contains(reason, e.Message);
            return;
        }

        ImportedNetwork network = OnnxImporter.Import(model, options);
        ConstantTensor input = TensorData.ToFloat(Tensor(Path.Combine(data, "input_0.pb")), "input_0");
        ConstantTensor expected = TensorData.ToFloat(Tensor(Path.Combine(data, "output_0.pb")), "output_0");
        int batch = (int)input.Dims[0];
        Assert.Equal(batch, (int)expected.Dims[0]);
        Assert.Equal(expected.Dims.Skip(1).Select(d => (int)d), network.Model.OutputDimensions);

        string className = "Conformance" + string.Concat(name.Split('_').Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        using CompiledNetworks compiled = GeneratedCode.Compile([(network, className)]);
        INetwork net = GeneratedCode.Create(compiled, network, className);
        int inLength = input.Values.Length / batch, outLength = expected.Values.Length / batch;
        Assert.Equal(inLength, net.InputLength);
        Assert.Equal(outLength, net.OutputLength);
        for (int n = 0; n < batch; n++)
        {
            float[] actual = GeneratedCode.Forward(net, input.Values.AsSpan(n * inLength, inLength).ToArray());
            string? problem = Tolerance.Compare(actual, expected.Values.AsSpan(n * outLength, outLength), RoundedReferences.GetValueOrDefault(name));
            Assert.True(problem is null, $"{name}, batch item {n}: {problem}\nLayers: {string.Join("; ", network.Layers.Select(CSharpNetworkWriter.Attribute))}");
        }
    }

    private static TensorProto Tensor(string path) => TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));
}
