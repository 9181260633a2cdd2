using System;
using System.Text;

namespace CnnGen.Generator.Emit;

/// <summary>
/// An indented text writer for generated source. <see cref="Block"/> opens a brace block and
/// closes it when disposed; <see cref="ToString"/> checks that every block was closed.
/// </summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public void Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
            _text.Append(line);
        }
        _text.Append('\n');
    }

    /// <summary>Writes a line with <c>{</c> after it and returns a handle that writes <c>}</c>.</summary>
    public BlockHandle Block(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return new BlockHandle(this);
    }

    /// <summary>Writes each line of a multi-line text at the current indentation.</summary>
    public void Lines(string text)
    {
        foreach (string line in text.Split('\n'))
        {
            Line(line.TrimEnd('\r'));
        }
    }

    public override string ToString()
    {
        if (_indent != 0)
        {
            throw new InvalidOperationException("A generated block was not closed.");
        }
        return _text.ToString();
    }

    internal readonly struct BlockHandle(SourceWriter writer) : IDisposable
    {
        public void Dispose()
        {
            writer._indent--;
            writer.Line("}");
        }
    }
}
