using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace Mnist;

/// <summary>The MNIST test split in its original IDX format (gzip-compressed, big-endian header, then bytes).</summary>
public sealed class MnistTestSet
{
    /// <summary>The project trained on images 0–7,999; these are never seen in training.</summary>
    public const int FirstHeldOut = 8000;

    private MnistTestSet(byte[] images, byte[] labels, int count)
    {
        Images = images;
        Labels = labels;
        Count = count;
    }

    /// <summary>28·28 bytes per image, row by row.</summary>
    public byte[] Images { get; }

    public byte[] Labels { get; }

    public int Count { get; }

    /// <summary>Reads <c>t10k-images-idx3-ubyte.gz</c> and <c>t10k-labels-idx1-ubyte.gz</c> from a folder.</summary>
    /// <exception cref="InvalidDataException">A file is not in IDX format or the two disagree.</exception>
    public static MnistTestSet Load(string folder)
    {
        byte[] images = ReadGzip(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"));
        byte[] labels = ReadGzip(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"));
        if (images.Length < 16 || BinaryPrimitives.ReadInt32BigEndian(images) != 0x803 || labels.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(labels) != 0x801)
        {
            throw new InvalidDataException($"The MNIST files in {folder} are not IDX image and label files.");
        }
        int count = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8)), columns = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12));
        if (rows != 28 || columns != 28 || BinaryPrimitives.ReadInt32BigEndian(labels.AsSpan(4)) != count
            || images.Length != 16 + count * 784 || labels.Length != 8 + count)
        {
            throw new InvalidDataException($"The MNIST files in {folder} disagree on the image count or are not 28×28.");
        }
        return new MnistTestSet(images[16..], labels[8..], count);
    }

    /// <summary>Image <paramref name="index"/> as network input: pixel / 255, white digit on black.</summary>
    public float[] Pixels(int index)
    {
        var pixels = new float[784];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = Images[index * 784 + i] / 255f;
        }
        return pixels;
    }

    private static byte[] ReadGzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
