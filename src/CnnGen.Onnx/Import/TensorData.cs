using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Linq;
using CnnGen.Onnx.Protos;
using Google.Protobuf;

namespace CnnGen.Onnx.Import;

/// <summary>A constant tensor decoded to float32 (weights) with its dimensions.</summary>
internal sealed record ConstantTensor(string Name, long[] Dims, float[] Values)
{
    public long Count => Values.Length;

    public string DimsText => TensorData.FormatDims(Dims);
}

/// <summary>Decodes <see cref="TensorProto"/> payloads: raw little-endian bytes or the typed lists, float32/64/16 and integers.</summary>
internal static class TensorData
{
    public static string FormatDims(long[] dims) => "[" + string.Join(",", dims.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    public static string TypeName(int dataType) =>
        Enum.IsDefined(typeof(TensorProto.Types.DataType), dataType)
            ? ((TensorProto.Types.DataType)dataType).ToString().ToLowerInvariant()
            : "type " + dataType.ToString(CultureInfo.InvariantCulture);

    /// <summary>The number of elements the dimensions promise.</summary>
    public static long ElementCount(TensorProto tensor, string what)
    {
        long count = 1;
        foreach (long d in tensor.Dims)
        {
            if (d < 0)
            {
                throw new OnnxImportException($"{what} has a negative dimension in {FormatDims(tensor.Dims.ToArray())}.");
            }
            count = checked(count * d);
            if (count > int.MaxValue)
            {
                throw new OnnxImportException($"{what} has {FormatDims(tensor.Dims.ToArray())} elements, more than CnnGen can hold.");
            }
        }
        return count;
    }

    /// <summary>Decodes a floating-point tensor (float, double, float16, bfloat16) to float32.</summary>
    public static ConstantTensor ToFloat(TensorProto tensor, string what)
    {
        CheckLocation(tensor, what);
        long[] dims = tensor.Dims.ToArray();
        int count = (int)ElementCount(tensor, what);
        var type = (TensorProto.Types.DataType)tensor.DataType;
        float[] values = new float[count];
        bool raw = tensor.HasRawData;
        switch (type)
        {
            case TensorProto.Types.DataType.Float:
                if (raw)
                {
                    ByteString bytes = RawBytes(tensor, what, count, 4);
                    for (int i = 0; i < count; i++)
                    {
                        values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Span.Slice(i * 4, 4));
                    }
                }
                else
                {
                    CheckCount(what, tensor.FloatData.Count, count, "float_data");
                    tensor.FloatData.CopyTo(values, 0);
                }
                break;
            case TensorProto.Types.DataType.Double:
                if (raw)
                {
                    ByteString bytes = RawBytes(tensor, what, count, 8);
                    for (int i = 0; i < count; i++)
                    {
                        values[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.Span.Slice(i * 8, 8));
                    }
                }
                else
                {
                    CheckCount(what, tensor.DoubleData.Count, count, "double_data");
                    for (int i = 0; i < count; i++)
                    {
                        values[i] = (float)tensor.DoubleData[i];
                    }
                }
                break;
            case TensorProto.Types.DataType.Float16:
            case TensorProto.Types.DataType.Bfloat16:
                ushort[] bits = new ushort[count];
                if (raw)
                {
                    ByteString bytes = RawBytes(tensor, what, count, 2);
                    for (int i = 0; i < count; i++)
                    {
                        bits[i] = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Span.Slice(i * 2, 2));
                    }
                }
                else
                {
                    CheckCount(what, tensor.Int32Data.Count, count, "int32_data");
                    for (int i = 0; i < count; i++)
                    {
                        bits[i] = unchecked((ushort)tensor.Int32Data[i]);
                    }
                }
                for (int i = 0; i < count; i++)
                {
                    values[i] = type == TensorProto.Types.DataType.Float16
                        ? (float)BitConverter.UInt16BitsToHalf(bits[i])
                        : BitConverter.Int32BitsToSingle(bits[i] << 16);
                }
                break;
            default:
                throw new OnnxImportException($"{what} holds {TypeName(tensor.DataType)} values; CnnGen reads weights stored as float, double, float16 or bfloat16.");
        }
        return new ConstantTensor(tensor.Name, dims, values);
    }

    /// <summary>Decodes an integer tensor (int64, int32, …), e.g. a Reshape's target shape.</summary>
    public static long[] ToInt64(TensorProto tensor, string what)
    {
        CheckLocation(tensor, what);
        int count = (int)ElementCount(tensor, what);
        var type = (TensorProto.Types.DataType)tensor.DataType;
        long[] values = new long[count];
        bool raw = tensor.HasRawData;
        switch (type)
        {
            case TensorProto.Types.DataType.Int64:
                if (raw)
                {
                    ByteString bytes = RawBytes(tensor, what, count, 8);
                    for (int i = 0; i < count; i++)
                    {
                        values[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.Span.Slice(i * 8, 8));
                    }
                }
                else
                {
                    CheckCount(what, tensor.Int64Data.Count, count, "int64_data");
                    tensor.Int64Data.CopyTo(values, 0);
                }
                break;
            case TensorProto.Types.DataType.Int32:
                if (raw)
                {
                    ByteString bytes = RawBytes(tensor, what, count, 4);
                    for (int i = 0; i < count; i++)
                    {
                        values[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.Span.Slice(i * 4, 4));
                    }
                }
                else
                {
                    CheckCount(what, tensor.Int32Data.Count, count, "int32_data");
                    for (int i = 0; i < count; i++)
                    {
                        values[i] = tensor.Int32Data[i];
                    }
                }
                break;
            case TensorProto.Types.DataType.Bool:
            case TensorProto.Types.DataType.Uint8:
                if (raw)
                {
                    ByteString bytes = RawBytes(tensor, what, count, 1);
                    for (int i = 0; i < count; i++)
                    {
                        values[i] = bytes.Span[i];
                    }
                }
                else
                {
                    CheckCount(what, tensor.Int32Data.Count, count, "int32_data");
                    for (int i = 0; i < count; i++)
                    {
                        values[i] = tensor.Int32Data[i];
                    }
                }
                break;
            default:
                throw new OnnxImportException($"{what} holds {TypeName(tensor.DataType)} values where integers were expected.");
        }
        return values;
    }

    public static bool IsFloatType(int dataType) => (TensorProto.Types.DataType)dataType is
        TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Double or
        TensorProto.Types.DataType.Float16 or TensorProto.Types.DataType.Bfloat16;

    private static void CheckLocation(TensorProto tensor, string what)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
        {
            throw new OnnxImportException($"{what} is stored outside the .onnx file (external data); CnnGen reads only weights stored inside the model. Re-save the model with its weights inside (onnx.save_model(model, path, save_as_external_data=False)).");
        }
    }

    private static ByteString RawBytes(TensorProto tensor, string what, int count, int size)
    {
        ByteString bytes = tensor.RawData;
        if (bytes.Length != (long)count * size)
        {
            throw new OnnxImportException(
                $"{what} has dimensions {FormatDims(tensor.Dims.ToArray())} ({count} values, {(long)count * size} bytes of {TypeName(tensor.DataType)}) but its raw_data holds {bytes.Length} bytes: the model is corrupt.");
        }
        return bytes;
    }

    private static void CheckCount(string what, int actual, int expected, string field)
    {
        if (actual != expected)
        {
            throw new OnnxImportException(
                $"{what} has dimensions for {expected} values but its {field} holds {actual}: the model is corrupt or the initializer is missing its data.");
        }
    }
}
